/**
 * `NotificationStore` on the Permit Manager's database: `permits`, `permit_members` left-joined with
 * `user_directory`, `notification_preferences`, and the delivery ledger `notification_deliveries`.
 *
 * The ledger's claim is one statement, `INSERT … ON CONFLICT DO UPDATE … WHERE <claimable>`: a new row, a
 * `failed` row or a `claimed` row whose lease ran out becomes `claimed` by exactly one caller, however many
 * deliveries of the job race (PostgreSQL re-checks the WHERE on the row the winner committed, so a loser sees
 * a fresh claim and gets nothing back). Lease times use the database clock (`clock_timestamp()`), so workers
 * with skewed clocks agree.
 */
import type { Knex } from 'knex';
import { TABLES } from '../../db/index.js';
import type { TeamRole } from '../../shared/index.js';
import type { ChannelPreference, ClaimOutcome, DeliveryKey, NotificationChannelName, NotificationStore, Recipient, TeamRecipient } from './notification-store.js';

/** How much of a failed send's error text the ledger keeps. */
const MAX_ERROR_LENGTH = 2000;

interface DirectoryColumns {
  user_id: string;
  display_name: string | null;
  email: string | null;
  slack_user_id: string | null;
}

interface PreferenceRow {
  user_id: string;
  channel: NotificationChannelName;
  enabled: boolean;
}

function toRecipient(row: DirectoryColumns): Recipient {
  return {
    userId: row.user_id,
    displayName: row.display_name ?? row.user_id,
    ...(row.email ? { email: row.email } : {}),
    ...(row.slack_user_id ? { slackUserId: row.slack_user_id } : {}),
  };
}

function whereKey(key: DeliveryKey): Record<string, string> {
  return { idempotency_key: key.idempotencyKey, channel: key.channel, recipient: key.recipient };
}

export function createKnexNotificationStore(knex: Knex): NotificationStore {
  async function currentStatus(key: DeliveryKey): Promise<string | undefined> {
    const row = (await knex(TABLES.notificationDeliveries).where(whereKey(key)).first('status')) as { status: string } | undefined;
    return row?.status;
  }

  return {
    async permit(permitId) {
      const row = (await knex(TABLES.permits).where({ id: permitId }).first('id', 'title', 'status', 'valid_until')) as
        | { id: string; title: string; status: string; valid_until: Date | string | null }
        | undefined;
      if (!row) return undefined;
      return { id: row.id, title: row.title, status: row.status, ...(row.valid_until ? { validUntil: new Date(row.valid_until) } : {}) };
    },

    async teamMembers(permitId, teamRoles): Promise<TeamRecipient[]> {
      if (teamRoles.length === 0) return [];
      const rows = (await knex(`${TABLES.permitMembers} as m`)
        .leftJoin(`${TABLES.userDirectory} as u`, 'u.user_id', 'm.user_id')
        .where('m.permit_id', permitId)
        .whereIn('m.team_role', teamRoles)
        .orderBy([{ column: 'm.user_id' }, { column: 'm.team_role' }])
        .select('m.user_id', 'm.team_role', 'u.display_name', 'u.email', 'u.slack_user_id')) as (DirectoryColumns & { team_role: TeamRole })[];
      return rows.map((row) => ({ ...toRecipient(row), teamRole: row.team_role }));
    },

    async users(userIds) {
      if (userIds.length === 0) return [];
      const rows = (await knex(TABLES.userDirectory).whereIn('user_id', [...new Set(userIds)]).select('user_id', 'display_name', 'email', 'slack_user_id')) as DirectoryColumns[];
      const byId = new Map(rows.map((row) => [row.user_id, toRecipient(row)]));
      return userIds.map((userId) => byId.get(userId) ?? { userId, displayName: userId });
    },

    async preferences(userIds): Promise<ChannelPreference[]> {
      if (userIds.length === 0) return [];
      const rows = (await knex(TABLES.notificationPreferences)
        .whereIn('user_id', [...new Set(userIds)])
        .orderBy(['user_id', 'channel'])
        .select('user_id', 'channel', 'enabled')) as PreferenceRow[];
      return rows.map((row) => ({ userId: row.user_id, channel: row.channel, enabled: row.enabled }));
    },

    async claimDelivery(claim): Promise<ClaimOutcome> {
      // A claim can lose to a release between the INSERT and the look-up; a few rounds settle it.
      for (let round = 0; round < 3; round += 1) {
        const { rows } = (await knex.raw(
          `INSERT INTO ${TABLES.notificationDeliveries} AS d (idempotency_key, channel, recipient, permit_id, template, status, claimed_at, attempts)
           VALUES (?, ?, ?, ?, ?, 'claimed', clock_timestamp(), 1)
           ON CONFLICT (idempotency_key, channel, recipient) DO UPDATE
             SET status = 'claimed', claimed_at = clock_timestamp(), attempts = d.attempts + 1
             WHERE d.status = 'failed'
                OR (d.status = 'claimed' AND d.claimed_at <= clock_timestamp() - make_interval(secs => ?::double precision / 1000))
           RETURNING d.status`,
          [claim.idempotencyKey, claim.channel, claim.recipient, claim.permitId, claim.template, Math.max(0, claim.leaseMs)],
        )) as { rows: unknown[] };
        if (rows.length > 0) return 'claimed';
        const status = await currentStatus(claim);
        if (status === 'sent') return 'sent';
        if (status === 'claimed') return 'busy';
      }
      return 'busy';
    },

    async markSent(key, details = {}) {
      const detail = details.providerMessageId ? { providerMessageId: details.providerMessageId } : {};
      const updated = await knex(TABLES.notificationDeliveries)
        .where(whereKey(key))
        .update({
          status: 'sent',
          delivered_at: knex.raw('coalesce(delivered_at, clock_timestamp())'),
          last_error: null,
          detail: knex.raw('detail || ?::jsonb', [JSON.stringify(detail)]),
        });
      if (updated === 0) throw new Error(`No delivery was claimed for ${key.channel} to ${key.recipient} (${key.idempotencyKey}); claim it before marking it sent.`);
    },

    async renewClaim(key) {
      const updated = await knex(TABLES.notificationDeliveries)
        .where({ ...whereKey(key), status: 'claimed' })
        .update({ claimed_at: knex.raw('clock_timestamp()') });
      return updated > 0;
    },

    async release(key, error) {
      const rows = (await knex(TABLES.notificationDeliveries)
        .where(whereKey(key))
        .whereNot('status', 'sent')
        .update({ status: 'failed', last_error: error.slice(0, MAX_ERROR_LENGTH) })
        .returning('attempts')) as { attempts: number }[];
      return rows[0] ? Number(rows[0].attempts) : undefined;
    },
  };
}
