/**
 * The decision listener's record and `audit.record` on the real database, each delivered twice: one review
 * decision with the assignee as reviewer, one `review.decided` and one `setup.reviewed` entry by that reviewer, an
 * intact chain.
 */
import type { Knex } from 'knex';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { insertPermit } from '../../db/testing/permit-fixtures.js';
import { testDatabaseTargets } from '../../db/testing/test-databases.js';
import { TABLES, verifyAuditLog, type Database } from '../../db/index.js';
import { REVIEW_VARIABLES, TASK_TYPES } from '../../shared/index.js';
import { createKnexDecisionStore } from '../review/knex-decision-store.js';
import { createJobRunner } from '../runtime/run-job.js';
import type { WorkerJob } from '../runtime/worker-job.js';
import { makeActivatedJob, makeWorkerJob, silentLogger } from '../testing/make-worker-job.js';
import { createKnexAuditRecordStore } from './knex-audit-record-store.js';
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
    await createJobRunner(createRecordAuditHandler({ audit: createKnexAuditRecordStore(knex) }), { logger: silentLogger })(activated);
    return activated.acks;
  };
  const count = async (table: string) => Number(((await knex(table).count({ n: '*' })) as { n: string | number }[])[0]!.n);

  it('audits the review the listener recorded, by its reviewer, once each', async () => {
    const permit = await insertPermit(knex, { status: 'WORKSPACE_SETUP_REVIEW_PENDING' });
    const v = REVIEW_VARIABLES.SETUP;
    const job = makeWorkerJob({
      type: TASK_TYPES.auditRecord,
      bpmnProcessId: 'spe-environment-setup',
      headers: { action: 'setup.reviewed', stage: 'SETUP' },
      variables: { permitId: permit.id, [v.decision]: 'APPROVED', [v.reviewer]: 'mallory' },
    });
    const decision = {
      userTaskKey: '2251799813686001',
      permitId: permit.id,
      processInstanceKey: job.processInstanceKey,
      elementId: 'Task_ReviewSetup',
      formId: 'setup-review',
      decider: 'rita',
      review: { id: 'R-1', stage: 'SETUP' as const, decision: 'APPROVED', comment: null, checklist: ['NO_EXFILTRATION_CHANNELS'], submittedBy: 'alice', egressRequestId: null },
    };
    const decisions = createKnexDecisionStore(knex);
    expect(await decisions.record(decision)).toEqual({ recorded: true });
    expect(await decisions.record(decision)).toEqual({ recorded: false });

    const acks = [...(await deliver(job)), ...(await deliver(job))];
    expect(acks).toEqual([
      { kind: 'complete', body: { [v.reviewer]: 'rita' } },
      { kind: 'complete', body: { [v.reviewer]: 'rita' } },
    ]);
    expect(await count(TABLES.reviewDecisions)).toBe(1);
    expect(await knex(TABLES.reviewDecisions).first()).toMatchObject({
      permit_id: permit.id,
      stage: 'SETUP',
      decision: 'APPROVED',
      checklist: ['NO_EXFILTRATION_CHANNELS'],
      reviewer: 'rita',
      submitted_by: 'alice',
      user_task_key: '2251799813686001',
      process_instance_key: job.processInstanceKey,
      element_id: 'Task_ReviewSetup',
    });
    const entries = (await knex(TABLES.auditLog).orderBy('seq').select('actor', 'action')) as { actor: string; action: string }[];
    expect(entries).toEqual([
      { actor: 'rita', action: 'review.decided' },
      { actor: 'rita', action: 'setup.reviewed' },
    ]);
    expect(await verifyAuditLog(knex)).toMatchObject({ ok: true, checked: 2 });
  });

  it('records another decision task as a task.decided entry by the decider', async () => {
    const permit = await insertPermit(knex, { status: 'DATA_PREPARATION_PENDING' });
    const decisions = createKnexDecisionStore(knex);
    const decision = { userTaskKey: '77', permitId: permit.id, processInstanceKey: '5', elementId: 'Task_PrepareData', formId: 'data-preparation-signoff', decider: 'rita', values: { preparationConfirmed: true } };
    expect(await decisions.record(decision)).toEqual({ recorded: true });
    expect(await decisions.record(decision)).toEqual({ recorded: false });
    expect(await knex(TABLES.auditLog).first()).toMatchObject({ actor: 'rita', action: 'task.decided', details: expect.objectContaining({ values: { preparationConfirmed: true } }) });
    expect(await count(TABLES.reviewDecisions)).toBe(0);
  });
});
