/**
 * The notification service from configuration: email (SMTP, or `.eml` files in the outbox folder), in-app (the
 * Permit Manager's database and stream) and Slack when a token is set, behind the one `notification.send` handler.
 * The Slack client is loaded only when a token is set.
 */
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import { createInAppChannel } from '../job-workers/notification/channels/in-app-channel.js';
import { createEmailChannel } from '../job-workers/notification/channels/email-channel.js';
import type { NotificationChannel } from '../job-workers/notification/channels/notification-channel.js';
import { createNotificationHandler } from '../job-workers/notification/index.js';
import { createKnexNotificationStore } from '../job-workers/notification/knex-notification-store.js';
import type { Config } from '../rest-api/config.js';

export type NotificationConfig = Pick<
  Config,
  'publicUrl' | 'smtpUrl' | 'notificationOutboxDir' | 'notificationFrom' | 'notificationOperators' | 'slackToken' | 'slackChannels'
>;

export async function createNotificationService(config: NotificationConfig, knex: Knex, logger: Logger) {
  const email = createEmailChannel({ from: config.notificationFrom, smtpUrl: config.smtpUrl, outboxDir: config.notificationOutboxDir, logger });
  const channels: NotificationChannel[] = [email, createInAppChannel({ knex, logger })];
  if (config.slackToken) {
    const { createSlackChannel, parseSlackChannels } = await import('../job-workers/notification/channels/slack-channel.js');
    channels.push(createSlackChannel({ token: config.slackToken, channels: parseSlackChannels(config.slackChannels), logger }));
  }
  const handlers = createNotificationHandler({
    store: createKnexNotificationStore(knex),
    channels,
    // The one public base URL: every link in a message is PUBLIC_URL + a web app route (docs/notifications.md, "Links").
    publicUrl: config.publicUrl,
    operatorUserIds: config.notificationOperators,
    logger,
  });
  return { handlers, channels: channels.map((c) => c.name), close: async () => email.close() };
}
