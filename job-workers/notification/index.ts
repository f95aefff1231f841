/**
 * Notification workers (issue 6): the `notification.send` handler, its channels and its store port.
 *
 *   const email = createEmailChannel({ from: 'SPE platform <noreply@spe.local>', smtpUrl: config.smtpUrl, outboxDir: config.notificationOutboxDir, logger });
 *   const channels = [email, createInAppChannel(...), ...(config.slackToken ? [createSlackChannel({ token: config.slackToken, channels: config.slackChannels, logger })] : [])];
 *   const handlers = createNotificationHandler({ store: createKnexNotificationStore(knex), channels, publicUrl: config.publicUrl, logger });
 *   // handlers['notification.send']
 *
 * See docs/notifications.md for the templates, audiences, channels and configuration.
 */
import type { Logger } from 'pino';
import { TASK_TYPES } from '../../shared/index.js';
import type { JobHandler } from '../runtime/worker-job.js';
import type { NotificationChannel } from './channels/notification-channel.js';
import type { OutageRetryPolicy } from './delivery-outage.js';
import type { NotificationStore } from './notification-store.js';
import { createSendNotificationHandler } from './send-notification-handler.js';
import { createTemplateStore, DEFAULT_TEMPLATES_DIR } from './template-store.js';

export interface NotificationHandlerDeps {
  /** Recipients, preferences and the delivery ledger (`createKnexNotificationStore(knex)` or the fake). */
  store: NotificationStore;
  /** Every channel to send on (email, in-app, Slack when configured). */
  channels: readonly NotificationChannel[];
  /** Template folders (default `job-workers/notification/templates`). */
  templatesDir?: string;
  /** The public base URL links in messages are built on (PUBLIC_URL); refused unless absolute http(s). */
  publicUrl: string;
  logger: Logger;
  /** User ids told for the `operators` audience (NOTIFICATION_OPERATORS). */
  operatorUserIds?: readonly string[];
  /** Missing template variables throw (tests) instead of rendering empty with an error log. */
  strictTemplates?: boolean;
  /** Ledger lease of a copy being sent (ms, default 120 000). */
  leaseMs?: number;
  /** Back-off while another delivery of the same job holds a copy (ms, default 15 000). */
  holdMs?: number;
  /** How an unreachable mail server is waited out (default 5 s doubling to 5 min, 12 attempts). */
  outageRetry?: OutageRetryPolicy;
}

export function createNotificationHandler(deps: NotificationHandlerDeps): { [TASK_TYPES.notificationSend]: JobHandler } {
  const templatesDir = deps.templatesDir ?? DEFAULT_TEMPLATES_DIR;
  deps.logger.info({ channels: deps.channels.map((c) => c.name), templatesDir }, 'notification handler ready');
  return {
    [TASK_TYPES.notificationSend]: createSendNotificationHandler({ ...deps, templates: createTemplateStore(templatesDir) }),
  };
}

export { createEmailChannel, DEFAULT_NOTIFICATION_FROM, DEFAULT_OUTBOX_DIR, type EmailChannel, type EmailChannelOptions } from './channels/email-channel.js';
// Slack (`channels/slack-channel.ts`) is imported where it is used, so its client loads only when a token is set.
export type { DeliveryTarget, NotificationChannel, OutgoingNotification, RenderedMessage, SendResult } from './channels/notification-channel.js';
export { DEFAULT_OUTAGE_RETRY, isDeliveryOutage, outageBackOffMs, outageBudgetMs, type OutageRetryPolicy } from './delivery-outage.js';
export { createFakeNotificationStore, type FakeNotificationStore } from './fake-notification-store.js';
export { NOTIFICATION_CHANNELS, type NotificationChannelName, type NotificationStore, type Recipient } from './notification-store.js';
export { TEMPLATE_CATALOG, TEMPLATE_IDS, type TemplateId } from './template-catalog.js';
export { AUDIENCE_TEAM_ROLES } from './audiences.js';
