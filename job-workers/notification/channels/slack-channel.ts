/**
 * Slack through the official `@slack/web-api` WebClient (`chat.postMessage` with the template's Block Kit body).
 * Where a message goes:
 * - the audience has a channel in `channels` (SLACK_CHANNELS, e.g. `hdab-reviewers=#hdab-reviews`): one post in
 *   that channel (the ledger's recipient is the channel; people's Slack preferences do not apply to a team channel);
 * - otherwise: a direct message to each recipient with a Slack user id in the directory who has not turned Slack off.
 * The platform only creates this channel when SLACK_TOKEN is set. The WebClient's own retries are off by default:
 * the job's retries and back-off are the one retry mechanism, and the ledger keeps them from sending twice.
 */
import { LogLevel, WebClient, type Logger as SlackLogger, type RetryOptions } from '@slack/web-api';
import type { Logger } from 'pino';
import { NOTIFICATION_AUDIENCES, type NotificationAudience } from '../../../shared/index.js';
import type { NotificationChannel } from './notification-channel.js';

export type SlackChannelMap = Partial<Record<NotificationAudience, string>>;

export interface SlackChannelOptions {
  /** SLACK_TOKEN (a bot token, `xoxb-…`). */
  token: string;
  /** Audience → Slack channel (name or id). */
  channels?: SlackChannelMap;
  /** Another API base (tests: a local HTTP endpoint). */
  slackApiUrl?: string;
  /** WebClient retries (default none). */
  retryConfig?: RetryOptions;
  /** Request timeout in ms (default 10 s). */
  timeoutMs?: number;
  logger?: Logger;
}

export function createSlackChannel(options: SlackChannelOptions): NotificationChannel {
  const client = new WebClient(options.token, {
    ...(options.slackApiUrl ? { slackApiUrl: options.slackApiUrl } : {}),
    retryConfig: options.retryConfig ?? { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: options.timeoutMs ?? 10_000,
    ...(options.logger ? { logger: slackLogger(options.logger) } : { logLevel: LogLevel.ERROR }),
  });
  const channels = options.channels ?? {};

  return {
    name: 'slack',
    silenceable: true,

    targets(notification, recipients) {
      const channel = channels[notification.audience];
      if (channel) return [{ recipient: channel, address: channel }];
      return recipients.filter((r) => r.slackUserId).map((user) => ({ recipient: user.userId, user, address: user.slackUserId! }));
    },

    async send(notification, target) {
      const { text, blocks } = notification.content.slack;
      const result = await client.chat.postMessage({ channel: target.address, text, blocks: blocks as never, unfurl_links: false });
      return result.ts ? { providerMessageId: `${result.channel ?? target.address}/${result.ts}` } : {};
    },
  };
}

/**
 * Parses SLACK_CHANNELS: comma-separated `audience=channel` pairs, e.g.
 * `hdab-reviewers=#hdab-reviews,operators=#spe-operators`. Throws a message naming the bad pair.
 */
export function parseSlackChannels(value: string | undefined): SlackChannelMap {
  const map: SlackChannelMap = {};
  if (!value?.trim()) return map;
  for (const pair of value.split(',').map((p) => p.trim()).filter(Boolean)) {
    const [audience, channel, ...rest] = pair.split('=').map((p) => p.trim());
    if (!audience || !channel || rest.length > 0) throw new Error(`SLACK_CHANNELS: "${pair}" is not audience=channel (e.g. hdab-reviewers=#hdab-reviews)`);
    if (!(NOTIFICATION_AUDIENCES as readonly string[]).includes(audience)) {
      throw new Error(`SLACK_CHANNELS: "${audience}" is not an audience (one of ${NOTIFICATION_AUDIENCES.join(', ')})`);
    }
    map[audience as NotificationAudience] = channel;
  }
  return map;
}

/** The WebClient's logger interface on top of pino. */
function slackLogger(logger: Logger): SlackLogger {
  const log = logger.child({ component: 'slack-web-api' });
  let level = LogLevel.WARN;
  const rank = { [LogLevel.DEBUG]: 0, [LogLevel.INFO]: 1, [LogLevel.WARN]: 2, [LogLevel.ERROR]: 3 };
  const at = (wanted: LogLevel) => rank[wanted] >= rank[level];
  return {
    debug: (...msg: unknown[]) => at(LogLevel.DEBUG) && log.debug(msg.map(String).join(' ')),
    info: (...msg: unknown[]) => at(LogLevel.INFO) && log.info(msg.map(String).join(' ')),
    warn: (...msg: unknown[]) => at(LogLevel.WARN) && log.warn(msg.map(String).join(' ')),
    error: (...msg: unknown[]) => at(LogLevel.ERROR) && log.error(msg.map(String).join(' ')),
    setLevel: (next: LogLevel) => {
      level = next;
    },
    getLevel: () => level,
    setName: () => undefined,
  };
}
