/**
 * Sends one rendered notification on every channel, each copy at most once: every target is claimed in the
 * delivery ledger before it is sent and marked sent after, so a second delivery of the job (or a retry after a
 * failure) sends only what has not gone out yet. While a copy is being sent its claim is renewed (a third of the
 * lease), so a slow mail server never lets another delivery take the claim over and send it a second time; only a
 * delivery that died loses its claim. A copy the service acknowledged but the ledger could not record (the
 * database away at that moment) is not released: it is remembered in `acknowledged` and recorded as sent by the
 * next delivery in this process, without sending it again. What remains at-least-once: the process dying between
 * the service's acknowledgement and the ledger write (docs/notifications.md). Preferences silence email and Slack for people who turned them
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
  /**
   * Copies the service acknowledged whose ledger write failed (ledger key → provider message id), kept by the
   * handler across deliveries in this process.
   */
  acknowledged?: Map<string, string | undefined>;
  /** Attempts at the ledger write after a send the service acknowledged (default 3, 200 ms apart). */
  markAttempts?: number;
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
    const ledgerKey = `${key.idempotencyKey}\u0000${key.channel}\u0000${key.recipient}`;
    const log = logger.child({ channel: channel.name, recipient: target.recipient });
    if (input.acknowledged?.has(ledgerKey)) {
      // Sent by an earlier delivery in this process whose ledger write failed: record it, never send it again.
      const providerMessageId = input.acknowledged.get(ledgerKey);
      try {
        await store.markSent(key, providerMessageId ? { providerMessageId } : {});
        input.acknowledged.delete(ledgerKey);
        summary.alreadySent += 1;
        log.info({ providerMessageId }, 'recorded a copy the service had acknowledged earlier; not sent again');
      } catch (error) {
        summary.failures.push({ channel: channel.name, recipient: target.recipient, error: `sent, but the delivery ledger cannot record it yet: ${messageOf(error)}`, outage: false });
      }
      continue;
    }
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
    let result: Awaited<ReturnType<NotificationChannel['send']>>;
    const renewal = setInterval(() => {
      store.renewClaim(key).catch((error: unknown) => log.warn({ err: error }, 'could not renew the delivery claim while sending'));
    }, Math.max(50, Math.floor(input.leaseMs / 3)));
    try {
      result = await channel.send(notification, target);
    } catch (error) {
      const text = messageOf(error);
      const outage = isDeliveryOutage(error);
      log.warn({ err: error, outage }, `${notification.template} by ${channel.name} to ${target.recipient} failed: ${text}`);
      const attempts = await store.release(key, text).catch((releaseError: unknown) => {
        log.error({ err: releaseError }, 'could not release the delivery claim; it is retried once its lease runs out');
        return undefined;
      });
      summary.failures.push({ channel: channel.name, recipient: target.recipient, error: text, outage, ...(attempts === undefined ? {} : { attempts }) });
      continue;
    } finally {
      clearInterval(renewal);
    }
    const details = result.providerMessageId ? { providerMessageId: result.providerMessageId } : {};
    const markError = await markSentPersistently(store, key, details, input.markAttempts ?? 3);
    if (markError === undefined) {
      summary.sent += 1;
      log.info({ providerMessageId: result.providerMessageId }, `${notification.template} sent by ${channel.name} to ${target.recipient}`);
      continue;
    }
    // The service has it; the ledger does not know yet. Keep the claim (no release) and remember the copy.
    input.acknowledged?.set(ledgerKey, result.providerMessageId);
    log.error({ err: markError, providerMessageId: result.providerMessageId }, 'sent, but the delivery ledger could not record it; the next delivery of the job records it without sending again');
    summary.failures.push({ channel: channel.name, recipient: target.recipient, error: `sent, but the delivery ledger could not record it: ${messageOf(markError)}`, outage: false });
  }
}

/** markSent, tried a few times (200 ms apart); answers the last error, or undefined once it worked. */
async function markSentPersistently(store: NotificationStore, key: Parameters<NotificationStore['markSent']>[0], details: { providerMessageId?: string }, attempts: number): Promise<unknown> {
  let last: unknown;
  for (let attempt = 0; attempt < Math.max(1, attempts); attempt += 1) {
    if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 200));
    try {
      await store.markSent(key, details);
      return undefined;
    } catch (error) {
      last = error;
    }
  }
  return last;
}

function enabled(preferences: readonly ChannelPreference[], userId: string, channel: string): boolean {
  return preferences.find((p) => p.userId === userId && p.channel === channel)?.enabled ?? true;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
