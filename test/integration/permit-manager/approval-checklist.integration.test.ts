/**
 * Issue 13: an approval confirms the reviewer's whole checklist. The form marks its checklist
 * `properties.requiredForApproval`, and the decision listener (`review.check-decision`) reads the task's deployed
 * form and denies an approval with an unticked item at every door: the portal's review endpoint (400 problem+json),
 * the task inbox and the engine's /v2 as Tasklist uses it (409 "denied by Task Listener"). A denied approval leaves
 * the task open and changes nothing; the same approval with every item ticked goes through. The platform runs
 * in-process with its real workers and engine.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FORM_IDS } from '../../../shared/index.js';
import { expectStatus, waitForStatus, waitForTask } from '../support/permit-manager-client.js';
import { startPermitManagerForTest, type PermitManagerForTest } from '../support/start-permit-manager-for-test.js';
import { APPLICATION_CHECKLIST, SETUP_CHECKLIST, permitInSetupReview, submittedPermit, usersOf, type Users } from './drive-permit.js';

const NO_WAIT = { consistency: { waitUpToMs: 0 } } as const;

describe('an approval needs the whole checklist, at every door', () => {
  let pm: PermitManagerForTest;
  let users: Users;

  beforeAll(async () => {
    pm = await startPermitManagerForTest();
    users = await usersOf(pm);
  }, 120_000);
  afterAll(async () => {
    await pm?.stop();
  });

  async function snapshot(permitId: string) {
    const count = async (table: string) => Number(((await pm.knex(table).where({ permit_id: permitId }).count({ n: '*' })) as { n: string | number }[])[0]?.n);
    const permit = (await pm.knex('permits').where({ id: permitId }).first('status', 'version')) as { status: string; version: number };
    return { ...permit, history: await count('permit_status_history'), reviews: await count('review_decisions') };
  }

  async function taskState(userTaskKey: string): Promise<string> {
    return String((await pm.camunda.getUserTask({ userTaskKey } as never, NO_WAIT)).state);
  }

  it('denies an application approval with an unticked item through the review endpoint, the inbox and /v2, then accepts the full checklist', async () => {
    const permit = await submittedPermit(pm, users);
    const task = await waitForTask(users.rita, permit.id, FORM_IDS.applicationAssessment);
    const before = await snapshot(permit.id);
    const partial = ['LEGAL_BASIS_VERIFIED', 'DATA_MINIMISATION'];

    // The portal's review endpoint.
    const viaReview = await users.rita.post(`/permits/${permit.id}/review`, { stage: 'APPLICATION', decision: 'APPROVED', checklist: partial });
    expect(viaReview.status).toBe(400);
    expect(viaReview.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(String(viaReview.body.detail)).toMatch(/must be confirmed in full to approve; not ticked: "Applicant organisation vetted", "Ethics approval present"/);
    expect(await snapshot(permit.id)).toEqual(before);

    // The task inbox.
    const viaInbox = await users.rita.post(`/tasks/${task.userTaskKey}/complete`, { variables: { assessmentDecision: 'APPROVED', assessmentChecklist: partial } });
    expect(viaInbox.status).toBe(400);
    expect(String(viaInbox.body.detail)).toMatch(/not ticked: "Applicant organisation vetted"/);

    // The engine's /v2, as Tasklist completes a task: assign, then complete.
    await pm.camunda.unassignUserTask({ userTaskKey: task.userTaskKey } as never);
    await pm.camunda.assignUserTask({ userTaskKey: task.userTaskKey, assignee: 'rita', allowOverride: false, action: 'assign' } as never);
    const viaEngine = await pm.camunda.completeUserTask({ userTaskKey: task.userTaskKey, variables: { assessmentDecision: 'APPROVED', assessmentChecklist: partial } } as never).then(
      () => ({ status: 200, detail: '' }),
      (error: { status?: number; detail?: string; message?: string }) => ({ status: error.status ?? 0, detail: error.detail ?? error.message ?? '' }),
    );
    expect(viaEngine.status).toBe(409);
    expect(viaEngine.detail).toMatch(/Reason to deny: 'Check the form: "What you verified \(every point, to approve\)" must be confirmed in full to approve; not ticked: "Applicant organisation vetted"/);
    expect(await taskState(task.userTaskKey)).toBe('CREATED');
    expect(await snapshot(permit.id)).toEqual(before);

    // Every item ticked: the approval goes through.
    await pm.camunda.unassignUserTask({ userTaskKey: task.userTaskKey } as never);
    expectStatus(await users.rita.post(`/permits/${permit.id}/review`, { stage: 'APPLICATION', decision: 'APPROVED', checklist: APPLICATION_CHECKLIST }), 201, 'approve with the full checklist');
    await waitForStatus(users.alice, permit.id, 'APPROVED');
  });

  it('asks no checklist of a setup rework, but the whole checklist of the setup approval after it', async () => {
    const permit = await permitInSetupReview(pm, users);
    const before = await snapshot(permit.id);
    const approvePartly = await users.rita.post(`/permits/${permit.id}/review`, { stage: 'SETUP', decision: 'APPROVED', checklist: SETUP_CHECKLIST.slice(0, 4) });
    expect(approvePartly.status).toBe(400);
    expect(String(approvePartly.body.detail)).toMatch(/not ticked: "Resources within the permit's quota"/);
    expect(await snapshot(permit.id)).toEqual(before);

    expectStatus(await users.rita.post(`/permits/${permit.id}/review`, { stage: 'SETUP', decision: 'REWORK_REQUESTED', comment: 'Remove the sync client' }), 201, 'request rework');
    await waitForStatus(users.alice, permit.id, 'WORKSPACE_SETUP_PENDING');
  });
});
