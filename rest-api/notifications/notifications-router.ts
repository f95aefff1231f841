/** HTTP edge of the notifications feature: the caller's in-app notifications and channel preferences. */
import { defineRoute, type FeatureRouter } from '../platform/define-route.js';
import {
  CRITICAL_MESSAGES_NOTE,
  ListNotificationsQuery,
  NotificationIdParams,
  NotificationListSchema,
  NotificationPreferencesSchema,
  NotificationSchema,
  ReadAllResultSchema,
  UpdatePreferencesBody,
} from './notifications-schemas.js';
import type { NotificationsService } from './notifications-service.js';

const TAGS = ['Notifications'];

export function createNotificationsRouter(deps: { service: NotificationsService }): FeatureRouter {
  const { service } = deps;
  return {
    name: 'notifications',
    routes: [
      defineRoute({
        method: 'get',
        path: '/notifications',
        summary: 'Your notifications, newest first',
        description: 'The in-app list: every message sent to you, on whatever other channels it also went. New ones also arrive on `/api/events/stream` as `notification.created`.',
        tags: TAGS,
        auth: 'bearer',
        request: { query: ListNotificationsQuery },
        responses: { 200: { description: 'A page of notifications', body: NotificationListSchema } },
        handler: ({ query }, { caller }) => service.list(caller, { unreadOnly: query.unread ?? false, limit: query.limit, offset: query.offset }),
      }),
      defineRoute({
        method: 'post',
        path: '/notifications/read-all',
        summary: 'Mark all your notifications read',
        tags: TAGS,
        auth: 'bearer',
        responses: { 200: { description: 'How many were marked read', body: ReadAllResultSchema } },
        handler: (_input, { caller }) => service.markAllRead(caller),
      }),
      defineRoute({
        method: 'post',
        path: '/notifications/{id}/read',
        summary: 'Mark one of your notifications read',
        description: 'Idempotent: marking it again keeps the first read time.',
        tags: TAGS,
        auth: 'bearer',
        request: { params: NotificationIdParams },
        responses: { 200: { description: 'The notification', body: NotificationSchema } },
        problems: [404],
        handler: ({ params }, { caller }) => service.markRead(caller, params.id),
      }),
      defineRoute({
        method: 'get',
        path: '/notifications/preferences',
        summary: 'Your notification channel preferences',
        description: CRITICAL_MESSAGES_NOTE,
        tags: TAGS,
        auth: 'bearer',
        responses: { 200: { description: 'Which channels are on for non-critical messages', body: NotificationPreferencesSchema } },
        handler: (_input, { caller }) => service.preferences(caller),
      }),
      defineRoute({
        method: 'put',
        path: '/notifications/preferences',
        summary: 'Turn email or Slack on or off for non-critical messages',
        description: CRITICAL_MESSAGES_NOTE,
        tags: TAGS,
        auth: 'bearer',
        request: { body: UpdatePreferencesBody },
        responses: { 200: { description: 'The preferences now in force', body: NotificationPreferencesSchema } },
        handler: ({ body }, { caller, log }) => {
          log.info({ preferences: body }, 'notification preferences changed');
          return service.setPreferences(caller, body);
        },
      }),
    ],
  };
}
