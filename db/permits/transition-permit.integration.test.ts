import type { Knex } from 'knex';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConflictError, EVENTS, InvalidTransitionError, NotFoundError, PreconditionFailedError, ValidationError, type PermitStatus } from '../../shared/index.js';
import { verifyAuditLog } from '../audit/verify-audit-log.js';
import type { Database } from '../create-database.js';
import { insertPermit } from '../testing/permit-fixtures.js';
import { breakInserts, rowCounts } from '../testing/row-counts.js';
import { testDatabaseTargets } from '../testing/test-databases.js';
import { toAuditEntry, type AuditRow } from '../audit/audit-rows.js';
import { toOutboxEvent, type OutboxEventRow } from '../outbox/outbox-event-rows.js';
import { TABLES } from '../types.js';
import { toStatusHistoryEntry, type StatusHistoryRow } from './permit-rows.js';
import { transitionPermit } from './transition-permit.js';

const targets = testDatabaseTargets();

describe.each(targets)('transitionPermit on $name', (target) => {
  let db: Database;
  let knex: Knex;
  beforeEach(async () => {
    db = await target.open();
    knex = db.knex;
  });
  afterEach(() => db.close());
  afterAll(() => target.dispose());

  it('moves an allowed transition and writes history, audit and both outbox events with it', async () => {
    const permit = await insertPermit(knex, { processInstanceKey: '2251799813685249' });
    const result = await transitionPermit(knex, {
      permitId: permit.id,
      to: 'SUBMITTED',
      expectedStatus: 'DRAFT',
      expectedVersion: 1,
      actor: 'alice',
      reason: 'application complete',
      event: EVENTS.applicationSubmitted,
      payload: { submittedBy: 'alice' },
    });
    expect(result.changed).toBe(true);
    expect(result.permit).toMatchObject({ id: permit.id, status: 'SUBMITTED', version: 2 });

    const history = ((await knex(TABLES.permitStatusHistory).where({ permit_id: permit.id })) as StatusHistoryRow[]).map(toStatusHistoryEntry);
    expect(history).toEqual([
      expect.objectContaining({ previousStatus: 'DRAFT', newStatus: 'SUBMITTED', actor: 'alice', reason: 'application complete', version: 2, processInstanceKey: '2251799813685249' }),
    ]);
    const occurredAt = history[0]!.occurredAt;

    const audit = ((await knex(TABLES.auditLog)) as AuditRow[]).map(toAuditEntry);
    expect(audit).toEqual([
      expect.objectContaining({
        seq: 1,
        actor: 'alice',
        action: 'permit.status.changed',
        permitId: permit.id,
        details: { previousStatus: 'DRAFT', newStatus: 'SUBMITTED', reason: 'application complete', version: 2, processInstanceKey: '2251799813685249', event: EVENTS.applicationSubmitted, payload: { submittedBy: 'alice' } },
      }),
    ]);

    const outbox = ((await knex(TABLES.outboxEvents).orderBy('seq')) as OutboxEventRow[]).map(toOutboxEvent);
    const change = { permitId: permit.id, previousStatus: 'DRAFT', newStatus: 'SUBMITTED', actor: 'alice', reason: 'application complete', occurredAt, version: 2, processInstanceKey: '2251799813685249' };
    expect(outbox.map((e) => [e.name, e.permitId, e.payload, e.occurredAt, e.publishedAt])).toEqual([
      [EVENTS.statusUpdated, permit.id, change, occurredAt, null],
      [EVENTS.applicationSubmitted, permit.id, { submittedBy: 'alice', ...change }, occurredAt, null],
    ]);
    expect(new Set(outbox.map((e) => e.id)).size).toBe(2);
  });

  it('publishes only permit.status.updated when no domain event is given, with the caller’s process instance key', async () => {
    const permit = await insertPermit(knex, { status: 'SUBMITTED' });
    await transitionPermit(knex, { permitId: permit.id, to: 'UNDER_ASSESSMENT', actor: 'system:permit.set-status', processInstanceKey: '42' });
    const outbox = (await knex(TABLES.outboxEvents)) as OutboxEventRow[];
    expect(outbox.map((e) => [e.name, e.payload.processInstanceKey, e.payload.reason])).toEqual([[EVENTS.statusUpdated, '42', null]]);
  });

  it('treats a move to the status the permit already has as done: changed false, nothing written', async () => {
    const permit = await insertPermit(knex);
    await transitionPermit(knex, { permitId: permit.id, to: 'SUBMITTED', actor: 'alice' });
    const before = await rowCounts(knex);
    const again = await transitionPermit(knex, { permitId: permit.id, to: 'SUBMITTED', actor: 'alice', event: EVENTS.applicationSubmitted });
    expect(again).toEqual({ permit: expect.objectContaining({ status: 'SUBMITTED', version: 2 }), changed: false });
    expect(await rowCounts(knex)).toEqual(before);
  });

  it('treats a repeat with the same idempotency key as done even after the permit moved on', async () => {
    const permit = await insertPermit(knex);
    await transitionPermit(knex, { permitId: permit.id, to: 'SUBMITTED', actor: 'worker', idempotencyKey: 'job-1' });
    await transitionPermit(knex, { permitId: permit.id, to: 'UNDER_ASSESSMENT', actor: 'worker', idempotencyKey: 'job-2' });
    const before = await rowCounts(knex);
    const repeat = await transitionPermit(knex, { permitId: permit.id, to: 'SUBMITTED', actor: 'worker', idempotencyKey: 'job-1' });
    expect(repeat).toEqual({ permit: expect.objectContaining({ status: 'UNDER_ASSESSMENT', version: 3 }), changed: false });
    expect(await rowCounts(knex)).toEqual(before);
  });

  it('refuses an illegal transition with the current status and the statuses allowed, writing nothing', async () => {
    const permit = await insertPermit(knex);
    const before = await rowCounts(knex);
    const error = await transitionPermit(knex, { permitId: permit.id, to: 'ANALYSIS_ACTIVE', actor: 'alice' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidTransitionError);
    expect(error).toMatchObject({ currentStatus: 'DRAFT', details: { currentStatus: 'DRAFT', allowedStatuses: ['SUBMITTED', 'WITHDRAWN'], requestedStatus: 'ANALYSIS_ACTIVE' } });
    expect((error as Error).message).toBe(`Permit ${permit.id} cannot move from DRAFT to ANALYSIS_ACTIVE`);
    expect(await rowCounts(knex)).toEqual(before);
    expect(await knex(TABLES.permits).where({ id: permit.id }).first('status', 'version')).toEqual({ status: 'DRAFT', version: 1 });
  });

  it('refuses a stale version with PreconditionFailedError, writing nothing', async () => {
    const permit = await insertPermit(knex, { version: 4 });
    const before = await rowCounts(knex);
    const error = await transitionPermit(knex, { permitId: permit.id, to: 'SUBMITTED', expectedVersion: 3, actor: 'alice' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PreconditionFailedError);
    expect(error).toMatchObject({ details: { currentVersion: 4, expectedVersion: 3 } });
    expect(await rowCounts(knex)).toEqual(before);
  });

  it('refuses when the permit is not in the expected status with ConflictError', async () => {
    const permit = await insertPermit(knex, { status: 'SUBMITTED' });
    const error = await transitionPermit(knex, { permitId: permit.id, to: 'WITHDRAWN', expectedStatus: 'DRAFT', actor: 'alice' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConflictError);
    expect(error).toMatchObject({ details: { currentStatus: 'SUBMITTED', expectedStatus: 'DRAFT' } });
  });

  it('reports a missing permit as NotFoundError and bad input as ValidationError', async () => {
    await expect(transitionPermit(knex, { permitId: 'no-such-permit', to: 'SUBMITTED', actor: 'alice' })).rejects.toBeInstanceOf(NotFoundError);
    const invalid = transitionPermit(knex, { permitId: 'p', to: 'OPEN' as PermitStatus, actor: '' });
    await expect(invalid).rejects.toBeInstanceOf(ValidationError);
    await expect(invalid).rejects.toThrow("Cannot change the permit status: to must be a permit status, got 'OPEN'; actor must be a non-empty string");
  });

  it.each([
    ['the outbox event', TABLES.outboxEvents],
    ['the audit entry', TABLES.auditLog],
    ['the history row', TABLES.permitStatusHistory],
  ])('rolls the whole change back when writing %s fails', async (_what, table) => {
    const permit = await insertPermit(knex);
    const before = await rowCounts(knex);
    await breakInserts(knex, table);
    await expect(transitionPermit(knex, { permitId: permit.id, to: 'SUBMITTED', actor: 'alice', event: EVENTS.applicationSubmitted })).rejects.toThrow(/insert refused by test/);
    expect(await rowCounts(knex)).toEqual(before);
    expect(await knex(TABLES.permits).where({ id: permit.id }).first('status', 'version')).toEqual({ status: 'DRAFT', version: 1 });
  });

  it('runs inside the caller’s transaction and is rolled back with it', async () => {
    const permit = await insertPermit(knex);
    const before = await rowCounts(knex);
    await expect(
      knex.transaction(async (trx) => {
        await transitionPermit(trx, { permitId: permit.id, to: 'SUBMITTED', actor: 'alice' });
        throw new Error('caller failed afterwards');
      }),
    ).rejects.toThrow('caller failed afterwards');
    expect(await rowCounts(knex)).toEqual(before);
    expect(await knex(TABLES.permits).where({ id: permit.id }).first('status')).toEqual({ status: 'DRAFT' });
  });

  it('walks a permit through consecutive changes with increasing versions and one history row each', async () => {
    const permit = await insertPermit(knex);
    const path: PermitStatus[] = ['SUBMITTED', 'UNDER_ASSESSMENT', 'AWAITING_APPLICANT_INFO', 'SUBMITTED', 'UNDER_ASSESSMENT', 'APPROVED'];
    for (const to of path) await transitionPermit(knex, { permitId: permit.id, to, actor: 'worker' });
    const history = ((await knex(TABLES.permitStatusHistory).where({ permit_id: permit.id }).orderBy('id')) as StatusHistoryRow[]).map(toStatusHistoryEntry);
    expect(history.map((h) => [h.previousStatus, h.newStatus, h.version])).toEqual([
      ['DRAFT', 'SUBMITTED', 2],
      ['SUBMITTED', 'UNDER_ASSESSMENT', 3],
      ['UNDER_ASSESSMENT', 'AWAITING_APPLICANT_INFO', 4],
      ['AWAITING_APPLICANT_INFO', 'SUBMITTED', 5],
      ['SUBMITTED', 'UNDER_ASSESSMENT', 6],
      ['UNDER_ASSESSMENT', 'APPROVED', 7],
    ]);
    expect(await rowCounts(knex)).toEqual({ history: 6, audit: 6, outbox: 6, chainHead: 6 });
  });
});

const postgres = targets.find((t) => t.name === 'PostgreSQL');

describe.skipIf(!postgres)('transitionPermit under concurrency on PostgreSQL', () => {
  let db: Database;
  beforeEach(async () => {
    db = await postgres!.open();
  });
  afterEach(() => db.close());

  /**
   * Holds the permit's row lock while both transitions start, and lets go once both wait on it: both have
   * read the permit in the same status, so exactly one UPDATE can match.
   */
  async function raceFromSameStatus<T>(permitId: string, run: () => Array<Promise<T>>): Promise<Array<PromiseSettledResult<T>>> {
    const blocker = await db.knex.transaction();
    try {
      await blocker(TABLES.permits).where({ id: permitId }).forUpdate().first();
      const { rows } = (await blocker.raw('SELECT pg_backend_pid() AS pid')) as { rows: Array<{ pid: number }> };
      const blockerPid = rows[0]!.pid;
      const racing = run();
      for (;;) {
        // Backends waiting on the blocker, directly or behind another waiter in the row's lock queue.
        const waiting = (await db.knex.raw(
          `WITH RECURSIVE waiters(pid) AS (
             SELECT pid FROM pg_stat_activity WHERE ? = ANY(pg_blocking_pids(pid))
             UNION SELECT a.pid FROM pg_stat_activity a JOIN waiters w ON w.pid = ANY(pg_blocking_pids(a.pid)))
           SELECT count(*)::int AS n FROM waiters`,
          [blockerPid],
        )) as { rows: Array<{ n: number }> };
        if (waiting.rows[0]!.n >= racing.length) break;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      await blocker.commit();
      return await Promise.allSettled(racing);
    } finally {
      if (!blocker.isCompleted()) await blocker.rollback();
    }
  }

  it('lets exactly one of two transitions from the same status win; the other gets ConflictError', async () => {
    const permit = await insertPermit(db.knex);
    const results = await raceFromSameStatus(permit.id, () => [
      transitionPermit(db.knex, { permitId: permit.id, to: 'SUBMITTED', actor: 'alice' }),
      transitionPermit(db.knex, { permitId: permit.id, to: 'WITHDRAWN', actor: 'bob' }),
    ]);
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect(lost[0]!.reason).toBeInstanceOf(ConflictError);
    const winner = (won[0] as PromiseFulfilledResult<Awaited<ReturnType<typeof transitionPermit>>>).value.permit.status;
    expect(lost[0]!.reason).toMatchObject({ details: { currentStatus: winner } });
    expect(await rowCounts(db.knex)).toEqual({ history: 1, audit: 1, outbox: 1, chainHead: 1 });
    expect(await db.knex(TABLES.permits).where({ id: permit.id }).first('status', 'version')).toEqual({ status: winner, version: 2 });
  });

  it('lets two transitions to the same status both succeed, writing the change once', async () => {
    const permit = await insertPermit(db.knex);
    const results = await raceFromSameStatus(permit.id, () => [
      transitionPermit(db.knex, { permitId: permit.id, to: 'SUBMITTED', actor: 'alice' }),
      transitionPermit(db.knex, { permitId: permit.id, to: 'SUBMITTED', actor: 'alice' }),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled']);
    const changed = results.map((r) => (r as PromiseFulfilledResult<{ changed: boolean }>).value.changed).sort();
    expect(changed).toEqual([false, true]);
    expect(await rowCounts(db.knex)).toEqual({ history: 1, audit: 1, outbox: 1, chainHead: 1 });
  });

  it('keeps the audit chain gapless and valid when many permits change at once', async () => {
    const permits = await Promise.all(Array.from({ length: 12 }, () => insertPermit(db.knex)));
    await Promise.all(permits.map((p) => transitionPermit(db.knex, { permitId: p.id, to: 'SUBMITTED', actor: 'alice' })));
    const seqs = ((await db.knex(TABLES.auditLog).orderBy('seq').select('seq')) as Array<{ seq: string }>).map((r) => Number(r.seq));
    expect(seqs).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    expect(await verifyAuditLog(db.knex)).toEqual({ ok: true, checked: 12, problems: [] });
  });
});
