/** `audit.record` on the real database, delivered twice: one review decision, one audit entry, an intact chain. */
import type { Knex } from 'knex';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { insertEgressRequest, insertPermit } from '../../db/testing/permit-fixtures.js';
import { testDatabaseTargets } from '../../db/testing/test-databases.js';
import { TABLES, verifyAuditLog, type Database } from '../../db/index.js';
import { REVIEW_VARIABLES, TASK_TYPES } from '../../shared/index.js';
import { createJobRunner } from '../runtime/run-job.js';
import type { WorkerJob } from '../runtime/worker-job.js';
import { makeActivatedJob, makeWorkerJob, silentLogger } from '../testing/make-worker-job.js';
import { createKnexAuditStore } from './knex-audit-store.js';
import { createRecordAuditHandler } from './record-audit-handler.js';

describe.each(testDatabaseTargets())('audit.record on $name', (target) => {
  let db: Database;
  let knex: Knex;
  beforeEach(async () => {
    db = await target.open();
    knex = db.knex;
  });
  afterEach(() => db.close());
  afterAll(() => target.dispose());

  const deliver = async (job: WorkerJob) => {
    const activated = makeActivatedJob(job);
    await createJobRunner(createRecordAuditHandler({ audit: createKnexAuditStore(knex) }), { logger: silentLogger })(activated);
    return activated.acks.map((ack) => ack.kind);
  };
  const count = async (table: string) => Number(((await knex(table).count({ n: '*' })) as { n: string | number }[])[0]!.n);

  it('stores the review and the audit entry once when the job is delivered twice', async () => {
    const permit = await insertPermit(knex, { status: 'WORKSPACE_SETUP_REVIEW_PENDING' });
    const v = REVIEW_VARIABLES.SETUP;
    const job = makeWorkerJob({
      type: TASK_TYPES.auditRecord,
      bpmnProcessId: 'spe-environment-setup',
      headers: { action: 'setup.reviewed', stage: 'SETUP' },
      variables: { permitId: permit.id, [v.decision]: 'APPROVED', [v.comment]: 'Looks good', [v.checklist]: { noInternet: true }, [v.reviewer]: 'rita', setupSubmittedBy: 'alice' },
    });
    expect([...(await deliver(job)), ...(await deliver(job))]).toEqual(['complete', 'complete']);

    expect(await count(TABLES.reviewDecisions)).toBe(1);
    expect(await knex(TABLES.reviewDecisions).first()).toMatchObject({
      permit_id: permit.id,
      stage: 'SETUP',
      decision: 'APPROVED',
      comment: 'Looks good',
      checklist: { noInternet: true },
      reviewer: 'rita',
      submitted_by: 'alice',
    });
    expect(await count(TABLES.auditLog)).toBe(1);
    expect(await knex(TABLES.auditLog).first()).toMatchObject({ actor: 'rita', action: 'setup.reviewed', permit_id: permit.id });
    expect(await verifyAuditLog(knex)).toMatchObject({ ok: true, checked: 1 });
  });

  it('does not store a review again that the REST API already stored for the same user task', async () => {
    const permit = await insertPermit(knex, { status: 'EGRESS_REVIEW_PENDING' });
    const request = await insertEgressRequest(knex, permit.id, { status: 'IN_REVIEW' });
    await knex(TABLES.reviewDecisions).insert({ id: 'from-rest-api', permit_id: permit.id, stage: 'EGRESS', decision: 'APPROVED', reviewer: 'victor', user_task_key: '2251799813686001' });
    const v = REVIEW_VARIABLES.EGRESS;
    const job = makeWorkerJob({
      type: TASK_TYPES.auditRecord,
      headers: { action: 'egress.reviewed', stage: 'EGRESS' },
      variables: { permitId: permit.id, egressRequestId: request.id, [v.decision]: 'APPROVED', [v.reviewer]: 'victor', reviewTaskKey: '2251799813686001' },
    });
    expect(await deliver(job)).toEqual(['complete']);
    expect(((await knex(TABLES.reviewDecisions).select('id')) as { id: string }[]).map((r) => r.id)).toEqual(['from-rest-api']);
    expect(await count(TABLES.auditLog)).toBe(1);
  });
});
