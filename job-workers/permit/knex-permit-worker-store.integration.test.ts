/**
 * The permit workers on the real database (PGlite; PostgreSQL too when DATABASE_URL is set), each job delivered
 * twice through the runtime: every job is completed both times and writes once.
 */
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Knex } from 'knex';
import { insertEgressRequest, insertPermit } from '../../db/testing/permit-fixtures.js';
import { rowCounts } from '../../db/testing/row-counts.js';
import { testDatabaseTargets } from '../../db/testing/test-databases.js';
import { TABLES, type Database } from '../../db/index.js';
import { EVENTS, TASK_TYPES, type PermitStatus } from '../../shared/index.js';
import { createJobRunner } from '../runtime/run-job.js';
import type { JobHandler, WorkerJob } from '../runtime/worker-job.js';
import { makeActivatedJob, makeWorkerJob, silentLogger } from '../testing/make-worker-job.js';
import { createApplyAmendmentHandler } from './apply-amendment-handler.js';
import { createIssuePermitHandler } from './issue-permit-handler.js';
import { createKnexPermitWorkerStore } from './knex-permit-worker-store.js';
import { createPublishEventHandler } from './publish-event-handler.js';
import { createRestoreStatusHandler } from './restore-status-handler.js';
import { createSetEgressStatusHandler } from './set-egress-status-handler.js';
import { createSetStatusHandler } from './set-status-handler.js';

/** Runs the job through the runtime (as a worker would) and returns how it was acknowledged. */
async function deliver(handler: JobHandler, job: WorkerJob) {
  const activated = makeActivatedJob(job);
  await createJobRunner(handler, { logger: silentLogger })(activated);
  return activated.acks;
}

async function deliverTwice(handler: JobHandler, job: WorkerJob) {
  const first = await deliver(handler, job);
  const second = await deliver(handler, job);
  expect([...first, ...second].map((ack) => ack.kind)).toEqual(['complete', 'complete']);
}

const outboxNames = async (knex: Knex) => ((await knex(TABLES.outboxEvents).orderBy('seq').select('name')) as { name: string }[]).map((r) => r.name);

describe.each(testDatabaseTargets())('permit workers on $name', (target) => {
  let db: Database;
  let knex: Knex;
  beforeEach(async () => {
    db = await target.open();
    knex = db.knex;
  });
  afterEach(() => db.close());
  afterAll(() => target.dispose());

  const permits = () => createKnexPermitWorkerStore(knex);
  const job = (type: string, permitId: string, headers: Record<string, string>, variables: Record<string, unknown> = {}) =>
    makeWorkerJob({ type, bpmnProcessId: 'spe-permit-application', headers, variables: { permitId, ...variables } });

  it('permit.set-status twice: one history row, one audit entry, one set of events', async () => {
    const permit = await insertPermit(knex, { status: 'DRAFT' });
    const theJob = job(TASK_TYPES.permitSetStatus, permit.id, { status: 'SUBMITTED', event: EVENTS.applicationSubmitted, reason: 'Submitted' });
    await deliverTwice(createSetStatusHandler({ permits: permits() }), theJob);

    expect(await rowCounts(knex)).toMatchObject({ history: 1, audit: 1, outbox: 2 });
    expect(await outboxNames(knex)).toEqual([EVENTS.statusUpdated, EVENTS.applicationSubmitted]);
    const history = await knex(TABLES.permitStatusHistory).first();
    expect(history).toMatchObject({ previous_status: 'DRAFT', new_status: 'SUBMITTED', actor: 'process:spe-permit-application', reason: 'Submitted', process_instance_key: theJob.processInstanceKey });
  });

  it('permit.set-status to a status the machine refuses: an incident at once, nothing written', async () => {
    const permit = await insertPermit(knex, { status: 'DRAFT' });
    const acks = await deliver(createSetStatusHandler({ permits: permits() }), job(TASK_TYPES.permitSetStatus, permit.id, { status: 'ANALYSIS_ACTIVE' }));
    expect(acks).toEqual([{ kind: 'fail', body: { retries: 0, retryBackOff: 0, errorMessage: expect.stringContaining(`Permit ${permit.id} cannot move from DRAFT to ANALYSIS_ACTIVE`) } }]);
    expect(await rowCounts(knex)).toMatchObject({ history: 0, audit: 0, outbox: 0 });
  });

  it('permit.set-status for a permit that does not exist: an incident naming it', async () => {
    const acks = await deliver(createSetStatusHandler({ permits: permits() }), job(TASK_TYPES.permitSetStatus, 'no-such-permit', { status: 'SUBMITTED' }));
    expect(acks[0]).toMatchObject({ kind: 'fail', body: { retries: 0, errorMessage: expect.stringContaining('Permit no-such-permit does not exist') } });
  });

  it('permit.issue twice: approved once with its validity window', async () => {
    const permit = await insertPermit(knex, { status: 'UNDER_ASSESSMENT' });
    await deliverTwice(createIssuePermitHandler({ permits: permits() }), job(TASK_TYPES.permitIssue, permit.id, {}, { validUntil: '2099-01-31T00:00:00Z' }));
    const row = await knex(TABLES.permits).where({ id: permit.id }).first();
    expect(row).toMatchObject({ status: 'APPROVED', version: 2 });
    expect(new Date(row.valid_until).toISOString()).toBe('2099-01-31T00:00:00.000Z');
    expect(row.valid_from).not.toBeNull();
    expect(await rowCounts(knex)).toMatchObject({ history: 1, audit: 1, outbox: 2 });
    expect(await outboxNames(knex)).toEqual([EVENTS.statusUpdated, EVENTS.analysisApproved]);
  });

  it('permit.issue delivered again after the permit moved on: nothing changes, its validity window included', async () => {
    const permit = await insertPermit(knex, { status: 'UNDER_ASSESSMENT' });
    const issueJob = job(TASK_TYPES.permitIssue, permit.id, {}, { validUntil: '2099-01-31T00:00:00Z' });
    await deliver(createIssuePermitHandler({ permits: permits() }), issueJob);
    const issued = await knex(TABLES.permits).where({ id: permit.id }).first();
    await knex(TABLES.permits).where({ id: permit.id }).update({ status: 'ANALYSIS_ACTIVE', version: 3 });
    await new Promise((resolve) => setTimeout(resolve, 5)); // a rewritten valid_from would differ
    await deliver(createIssuePermitHandler({ permits: permits() }), issueJob);
    const row = await knex(TABLES.permits).where({ id: permit.id }).first();
    expect(row).toMatchObject({ status: 'ANALYSIS_ACTIVE', version: 3 });
    expect(new Date(row.valid_from).toISOString()).toBe(new Date(issued.valid_from).toISOString());
    expect(await rowCounts(knex)).toMatchObject({ history: 1, audit: 1, outbox: 2 });
  });

  it('permit.restore-status twice: back to the status before the suspension, once', async () => {
    const permit = await insertPermit(knex, { status: 'ANALYSIS_ACTIVE' });
    await deliver(createSetStatusHandler({ permits: permits() }), job(TASK_TYPES.permitSetStatus, permit.id, { status: 'SUSPENDED', event: EVENTS.suspended }));
    await deliverTwice(createRestoreStatusHandler({ permits: permits() }), job(TASK_TYPES.permitRestoreStatus, permit.id, { event: EVENTS.resumed }));
    const statuses = ((await knex(TABLES.permitStatusHistory).orderBy('id').select('new_status')) as { new_status: PermitStatus }[]).map((r) => r.new_status);
    expect(statuses).toEqual(['SUSPENDED', 'ANALYSIS_ACTIVE']);
    expect(await outboxNames(knex)).toEqual([EVENTS.statusUpdated, EVENTS.suspended, EVENTS.statusUpdated, EVENTS.resumed]);
  });

  it('permit.publish-event twice: one outbox event, with the id derived from the job', async () => {
    const permit = await insertPermit(knex, { status: 'WORKSPACE_SETUP_REVIEW_PENDING' });
    await deliverTwice(createPublishEventHandler({ permits: permits() }), job(TASK_TYPES.permitPublishEvent, permit.id, { event: EVENTS.setupRejected }));
    expect(await rowCounts(knex)).toMatchObject({ outbox: 1, audit: 0 });
    expect(await outboxNames(knex)).toEqual([EVENTS.setupRejected]);
  });

  it('permit.set-egress-status twice: one audit entry, one event', async () => {
    const permit = await insertPermit(knex, { status: 'EGRESS_REVIEW_PENDING' });
    const request = await insertEgressRequest(knex, permit.id, { status: 'SUBMITTED' });
    await deliverTwice(
      createSetEgressStatusHandler({ permits: permits() }),
      job(TASK_TYPES.permitSetEgressStatus, permit.id, { status: 'IN_REVIEW', event: EVENTS.egressSubmitted }, { egressRequestId: request.id }),
    );
    expect(await knex(TABLES.egressRequests).where({ id: request.id }).first()).toMatchObject({ status: 'IN_REVIEW', version: 2 });
    expect(await rowCounts(knex)).toMatchObject({ audit: 1, outbox: 1 });
  });

  it('permit.apply-amendment twice: members and validity changed once, one audit entry, the amendment and the team change written once', async () => {
    const permit = await insertPermit(knex, { status: 'ANALYSIS_ACTIVE' });
    await knex(TABLES.permitMembers).insert([
      { permit_id: permit.id, user_id: 'alice', team_role: 'RESEARCH_TEAM', added_by: 'alice' },
      { permit_id: permit.id, user_id: 'bob', team_role: 'RESEARCH_TEAM', added_by: 'alice' },
    ]);
    await knex(TABLES.userDirectory).insert({ user_id: 'carol', display_name: 'Carol', roles: JSON.stringify(['researcher']) });
    const amendment = { validUntil: '2099-06-30', addMembers: [{ userId: 'carol', teamRole: 'RESEARCH_TEAM' }], removeMembers: [{ userId: 'bob' }] };
    await deliverTwice(createApplyAmendmentHandler({ permits: permits() }), job(TASK_TYPES.permitApplyAmendment, permit.id, {}, { amendment }));
    const members = ((await knex(TABLES.permitMembers).where({ permit_id: permit.id }).orderBy('user_id').select('user_id')) as { user_id: string }[]).map((r) => r.user_id);
    expect(members).toEqual(['alice', 'carol']);
    const row = await knex(TABLES.permits).where({ id: permit.id }).first();
    expect(row.version).toBe(2);
    expect(new Date(row.valid_until).toISOString()).toBe('2099-06-30T23:59:59.999Z');
    expect(await rowCounts(knex)).toMatchObject({ audit: 1, outbox: 2 });
    expect(await outboxNames(knex)).toEqual([EVENTS.amended, EVENTS.membersChanged]);
    const teamChange = await knex(TABLES.outboxEvents).where({ name: EVENTS.membersChanged }).first();
    expect(teamChange.permit_id, 'the workspace service follows the event to the permit').toBe(permit.id);
    expect(typeof teamChange.payload === 'string' ? JSON.parse(teamChange.payload) : teamChange.payload).toEqual({
      added: [{ userId: 'carol', teamRole: 'RESEARCH_TEAM' }],
      removed: [{ userId: 'bob', teamRole: 'RESEARCH_TEAM' }],
    });
  });

  it('permit.apply-amendment that changes only the end date (or names no one new): no team change is written', async () => {
    const permit = await insertPermit(knex, { status: 'ANALYSIS_ACTIVE' });
    await knex(TABLES.permitMembers).insert({ permit_id: permit.id, user_id: 'alice', team_role: 'RESEARCH_TEAM', added_by: 'alice' });
    await knex(TABLES.userDirectory).insert({ user_id: 'alice', display_name: 'Alice', roles: JSON.stringify(['researcher']) });
    const amendment = { validUntil: '2099-06-30', addMembers: [{ userId: 'alice', teamRole: 'RESEARCH_TEAM' }], removeMembers: [{ userId: 'nobody' }] };
    await deliverTwice(createApplyAmendmentHandler({ permits: permits() }), job(TASK_TYPES.permitApplyAmendment, permit.id, {}, { amendment }));
    expect(await outboxNames(knex)).toEqual([EVENTS.amended]);
  });

  it('permit.apply-amendment whose new member breaks the team rules: an incident at once, nothing written', async () => {
    const permit = await insertPermit(knex, { status: 'ANALYSIS_ACTIVE' });
    await knex(TABLES.permitMembers).insert({ permit_id: permit.id, user_id: 'alice', team_role: 'RESEARCH_TEAM', added_by: 'alice' });
    await knex(TABLES.userDirectory).insert({ user_id: 'dana', display_name: 'Dana', roles: JSON.stringify(['data-holder']) });
    const before = await rowCounts(knex);
    for (const addMembers of [[{ userId: 'zoe', teamRole: 'RESEARCH_TEAM' }], [{ userId: 'dana', teamRole: 'RESEARCH_TEAM' }]]) {
      const acks = await deliver(createApplyAmendmentHandler({ permits: permits() }), job(TASK_TYPES.permitApplyAmendment, permit.id, {}, { amendment: { addMembers } }));
      expect(acks).toEqual([{ kind: 'fail', body: expect.objectContaining({ retries: 0, errorMessage: expect.stringMatching(/break the team rules/) }) }]);
    }
    expect(await rowCounts(knex)).toEqual(before);
    expect((await knex(TABLES.permits).where({ id: permit.id }).first()).version).toBe(permit.version);
  });
});
