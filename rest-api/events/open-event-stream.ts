/**
 * One SSE connection of `GET /api/events/stream`: `id:` is the outbox seq, `event:` the event name, `data:` the
 * event as JSON (`EventMessage`). With a `Last-Event-ID` the stream first replays what the outbox holds after
 * that seq (while buffering live events, so none fall in the gap), then goes live. Comment lines keep idle
 * connections open. Only events of permits the caller may see are sent (administrators see all; events
 * without a permit go to administrators only). An event whose payload names a `userId` (`notification.created`)
 * is personal: it goes to that user only, whoever else may see its permit, administrators included. A client
 * that cannot keep up is disconnected; it reconnects with its Last-Event-ID and misses nothing.
 *
 * A stream lives no longer than the token that opened it: at `expiresAt` it sends one `stream.expired` event
 * (`data: { reason: 'token-expired', expiredAt, lastEventId }`) and closes, so the client gets a new token and
 * reconnects with that Last-Event-ID; nothing is missed and nothing is sent on an expired token.
 */
import type { Response } from 'express';
import type { Logger } from 'pino';
import type { OutboxEvent } from '../../db/index.js';
import type { Caller } from '../identity/caller.js';
import type { EventHub } from './event-hub.js';
import { toEventMessage } from './event-sink.js';

/** Whether the caller may see this permit (membership from `permit_members`). */
export type PermitVisibility = (caller: Caller, permitId: string) => Promise<boolean> | boolean;

/** Events after `afterSeq`, oldest first, at most `limit`. */
export type ReadEventsAfter = (afterSeq: number, limit: number) => Promise<OutboxEvent[]>;

export interface EventStreamOptions {
  hub: EventHub;
  readEventsAfter: ReadEventsAfter;
  canSeePermit: PermitVisibility;
  logger: Logger;
  heartbeatMs: number;
  /** How long a visibility answer is reused on one connection (membership changes apply after this). */
  visibilityCacheMs: number;
  /** Disconnect a client once this much output waits unsent. */
  maxBufferedBytes: number;
  replayPageSize: number;
}

/** Per connection: when the caller's token expires (epoch ms; undefined: never), and who to tell when it closes. */
export interface StreamLifetime {
  expiresAt?: number;
  onClose?: () => void;
}

/** The final event of a stream whose token expired. */
export const STREAM_EXPIRED_EVENT = 'stream.expired';

export function openEventStream(res: Response, caller: Caller, lastEventId: number | undefined, options: EventStreamOptions, lifetime: StreamLifetime = {}): void {
  const log = options.logger.child({ component: 'event-stream', userId: caller.userId });
  const admin = caller.roles.includes('admin');
  const visibility = new Map<string, { visible: boolean; until: number }>();
  let closed = false;
  let queue: Promise<void> = Promise.resolve();
  let lastSentSeq = lastEventId;

  res.status(200);
  res.set({ 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-cache, no-transform', Connection: 'keep-alive', 'X-Accel-Buffering': 'no' });
  res.flushHeaders();
  write('retry: 3000\n: connected\n\n');

  const heartbeat = setInterval(() => write(': heartbeat\n\n'), options.heartbeatMs);
  heartbeat.unref();
  // setTimeout takes at most 2^31-1 ms (about 24.8 days); a longer token is re-checked then.
  let expiry: NodeJS.Timeout | undefined;
  const armExpiry = () => {
    if (lifetime.expiresAt === undefined) return;
    const left = lifetime.expiresAt - Date.now();
    if (left <= 0) return expire();
    expiry = setTimeout(armExpiry, Math.min(left, 2 ** 31 - 1));
    expiry.unref();
  };

  // Subscribe before replaying, and hold live events until the replay is done. Replayed events the relay had not
  // published yet will come through the hub once more: remember their ids to skip them then.
  let replaying = lastEventId !== undefined;
  const held: OutboxEvent[] = [];
  const replayedUnpublished = new Set<string>();
  const onLive = (event: OutboxEvent) => {
    if (replayedUnpublished.delete(event.id)) return;
    // The client said it has everything up to Last-Event-ID; an unpublished event it saw comes through the hub later.
    if (lastEventId !== undefined && event.seq <= lastEventId) return;
    enqueue(event);
  };
  const unsubscribe = options.hub.subscribe((event) => {
    if (replaying) held.push(event);
    else onLive(event);
  });
  res.on('close', close);
  armExpiry();
  log.debug({ lastEventId, subscribers: options.hub.subscribers }, 'event stream opened');

  if (lastEventId !== undefined) {
    queue = queue
      .then(() => replay(lastEventId))
      .then(() => {
        replaying = false;
        for (const event of held.splice(0)) onLive(event);
      })
      .catch((error: unknown) => {
        log.error({ err: error }, 'event stream replay failed; closing the stream so the client reconnects');
        res.end();
      });
  }

  async function replay(afterSeq: number): Promise<void> {
    let cursor = afterSeq;
    for (;;) {
      const page = await options.readEventsAfter(cursor, options.replayPageSize);
      for (const event of page) {
        if (closed) return;
        if (event.publishedAt === null) replayedUnpublished.add(event.id);
        await deliver(event);
        cursor = event.seq;
      }
      if (page.length < options.replayPageSize) return;
    }
  }

  function enqueue(event: OutboxEvent): void {
    queue = queue.then(() => deliver(event)).catch((error: unknown) => log.error({ err: error, eventId: event.id }, 'event stream delivery failed'));
  }

  async function deliver(event: OutboxEvent): Promise<void> {
    if (closed || !(await visible(event))) return;
    write(`id: ${event.seq}\nevent: ${event.name}\ndata: ${JSON.stringify(toEventMessage(event))}\n\n`);
    lastSentSeq = event.seq;
  }

  /** The token ran out: say so (no `id:`, so the client's Last-Event-ID stays the last real event) and close. */
  function expire(): void {
    if (closed) return;
    const expiredAt = new Date(lifetime.expiresAt ?? Date.now()).toISOString();
    const data = { reason: 'token-expired', expiredAt, lastEventId: lastSentSeq ?? null, detail: 'Your token expired; get a new one and reconnect with Last-Event-ID to resume where this stream stopped.' };
    write(`event: ${STREAM_EXPIRED_EVENT}\ndata: ${JSON.stringify(data)}\n\n`);
    log.info({ expiredAt }, 'event stream closed: its token expired');
    res.end();
    close();
  }

  async function visible(event: OutboxEvent): Promise<boolean> {
    // Personal events (an in-app notification) name their one recipient: only that user gets them, admins included.
    const recipient = event.payload.userId;
    if (recipient !== undefined) return recipient === caller.userId;
    if (admin) return true;
    if (!event.permitId) return false;
    const cached = visibility.get(event.permitId);
    if (cached && cached.until > Date.now()) return cached.visible;
    const answer = await options.canSeePermit(caller, event.permitId);
    visibility.set(event.permitId, { visible: answer, until: Date.now() + options.visibilityCacheMs });
    return answer;
  }

  function write(chunk: string): void {
    if (closed) return;
    res.write(chunk);
    if (res.writableLength > options.maxBufferedBytes) {
      log.warn({ buffered: res.writableLength }, 'event stream client is too slow; disconnecting it (it resumes with Last-Event-ID)');
      res.end();
      close();
    }
  }

  function close(): void {
    if (closed) return;
    closed = true;
    clearInterval(heartbeat);
    clearTimeout(expiry);
    unsubscribe();
    lifetime.onClose?.();
    log.debug('event stream closed');
  }
}
