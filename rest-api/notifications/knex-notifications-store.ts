/**
 * `NotificationsStore` on the Permit Manager's database (`notifications`, `notification_preferences`): every query
 * is scoped to one user id.
 */
import type { Knex } from 'knex';
import { TABLES, toIso, type TimestampValue } from '../../db/index.js';
import type { Notification } from './notifications-schemas.js';
import { SILENCEABLE_CHANNELS, type NotificationsStore } from './notifications-store.js';

interface NotificationRow {
  id: string;
  user_id: string;
  permit_id: string | null;
  template: string;
  title: string;
  body: string;
  link: string | null;
  critical: boolean;
  idempotency_key: string;
  created_at: TimestampValue;
  read_at: TimestampValue | null;
}

function toNotification(row: NotificationRow): Notification {
  return {
    id: row.id,
    permitId: row.permit_id,
    template: row.template,
    title: row.title,
    body: row.body,
    link: row.link,
    critical: row.critical,
    createdAt: toIso(row.created_at),
    readAt: row.read_at === null ? null : toIso(row.read_at),
  };
}

const count = (rows: unknown): number => Number((rows as { n: string | number }[])[0]?.n ?? 0);

export function createKnexNotificationsStore(knex: Knex): NotificationsStore {
  const unreadCount = async (userId: string): Promise<number> =>
    count(await knex(TABLES.notifications).where({ user_id: userId }).whereNull('read_at').count({ n: '*' }));

  return {
    async list(userId, { unreadOnly, limit, offset }) {
      const base = knex(TABLES.notifications).where({ user_id: userId }).modify((q) => void (unreadOnly && q.whereNull('read_at')));
      const rows = (await base
        .clone()
        .orderBy([{ column: 'created_at', order: 'desc' }, { column: 'id', order: 'desc' }])
        .limit(limit)
        .offset(offset)
        .select('*')) as NotificationRow[];
      const total = count(await base.clone().count({ n: '*' }));
      return { items: rows.map(toNotification), total, unreadCount: unreadOnly ? total : await unreadCount(userId) };
    },

    async markRead(userId, id, at) {
      const [row] = (await knex(TABLES.notifications)
        .where({ user_id: userId, id })
        .update({ read_at: knex.raw('coalesce(read_at, ?)', [at]) })
        .returning('*')) as NotificationRow[];
      return row ? toNotification(row) : undefined;
    },

    async markAllRead(userId, at) {
      return knex(TABLES.notifications).where({ user_id: userId }).whereNull('read_at').update({ read_at: at });
    },

    unreadCount,

    async preferences(userId) {
      const rows = (await knex(TABLES.notificationPreferences).where({ user_id: userId }).select('channel', 'enabled')) as { channel: string; enabled: boolean }[];
      const enabled = (channel: string) => rows.find((r) => r.channel === channel)?.enabled ?? true;
      return { email: enabled('email'), slack: enabled('slack') };
    },

    async setPreferences(userId, settings, at) {
      await knex(TABLES.notificationPreferences)
        .insert(SILENCEABLE_CHANNELS.map((channel) => ({ user_id: userId, channel, enabled: settings[channel], updated_at: at })))
        .onConflict(['user_id', 'channel'])
        .merge(['enabled', 'updated_at']);
    },
  };
}
