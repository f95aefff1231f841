/**
 * The one interface every delivery channel implements (email, Slack, in-app). The handler renders a message once,
 * works out the targets per channel, claims each target in the delivery ledger and calls `send` for the claimed
 * ones only; a channel never looks at the ledger itself.
 */
import type { NotificationAudience } from '../../../shared/index.js';
import type { NotificationChannelName, Recipient } from '../notification-store.js';

/** A template rendered for one notification (the same text for every recipient). */
export interface RenderedMessage {
  subject: string;
  /** Plain-text email body. */
  text: string;
  /** HTML email body (variables escaped). */
  html: string;
  /** Slack `chat.postMessage` body: fallback text and Block Kit blocks. */
  slack: { text: string; blocks: unknown[] };
  /** Short text for the in-app list. */
  inApp: string;
  /** Where to act: the permit or the task in the portal (absolute URL based on PUBLIC_URL). */
  link: string;
}

/** One notification as the channels see it. */
export interface OutgoingNotification {
  /** `notification.send/<permitId>/<elementInstanceKey>`: the same for every delivery of one job. */
  idempotencyKey: string;
  permitId: string;
  template: string;
  audience: NotificationAudience;
  /** Critical messages (suspension, revocation, security) ignore preferences. */
  critical: boolean;
  content: RenderedMessage;
}

/** Where one copy goes on a channel. */
export interface DeliveryTarget {
  /** The ledger's `recipient`: a user id, or the Slack channel of a channel post. */
  recipient: string;
  /** The person, for targets that are people (absent for a Slack channel post). */
  user?: Recipient;
  /** Channel address: an email address, a Slack channel or user id, a user id for in-app. */
  address: string;
}

export interface SendResult {
  /** The provider's id (SMTP message id, Slack `ts`, in-app notification id), kept in the ledger. */
  providerMessageId?: string;
}

export interface NotificationChannel {
  readonly name: NotificationChannelName;
  /**
   * Whether a person's preference may turn this channel off for non-critical messages (email and Slack: yes;
   * in-app: no, the list is where everything is kept).
   */
  readonly silenceable: boolean;
  /**
   * The targets of a notification on this channel, from the recipients that have not silenced it. Optional: without
   * it every recipient is one target (`recipient` and `address` = user id).
   */
  targets?(notification: OutgoingNotification, recipients: readonly Recipient[]): DeliveryTarget[];
  /** Sends one copy. Throws when it did not go out (the handler releases the claim and fails the job for a retry). */
  send(notification: OutgoingNotification, target: DeliveryTarget): Promise<SendResult>;
}
