/**
 * What the notifications feature needs from the database (the port): a user's notifications and channel
 * preferences (`notifications`, `notification_preferences`, migration 0006). Every call is scoped to one user id:
 * the store never hands out someone else's rows. The in-app channel of the notification worker writes the rows;
 * this store reads them and marks them read. `createKnexNotificationsStore` implements it, `createFakeNotificationsStore`
 * in memory for unit tests.
 */
import type { ChannelSettings, ListNotificationsOptions, Notification } from './notifications-schemas.js';

/** The channels a person may turn off (for non-critical messages); in-app is always on. */
export const SILENCEABLE_CHANNELS = ['email', 'slack'] as const satisfies readonly (keyof ChannelSettings)[];

export interface NotificationPage {
  items: Notification[];
  total: number;
  unreadCount: number;
}

export interface NotificationsStore {
  list(userId: string, options: ListNotificationsOptions): Promise<NotificationPage>;
  /** Marks one of the user's notifications read (keeping the first read time); undefined when the user has no such notification. */
  markRead(userId: string, id: string, at: Date): Promise<Notification | undefined>;
  /** Marks all of the user's unread notifications read; returns how many. */
  markAllRead(userId: string, at: Date): Promise<number>;
  unreadCount(userId: string): Promise<number>;
  /** The user's settings; a channel without a row is on. */
  preferences(userId: string): Promise<ChannelSettings>;
  setPreferences(userId: string, settings: ChannelSettings, at: Date): Promise<void>;
}
