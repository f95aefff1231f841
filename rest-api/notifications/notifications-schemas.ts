/** Request and response schemas of the notifications feature (they also document the API in /api/openapi.json). */
import { z } from 'zod';

export const NotificationSchema = z
  .object({
    id: z.string(),
    permitId: z.string().nullable(),
    template: z.string().describe('Which message this is, e.g. `workspace-ready` (see docs/notifications.md)'),
    title: z.string(),
    body: z.string().describe('Short in-app text naming the permit, who acted and what to do next'),
    link: z.string().nullable().describe('Where to act: the permit or the task'),
    critical: z.boolean().describe('Suspension, revocation and security messages: sent on every channel whatever the preferences say'),
    createdAt: z.string(),
    readAt: z.string().nullable(),
  })
  .meta({ id: 'Notification' });

export const NotificationListSchema = z
  .object({
    items: z.array(NotificationSchema).describe('Newest first'),
    total: z.number().int().describe('How many match the filter'),
    unreadCount: z.number().int().describe('How many of all your notifications are unread'),
    limit: z.number().int(),
    offset: z.number().int(),
  })
  .meta({ id: 'NotificationList' });

export const ListNotificationsQuery = z.strictObject({
  unread: z
    .enum(['true', 'false'], { error: 'must be true or false' })
    .transform((value) => value === 'true')
    .optional()
    .describe('`true`: only unread notifications'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});

export const NotificationIdParams = z.object({
  id: z.string().trim().min(1, { error: 'must not be empty' }).max(200, { error: 'must be at most 200 characters' }),
});

export const ReadAllResultSchema = z
  .object({ updated: z.number().int().describe('How many notifications were marked read'), unreadCount: z.number().int() })
  .meta({ id: 'NotificationsReadAll' });

/** The words the API and the docs use for what preferences cannot turn off. */
export const CRITICAL_MESSAGES_NOTE =
  'Critical messages (a permit suspended or revoked, security notices) are always sent by email and Slack too, whatever these settings say. In-app notifications cannot be turned off.';

export const NotificationPreferencesSchema = z
  .object({
    email: z.boolean().describe('Email for non-critical messages'),
    slack: z.boolean().describe('Slack for non-critical messages'),
    inApp: z.literal(true).describe('Always on: the in-app list keeps every message'),
    criticalAlwaysSent: z.literal(true).describe('Critical messages go out on every channel regardless of email/slack'),
    note: z.string(),
  })
  .meta({ id: 'NotificationPreferences' });

export const UpdatePreferencesBody = z
  .strictObject({
    email: z.boolean({ error: 'must be true or false' }),
    slack: z.boolean({ error: 'must be true or false' }),
  })
  .meta({ id: 'UpdateNotificationPreferences' });

export type Notification = z.output<typeof NotificationSchema>;
export type NotificationPreferences = z.output<typeof NotificationPreferencesSchema>;
export type ChannelSettings = z.output<typeof UpdatePreferencesBody>;
export type ListNotificationsOptions = { unreadOnly: boolean; limit: number; offset: number };
