/**
 * Notification delivery channels; also the `channel` column of `notification_preferences` and
 * `notification_deliveries`. Shared by the notification workers (which deliver) and the REST API (which shows
 * deliveries and takes preferences).
 */
export const NOTIFICATION_CHANNELS = ['email', 'slack', 'in-app'] as const;
export type NotificationChannelName = (typeof NOTIFICATION_CHANNELS)[number];
