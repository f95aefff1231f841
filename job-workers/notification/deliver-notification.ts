/**
 * Sends one rendered notification on every channel, each copy at most once: every target is claimed in the
 * delivery ledger before it is sent and marked sent after, so a second delivery of the job (or a retry after a
 * failure) sends only what has not gone out yet. Preferences silence email and Slack for people who turned them
 * off, unless the message is critical. Channels and targets are all tried even when one fails; the summary says
 * what failed so the handler can fail the job for a retry.
 */
import type { Logger } from 'pino';
import type { DeliveryTarget, NotificationChannel, OutgoingNotification } from './channels/notification-channel.js';
import { isDeliveryOutage } from './delivery-outage.js';
import type { ChannelPreference, NotificationStore, Recipient } from './notification-store.js';

export interface DeliveryFailure {
  channel: string;
  recipient: string;
  error: string;
  /** The service was away (unreachable, 4xx): worth waiting for (`delivery-outage.ts`); false when refused for good. */
  outage: boolean;
  /** Attempts this copy has had so far (from the ledger); undefined when not known (e.g. the targets failed). */
  attempts?: number;
}

export interface DeliverySummary {
  sent: number;
  /** Already sent by an earlier delivery of the job. */
  alreadySent: number;
  /** Claimed by another delivery of the job that is still running. */
  busy: number;
  /** People left out because they turned the channel off. */
  silenced: number;
  failures: DeliveryFailure[];
}

export interface DeliverInput {
  store: NotificationStore;
  channels: readonly NotificationChannel[];
  notification: OutgoingNotification;
  recipients: readonly Recipient[];
  preferences: readonly ChannelPreference[];
  leaseMs: number;
  logger: Logger;
}

export async function deliverNotification(input: DeliverInput): Promise<DeliverySummary> {
  const summary: DeliverySummary = { sent: 0, alreadySent: 0, busy: 0, silenced: 0, failures: [] };
  // Every channel runs to the end even when another throws (e.g. the ledger is unreachable), so nothing is left
  // sending in the background when the job is failed; the first such error is rethrown after all settled.
  const outcomes = await Promise.allSettled(input.channels.map((channel) => deliverOnChannel(input, channel, summary)));
  const rejected = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
  if (rejected) throw rejected.reason;
  return summary;
}

async function deliverOnChannel(input: DeliverInput, channel: NotificationChannel, summary: DeliverySummary): Promise<void> {
  const { notification, store, logger } = input;
  const allowed = channel.silenceable && !notification.critical ? input.recipients.filter((r) => enabled(input.preferences, r.userId, channel.name)) : input.recipients;
  summary.silenced += input.recipients.length - allowed.length;
  let targets: DeliveryTarget[];
  try {
    targets = channel.targets ? channel.targets(notification, allowed) : allowed.map((user) => ({ recipient: user.userId, user, address: user.userId }));
  } catch (error) {
    summary.failures.push({ channel: channel.name, recipient: '*', error: messageOf(error), outage: false });
    return;
  }
  for (const target of targets) {
    const key = { idempotencyKey: notification.idempotencyKey, channel: channel.name, recipient: target.recipient };
    const log = logger.child({ channel: channel.name, recipient: target.recipient });
    const outcome = await store.claimDelivery({ ...key, permitId: notification.permitId, template: notification.template, leaseMs: input.leaseMs });
    if (outcome === 'sent') {
      summary.alreadySent += 1;
      log.debug('already sent by an earlier delivery of this job');
      continue;
    }
    if (outcome === 'busy') {
      summary.busy += 1;
      log.info('another delivery of this job is sending this copy');
      continue;
    }
    try {
      const result = await channel.send(notification, target);
      await store.markSent(key, result.providerMessageId ? { providerMessageId: result.providerMessageId } : {});
      summary.sent += 1;
      log.info({ providerMessageId: result.providerMessageId }, `${notification.template} sent by ${channel.name} to ${target.recipient}`);
    } catch (error) {
      const text = messageOf(error);
      const outage = isDeliveryOutage(error);
      log.warn({ err: error, outage }, `${notification.template} by ${channel.name} to ${target.recipient} failed: ${text}`);
      const attempts = await store.release(key, text).catch((releaseError: unknown) => {
        log.error({ err: releaseError }, 'could not release the delivery claim; it is retried once its lease runs out');
        return undefined;
      });
      summary.failures.push({ channel: channel.name, recipient: target.recipient, error: text, outage, ...(attempts === undefined ? {} : { attempts }) });
    }
  }
}

function enabled(preferences: readonly ChannelPreference[], userId: string, channel: string): boolean {
  return preferences.find((p) => p.userId === userId && p.channel === channel)?.enabled ?? true;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
