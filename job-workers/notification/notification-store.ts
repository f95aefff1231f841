/**
 * What the notification worker needs from the Permit Manager's database (the port). The knex implementation
 * (`knex-notification-store.ts`) works on the tables of migration 0006 plus `permits` and `permit_members`;
 * `createFakeNotificationStore()` (`fake-notification-store.ts`) keeps the same rules in memory for tests.
 *
 * Tables (migration 0006):
 * - `user_directory` (user_id pk, display_name, email null, slack_user_id null): how to reach a person.
 * - `notification_preferences` (user_id, channel, enabled): a missing row means enabled.
 * - `notification_deliveries` (pk idempotency_key, channel, recipient): the ledger that makes every message go out
 *   once per recipient per channel, however often the job is delivered. `recipient` is a user id, or the Slack
 *   channel for a channel post.
 *
 * Who an audience is (the mapping lives in `audiences.ts`, not here): the store only answers "the members of this
 * permit with these team roles" and "these users", so the routing rules stay in one place.
 */
import type { TeamRole } from '../../shared/index.js';

// The channels live in shared/ (the REST API shows and validates them too).
import type { NotificationChannelName } from '../../shared/notification-channels.js';
export { NOTIFICATION_CHANNELS, type NotificationChannelName } from '../../shared/notification-channels.js';

/** A person who can be told something. */
export interface Recipient {
  userId: string;
  /** `user_directory.display_name`; the user id when the person is not in the directory. */
  displayName: string;
  /** `user_directory.email`; absent when unknown (no email goes out, in-app still does). */
  email?: string;
  /** `user_directory.slack_user_id`; absent when unknown. */
  slackUserId?: string;
}

/** A member of a permit's team, with the directory entry (left join: members missing from the directory still count). */
export interface TeamRecipient extends Recipient {
  teamRole: TeamRole;
}

/** What the templates say about the permit. */
export interface PermitSummary {
  id: string;
  title: string;
  status: string;
  validUntil?: Date;
}

/** One row of `notification_preferences`. */
export interface ChannelPreference {
  userId: string;
  channel: NotificationChannelName;
  enabled: boolean;
}

/** Identifies one message to one recipient on one channel: the primary key of `notification_deliveries`. */
export interface DeliveryKey {
  /** Derived from the job: `notification.send/<permitId>/<elementInstanceKey>`. */
  idempotencyKey: string;
  channel: NotificationChannelName;
  /** A user id, or the Slack channel for a channel post. */
  recipient: string;
}

export interface DeliveryClaim extends DeliveryKey {
  permitId: string;
  template: string;
  /**
   * A claim older than this (no `markSent` and no `release` since) is taken to belong to a delivery that died
   * half-way, and may be claimed again.
   */
  leaseMs: number;
}

/**
 * - `claimed`: this caller may send now (a new row, or a `failed` row, or a `claimed` row whose lease ran out).
 * - `sent`: it already went out; send nothing.
 * - `busy`: another delivery of the same job holds a live claim; send nothing now (the handler retries later).
 */
export type ClaimOutcome = 'claimed' | 'sent' | 'busy';

export interface NotificationStore {
  /** The permit, or `undefined` when there is none. */
  permit(permitId: string): Promise<PermitSummary | undefined>;
  /**
   * Members of the permit (`permit_members`) holding any of `teamRoles`, joined with `user_directory`. A person
   * with two of the roles appears once per role; the caller de-duplicates by user id. Ordered by user id.
   */
  teamMembers(permitId: string, teamRoles: readonly TeamRole[]): Promise<TeamRecipient[]>;
  /** Directory entries of these users, in the order given; unknown ids come back as `{ userId, displayName: userId }`. */
  users(userIds: readonly string[]): Promise<Recipient[]>;
  /** Rows of `notification_preferences` for these users (only the rows that exist). */
  preferences(userIds: readonly string[]): Promise<ChannelPreference[]>;
  /**
   * Claims one delivery before sending, atomically (insert … on conflict: one winner when two deliveries of the
   * same job race). Row states: `claimed` (with claimed_at) → `sent` (markSent) or `failed` (release).
   */
  claimDelivery(claim: DeliveryClaim): Promise<ClaimOutcome>;
  /** Records that the message went out (with the provider's message id when there is one). Idempotent. */
  markSent(key: DeliveryKey, details?: { providerMessageId?: string }): Promise<void>;
  /**
   * Keeps a live claim alive while its copy is being sent (a slow mail server), so the lease only runs out for a
   * delivery that died. Answers false when the claim is no longer this state (sent, released or taken over).
   */
  renewClaim(key: DeliveryKey): Promise<boolean>;
  /**
   * Gives a claim back after a failed send, so the next delivery of the job may try again; keeps the error text.
   * Answers how many attempts the copy has had (`attempts`, counted by `claimDelivery`), or undefined when there
   * is no such claim (or it was sent meanwhile).
   */
  release(key: DeliveryKey, error: string): Promise<number | undefined>;
}
