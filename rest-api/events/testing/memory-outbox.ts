/** Test helpers: outbox events and an in-memory outbox port. */
import { randomUUID } from 'node:crypto';
import type { OutboxEvent } from '../../../db/index.js';
import { EVENTS, type EventName } from '../../../shared/index.js';
import type { OutboxPort } from '../outbox-relay.js';

let seq = 0;

export function makeOutboxEvent(over: Partial<OutboxEvent> = {}): OutboxEvent {
  seq += 1;
  return {
    seq,
    id: randomUUID(),
    name: EVENTS.statusUpdated as EventName,
    permitId: 'P-1',
    payload: { permitId: 'P-1', newStatus: 'SUBMITTED' },
    occurredAt: new Date('2026-03-01T10:00:00Z').toISOString(),
    publishedAt: null,
    attempts: 0,
    lastError: null,
    ...over,
  };
}

export function createMemoryOutbox(events: OutboxEvent[]): OutboxPort & { events: OutboxEvent[] } {
  return {
    events,
    async claimUnpublished(limit) {
      return events.filter((e) => e.publishedAt === null).sort((a, b) => a.seq - b.seq).slice(0, limit).map((e) => ({ ...e }));
    },
    async markPublished(ids) {
      let marked = 0;
      for (const e of events) {
        if (ids.includes(e.id) && e.publishedAt === null) {
          e.publishedAt = new Date().toISOString();
          e.attempts += 1;
          marked += 1;
        }
      }
      return marked;
    },
    async markFailed(id, error) {
      const e = events.find((x) => x.id === id);
      if (e) {
        e.attempts += 1;
        e.lastError = error instanceof Error ? error.message : String(error);
      }
    },
  };
}
