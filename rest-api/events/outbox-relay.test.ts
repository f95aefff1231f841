import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import type { OutboxEvent } from '../../db/index.js';
import { UnavailableError } from '../../shared/index.js';
import { createEventHub } from './event-hub.js';
import type { EventSink } from './event-sink.js';
import { createOutboxRelay } from './outbox-relay.js';
import { createMemoryOutbox, makeOutboxEvent } from './testing/memory-outbox.js';

const logger = pino({ level: 'silent' });

/** A sink that records what it took and fails while `down` is set. */
function flakySink() {
  const received: OutboxEvent[] = [];
  const sink: EventSink & { down: boolean; received: OutboxEvent[] } = {
    name: 'broker',
    down: false,
    received,
    async publish(event) {
      if (sink.down) throw new UnavailableError('broker unreachable');
      received.push(event);
    },
  };
  return sink;
}

describe('outbox relay', () => {
  it('publishes unpublished events to every sink in seq order and marks them published', async () => {
    const events = [makeOutboxEvent(), makeOutboxEvent(), makeOutboxEvent()];
    const outbox = createMemoryOutbox([events[2]!, events[0]!, events[1]!]);
    const broker = flakySink();
    const hub = createEventHub();
    const inApp: string[] = [];
    hub.subscribe((e) => inApp.push(e.id));
    const round = await createOutboxRelay({ outbox, sinks: [hub, broker], logger }).runOnce();
    expect(round).toEqual({ published: 3, failed: 0, full: false });
    expect(broker.received.map((e) => e.id)).toEqual(events.map((e) => e.id));
    expect(inApp).toEqual(events.map((e) => e.id));
    expect(outbox.events.every((e) => e.publishedAt !== null)).toBe(true);
  });

  it('keeps events unpublished while a sink is down, stops at the first failure, and loses none when it is back', async () => {
    const events = [makeOutboxEvent(), makeOutboxEvent()];
    const outbox = createMemoryOutbox(events);
    const broker = flakySink();
    const hub = createEventHub();
    const inApp: string[] = [];
    hub.subscribe((e) => inApp.push(e.id));
    const relay = createOutboxRelay({ outbox, sinks: [hub, broker], logger });

    broker.down = true;
    expect(await relay.runOnce()).toEqual({ published: 0, failed: 1, full: false });
    expect(await relay.runOnce()).toMatchObject({ published: 0, failed: 1 });
    expect(outbox.events[0]).toMatchObject({ publishedAt: null, attempts: 2, lastError: 'broker unreachable' });
    expect(outbox.events[1]).toMatchObject({ publishedAt: null, attempts: 0 });

    broker.down = false;
    expect(await relay.runOnce()).toMatchObject({ published: 2, failed: 0 });
    expect(broker.received.map((e) => e.id)).toEqual(events.map((e) => e.id));
    // The hub had the first event already during the outage; it is not passed on twice.
    expect(inApp).toEqual(events.map((e) => e.id));
  });

  it('runs in the background until stopped, and reports full batches', async () => {
    const outbox = createMemoryOutbox(Array.from({ length: 5 }, () => makeOutboxEvent()));
    const broker = flakySink();
    const relay = createOutboxRelay({ outbox, sinks: [broker], logger, batchSize: 2, pollMs: 10 });
    relay.start();
    while (broker.received.length < 5) await new Promise((resolve) => setTimeout(resolve, 5));
    await relay.stop();
    expect(broker.received).toHaveLength(5);
    expect((await relay.runOnce()).full).toBe(false);
  });

  it('survives a failing database round and tries again', async () => {
    const outbox = createMemoryOutbox([makeOutboxEvent()]);
    let broken = true;
    const flakyOutbox = {
      ...outbox,
      claimUnpublished: async (limit: number) => {
        if (broken) {
          broken = false;
          throw new Error('connection terminated');
        }
        return outbox.claimUnpublished(limit);
      },
    };
    const broker = flakySink();
    const relay = createOutboxRelay({ outbox: flakyOutbox, sinks: [broker], logger, pollMs: 10, backOff: { minMs: 5, maxMs: 10 } });
    relay.start();
    while (broker.received.length < 1) await new Promise((resolve) => setTimeout(resolve, 5));
    await relay.stop();
    expect(broker.received).toHaveLength(1);
  });

  it('needs knex or an outbox port', () => {
    expect(() => createOutboxRelay({ sinks: [], logger })).toThrow('createOutboxRelay needs knex (or an outbox port)');
  });

  it('marks published events in chunks during a round, so a relay killed mid-round re-sends at most one chunk', async () => {
    const events = Array.from({ length: 25 }, () => makeOutboxEvent());
    const outbox = createMemoryOutbox(events);
    const chunks: number[] = [];
    const marking = { ...outbox, markPublished: (ids: readonly string[]) => (chunks.push(ids.length), outbox.markPublished(ids)) };
    const seenUnpublishedAtPublish: number[] = [];
    const broker: EventSink = {
      name: 'broker',
      publish: async () => void seenUnpublishedAtPublish.push(outbox.events.filter((e) => e.publishedAt === null).length),
    };
    const round = await createOutboxRelay({ outbox: marking, sinks: [broker], logger, markEvery: 10 }).runOnce();
    expect(round.published).toBe(25);
    expect(chunks).toEqual([10, 10, 5]);
    // When the 21st event went out, the first 20 were already marked: a kill then would repeat at most 10.
    expect(seenUnpublishedAtPublish[20]).toBe(5);
  });
});
