/**
 * The caller's own notifications (the in-app list) and channel preferences. Nobody reads or marks anyone
 * else's notifications, administrators included: a notification that is not the caller's is answered as not
 * found, so ids of other people's messages reveal nothing.
 */
import { NotFoundError } from '../../shared/index.js';
import type { Caller } from '../identity/caller.js';
import { CRITICAL_MESSAGES_NOTE, type ChannelSettings, type ListNotificationsOptions, type Notification, type NotificationPreferences } from './notifications-schemas.js';
import type { NotificationPage, NotificationsStore } from './notifications-store.js';

export interface NotificationsServiceDeps {
  store: NotificationsStore;
  now?: () => Date;
}

export type NotificationsService = ReturnType<typeof createNotificationsService>;

export function createNotificationsService(deps: NotificationsServiceDeps) {
  const now = deps.now ?? (() => new Date());
  const view = (settings: ChannelSettings): NotificationPreferences => ({ ...settings, inApp: true, criticalAlwaysSent: true, note: CRITICAL_MESSAGES_NOTE });

  return {
    async list(caller: Caller, options: ListNotificationsOptions): Promise<NotificationPage & { limit: number; offset: number }> {
      const page = await deps.store.list(caller.userId, options);
      return { ...page, limit: options.limit, offset: options.offset };
    },

    async markRead(caller: Caller, id: string): Promise<Notification> {
      const notification = await deps.store.markRead(caller.userId, id, now());
      if (!notification) throw new NotFoundError(`You have no notification ${id}.`, { notificationId: id });
      return notification;
    },

    async markAllRead(caller: Caller): Promise<{ updated: number; unreadCount: number }> {
      const updated = await deps.store.markAllRead(caller.userId, now());
      return { updated, unreadCount: await deps.store.unreadCount(caller.userId) };
    },

    async preferences(caller: Caller): Promise<NotificationPreferences> {
      return view(await deps.store.preferences(caller.userId));
    },

    async setPreferences(caller: Caller, settings: ChannelSettings): Promise<NotificationPreferences> {
      await deps.store.setPreferences(caller.userId, settings, now());
      return view(await deps.store.preferences(caller.userId));
    },
  };
}
