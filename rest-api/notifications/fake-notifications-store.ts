/** In-memory NotificationsStore for unit tests: `rows` are the notifications, `settings` the preference rows. */
import type { ChannelSettings, Notification } from './notifications-schemas.js';
import type { NotificationsStore } from './notifications-store.js';

export interface FakeNotificationsStore extends NotificationsStore {
  rows: (Notification & { userId: string })[];
  settings: Map<string, ChannelSettings>;
}

export function createFakeNotificationsStore(): FakeNotificationsStore {
  const store: FakeNotificationsStore = {
    rows: [],
    settings: new Map(),
    async list(userId, { unreadOnly, limit, offset }) {
      const mine = store.rows.filter((r) => r.userId === userId);
      const matching = mine.filter((r) => !unreadOnly || r.readAt === null).sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id));
      return {
        items: matching.slice(offset, offset + limit).map(strip),
        total: matching.length,
        unreadCount: mine.filter((r) => r.readAt === null).length,
      };
    },
    async markRead(userId, id, at) {
      const row = store.rows.find((r) => r.userId === userId && r.id === id);
      if (!row) return undefined;
      row.readAt ??= at.toISOString();
      return strip(row);
    },
    async markAllRead(userId, at) {
      const unread = store.rows.filter((r) => r.userId === userId && r.readAt === null);
      for (const row of unread) row.readAt = at.toISOString();
      return unread.length;
    },
    async unreadCount(userId) {
      return store.rows.filter((r) => r.userId === userId && r.readAt === null).length;
    },
    async preferences(userId) {
      return store.settings.get(userId) ?? { email: true, slack: true };
    },
    async setPreferences(userId, settings) {
      store.settings.set(userId, { ...settings });
    },
  };
  return store;
}

function strip(row: Notification & { userId: string }): Notification {
  const { userId: _userId, ...notification } = row;
  return notification;
}
