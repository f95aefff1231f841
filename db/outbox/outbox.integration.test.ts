import type { Knex } from 'knex';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EVENTS, ValidationError, type EventName } from '../../shared/index.js';
import type { Database } from '../create-database.js';
import { testDatabaseTargets } from '../testing/test-databases.js';
import { TABLES } from '../types.js';
import { toOutboxEvent, type OutboxEventRow } from './outbox-event-rows.js';
import { claimUnpublished, markFailed, markPublished } from './claim-unpublished.js';
import { enqueueEvent } from './enqueue-event.js';

const targets = testDatabaseTargets();

describe.each(targets)('outbox on $name', (target) => {
  let db: Database;
  let knex: Knex;
  beforeEach(async () => {
    db = await target.open();
    knex = db.knex;
  });
  afterEach(() => db.close());
  afterAll(() => target.dispose());

  const enqueueSome = async (count: number) => {
    const ids: string[] = [];
    for (let i = 0; i < count; i++) ids.push((await enqueueEvent(knex, { name: EVENTS.ingressInitiated, permitId: `p${i}`, payload: { i } })).id);
    return ids;
  };

  it('writes an event with a fresh uuid, unpublished, and returns its id', async () => {
    const occurredAt = new Date('2026-03-01T12:00:00.000Z');
    const { id, created } = await enqueueEvent(knex, { name: EVENTS.setupApproved, permitId: 'p1', payload: { permitId: 'p1', list: [1, 2] }, occurredAt });
    expect(created).toBe(true);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    const rows = ((await knex(TABLES.outboxEvents)) as OutboxEventRow[]).map(toOutboxEvent);
    expect(rows).toEqual([
      { seq: 1, id, name: EVENTS.setupApproved, permitId: 'p1', payload: { permitId: 'p1', list: [1, 2] }, occurredAt: occurredAt.toISOString(), publishedAt: null, attempts: 0, lastError: null },
    ]);
  });

  it('writes an event with a given id once: the repeat is skipped', async () => {
    expect(await enqueueEvent(knex, { id: 'job-12-event', name: EVENTS.preparationCompleted, payload: {} })).toEqual({ id: 'job-12-event', created: true });
    expect(await enqueueEvent(knex, { id: 'job-12-event', name: EVENTS.preparationCompleted, payload: { again: true } })).toEqual({ id: 'job-12-event', created: false });
    expect(((await knex(TABLES.outboxEvents)) as OutboxEventRow[]).map((r) => r.payload)).toEqual([{}]);
  });

  it('refuses unknown event names and payloads that are not objects', async () => {
    const unknown = enqueueEvent(knex, { name: 'permit.exploded' as EventName, payload: {} });
    await expect(unknown).rejects.toBeInstanceOf(ValidationError);
    await expect(unknown).rejects.toThrow("Unknown event name 'permit.exploded'");
    await expect(enqueueEvent(knex, { name: EVENTS.closed, payload: [] as unknown as Record<string, unknown> })).rejects.toThrow('payload must be a JSON object');
  });

  it('is part of the caller’s transaction: rolled back with it', async () => {
    await expect(
      knex.transaction(async (trx) => {
        await enqueueEvent(trx, { name: EVENTS.closed, payload: {} });
        throw new Error('change failed');
      }),
    ).rejects.toThrow('change failed');
    expect(await claimUnpublished(knex, 10)).toEqual([]);
  });

  it('claims the oldest unpublished events first, up to the limit, and leaves published ones out', async () => {
    const ids = await enqueueSome(5);
    expect((await claimUnpublished(knex, 3)).map((e) => e.id)).toEqual(ids.slice(0, 3));
    expect(await markPublished(knex, ids.slice(0, 2))).toBe(2);
    expect((await claimUnpublished(knex, 10)).map((e) => e.id)).toEqual(ids.slice(2));
    expect(await markPublished(knex, [ids[0]!, 'unknown-id'])).toBe(0);
    expect(await markPublished(knex, [])).toBe(0);
    const published = (await knex(TABLES.outboxEvents).where({ id: ids[0] }).first()) as OutboxEventRow;
    expect(toOutboxEvent(published)).toMatchObject({ attempts: 1, lastError: null, publishedAt: expect.stringMatching(/^\d{4}-/) });
  });

  it('counts failed attempts, keeps the error and claims the event again', async () => {
    const [id] = await enqueueSome(1);
    await markFailed(knex, id!, new Error('broker unreachable'));
    await markFailed(knex, id!, 'channel closed');
    expect(await claimUnpublished(knex, 10)).toEqual([expect.objectContaining({ id, attempts: 2, lastError: 'channel closed', publishedAt: null })]);
    await markPublished(knex, [id!]);
    expect(await claimUnpublished(knex, 10)).toEqual([]);
  });

  it('refuses a limit that is not a positive integer', async () => {
    await expect(claimUnpublished(knex, 0)).rejects.toThrow('limit must be a positive integer, got 0');
  });
});

const postgres = targets.find((t) => t.name === 'PostgreSQL');

describe.skipIf(!postgres)('outbox claims in transactions on PostgreSQL', () => {
  let db: Database;
  beforeEach(async () => {
    db = await postgres!.open();
  });
  afterEach(() => db.close());
  afterAll(() => postgres!.dispose());

  it('skips events another relay holds in its open transaction', async () => {
    for (let i = 0; i < 4; i++) await enqueueEvent(db.knex, { name: EVENTS.closed, payload: { i } });
    const first = await db.knex.transaction();
    const second = await db.knex.transaction();
    try {
      const a = await claimUnpublished(first, 2);
      const b = await claimUnpublished(second, 10);
      expect(a.map((e) => e.payload.i)).toEqual([0, 1]);
      expect(b.map((e) => e.payload.i)).toEqual([2, 3]);
      await markPublished(first, a.map((e) => e.id));
      await first.commit();
      await second.rollback();
      expect((await claimUnpublished(db.knex, 10)).map((e) => e.payload.i)).toEqual([2, 3]);
    } finally {
      if (!first.isCompleted()) await first.rollback();
      if (!second.isCompleted()) await second.rollback();
    }
  });
});
