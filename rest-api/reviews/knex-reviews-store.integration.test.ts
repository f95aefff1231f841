/**
 * The reviews store on the real database (PGlite; PostgreSQL too when DATABASE_URL is set): a decision is recorded
 * once per user task with one audit entry; recording the task again (the REST API after the decision listener
 * recorded it, or a retry) returns the row already there and writes nothing.
 */
import type { Knex } from 'knex';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { insertPermit } from '../../db/testing/permit-fixtures.js';
import { testDatabaseTargets } from '../../db/testing/test-databases.js';
import { TABLES, verifyAuditLog, type Database } from '../../db/index.js';
import { createKnexReviewsStore } from './knex-reviews-store.js';
import type { NewReviewDecision } from './reviews-store.js';

describe.each(testDatabaseTargets())('reviews store on $name', (target) => {
  let db: Database;
  let knex: Knex;
  let permitId: string;
  beforeEach(async () => {
    db = await target.open();
    knex = db.knex;
    permitId = (await insertPermit(knex, { status: 'UNDER_ASSESSMENT' })).id;
  });
  afterEach(() => db.close());
  afterAll(() => target.dispose());

  const decision = (overrides: Partial<NewReviewDecision> = {}): NewReviewDecision => ({
    id: '11111111-1111-4111-8111-111111111111',
    permitId,
    stage: 'APPLICATION',
    decision: 'APPROVED',
    comment: null,
    checklist: ['LEGAL_BASIS_VERIFIED'],
    reviewer: 'rita',
    submittedBy: 'alice',
    egressRequestId: null,
    userTaskKey: '2251799813685500',
    ...overrides,
  });
  const count = async (table: string): Promise<number> => Number(((await knex(table).count({ n: '*' })) as { n: string | number }[])[0]?.n);

  it('records a decision with one audit entry, and a second record of the same task returns it and writes nothing', async () => {
    const store = createKnexReviewsStore(knex);
    const first = await store.record(decision());
    expect(first.created).toBe(true);
    expect(first.decision).toMatchObject({ permitId, stage: 'APPLICATION', decision: 'APPROVED', reviewer: 'rita', submittedBy: 'alice', checklist: ['LEGAL_BASIS_VERIFIED'], userTaskKey: '2251799813685500' });

    const again = await store.record(decision({ id: '22222222-2222-4222-8222-222222222222', reviewer: 'victor', decision: 'REJECTED', comment: 'no' }));
    expect(again.created).toBe(false);
    expect(again.decision).toEqual(first.decision);
    expect(await count(TABLES.reviewDecisions)).toBe(1);
    expect(await knex(TABLES.auditLog).where({ action: 'review.decided' }).select('actor', 'idempotency_key')).toEqual([{ actor: 'rita', idempotency_key: 'review-decision:2251799813685500' }]);
    expect((await verifyAuditLog(knex)).ok).toBe(true);
    expect(await store.list(permitId)).toEqual([first.decision]);
  });

  it('two records of one task at once: one row, one audit entry', async () => {
    const store = createKnexReviewsStore(knex);
    const results = await Promise.all([store.record(decision()), store.record(decision({ id: '33333333-3333-4333-8333-333333333333' }))]);
    expect(results.map((r) => r.created).sort()).toEqual([false, true]);
    expect(await count(TABLES.reviewDecisions)).toBe(1);
    expect(Number(((await knex(TABLES.auditLog).where({ action: 'review.decided' }).count({ n: '*' })) as { n: string | number }[])[0]?.n)).toBe(1);
  });
});
