/**
 * The outbox relay: takes unpublished outbox rows in `seq` order and hands each to every sink (the in-app hub,
 * RabbitMQ); a row is marked published once every sink took it. When a sink fails the row stays unpublished
 * (its attempt and error are recorded), the round stops there so later events do not overtake it, and the relay
 * waits with exponential back-off before trying again. A broker outage therefore delays events and loses none.
 *
 *   const relay = createOutboxRelay({ knex, sinks: [hub, amqp], logger, pollMs: 500 });
 *   relay.start();
 *   relay.wake();        // optional: something was just enqueued, do not wait for the next poll
 *   await relay.stop();
 *
 * Run one relay per database (see db/outbox/claim-unpublished.ts); consumers de-duplicate on the event id.
 */
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import { claimUnpublished, markFailed, markPublished, type OutboxEvent } from '../../db/index.js';
import type { EventSink } from './event-sink.js';

/** The outbox operations the relay uses (db/ by default; tests may hand in fakes). */
export interface OutboxPort {
  claimUnpublished(limit: number): Promise<OutboxEvent[]>;
  markPublished(ids: readonly string[]): Promise<number>;
  markFailed(id: string, error: unknown): Promise<void>;
}

export interface OutboxRelayOptions {
  knex?: Knex;
  outbox?: OutboxPort;
  sinks: readonly EventSink[];
  logger: Logger;
  /** Pause between polls when the outbox is empty. Default 500 ms. */
  pollMs?: number;
  /** Rows per round. Default 100. */
  batchSize?: number;
  /** Published rows are marked in chunks of this many within a round. Default 10. */
  markEvery?: number;
  /** Back-off after a failed round: starts at `minMs`, doubles, capped at `maxMs`. Default 500 ms … 30 s. */
  backOff?: { minMs: number; maxMs: number };
}

export interface RelayRound {
  published: number;
  failed: number;
  /** True when the round took a full batch (more may be waiting). */
  full: boolean;
}

export interface OutboxRelay {
  start(): void;
  /** Ends the loop after the round in progress. */
  stop(): Promise<void>;
  /** Runs one round now (what the loop does each time). */
  runOnce(): Promise<RelayRound>;
  /** Cuts the current pause short. */
  wake(): void;
}

export function createOutboxRelay(options: OutboxRelayOptions): OutboxRelay {
  const outbox = options.outbox ?? knexOutbox(options.knex);
  const pollMs = options.pollMs ?? 500;
  const batchSize = options.batchSize ?? 100;
  const markEvery = options.markEvery ?? 10;
  const backOff = options.backOff ?? { minMs: 500, maxMs: 30_000 };
  const log = options.logger.child({ component: 'outbox-relay' });
  let running: Promise<void> | undefined;
  let stopped = true;
  let failures = 0;
  let wakeUp: (() => void) | undefined;

  async function runOnce(): Promise<RelayRound> {
    const events = await outbox.claimUnpublished(batchSize);
    const published: string[] = [];
    let marked = 0;
    let failed = 0;
    for (const event of events) {
      try {
        for (const sink of options.sinks) await sink.publish(event);
        published.push(event.id);
        // Mark as we go, so a relay that dies mid-round (SIGKILL) leaves at most `markEvery` events to be sent again.
        if (published.length - marked >= markEvery) {
          await outbox.markPublished(published.slice(marked));
          marked = published.length;
        }
      } catch (error) {
        failed = 1;
        const message = error instanceof Error ? error.message : String(error);
        log.warn({ eventId: event.id, seq: event.seq, event: event.name, attempts: event.attempts + 1, err: message }, 'event not published; it stays in the outbox and is retried');
        await outbox.markFailed(event.id, error);
        break;
      }
    }
    if (published.length > marked) await outbox.markPublished(published.slice(marked));
    if (published.length > 0) log.debug({ published: published.length }, 'events published');
    return { published: published.length, failed, full: events.length === batchSize };
  }

  async function loop(): Promise<void> {
    while (!stopped) {
      let pause = pollMs;
      try {
        const round = await runOnce();
        if (round.failed > 0) {
          failures += 1;
          pause = Math.min(backOff.maxMs, backOff.minMs * 2 ** (failures - 1));
        } else {
          if (failures > 0) log.info({ afterFailedRounds: failures }, 'events flow again');
          failures = 0;
          if (round.full) pause = 0;
        }
      } catch (error) {
        failures += 1;
        pause = Math.min(backOff.maxMs, backOff.minMs * 2 ** (failures - 1));
        log.error({ err: error, retryInMs: pause }, 'outbox relay round failed (database unreachable?)');
      }
      if (!stopped && pause > 0) await sleep(pause);
    }
  }

  function sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        wakeUp = undefined;
        resolve();
      }
      wakeUp = done;
    });
  }

  return {
    start() {
      if (running) return;
      stopped = false;
      log.info({ sinks: options.sinks.map((s) => s.name), pollMs }, 'outbox relay started');
      running = loop();
    },
    async stop() {
      stopped = true;
      wakeUp?.();
      await running;
      running = undefined;
      log.info('outbox relay stopped');
    },
    runOnce,
    wake() {
      wakeUp?.();
    },
  };
}

function knexOutbox(knex: Knex | undefined): OutboxPort {
  if (!knex) throw new Error('createOutboxRelay needs knex (or an outbox port)');
  return {
    claimUnpublished: (limit) => claimUnpublished(knex, limit),
    markPublished: (ids) => markPublished(knex, ids),
    markFailed: (id, error) => markFailed(knex, id, error),
  };
}
