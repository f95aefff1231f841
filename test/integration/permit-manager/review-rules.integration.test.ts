/**
 * The rules around decisions, over HTTP with the real processes: an illegal action is 409 with the current status
 * and the caller's allowed actions; a stale If-Match is 412 and changes nothing; two reviewers deciding at once
 * give exactly one decision; nobody reviews their own submission, through the portal or as Tasklist does (assign,
 * complete on the engine); a task someone else is working on is 409 naming them; invalid form values are 400.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FORM_IDS, MESSAGES } from '../../../shared/index.js';
import { as, createPermit, expectStatus, waitForStatus, waitForSubscription, waitForTask, type PermitBody } from '../support/permit-manager-client.js';
import { startPermitManagerForTest, type PermitManagerForTest } from '../support/start-permit-manager-for-test.js';
import { APPLICATION_CHECKLIST, submittedPermit, usersOf, type Users } from './drive-permit.js';

describe('review and transition rules over the REST API', () => {
  let pm: PermitManagerForTest;
  let users: Users;

  beforeAll(async () => {
    pm = await startPermitManagerForTest();
    users = await usersOf(pm);
  }, 120_000);
  afterAll(async () => {
    await pm?.stop();
  });

  const decisionsOf = async (permitId: string): Promise<number> => Number((await pm.knex('review_decisions').where({ permit_id: permitId }).count({ n: '*' }))[0]?.n);

  it('answers 409 with the current status and allowed actions for an action the status does not allow', async () => {
    const permit = await submittedPermit(pm, users);
    const refused = await users.alice.post(`/permits/${permit.id}/submit`);
    expect(refused.status).toBe(409);
    expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(refused.body).toMatchObject({ currentStatus: 'UNDER_ASSESSMENT', allowedActions: ['withdraw'] });
    const setup = await users.alice.post(`/permits/${permit.id}/workspace/submit-for-review`);
    expect(setup.status).toBe(409);
  });

  it('answers 412 to a stale If-Match and changes nothing; the current ETag works', async () => {
    const permit = await createPermit(users.alice);
    await waitForSubscription(pm, MESSAGES.applicationSubmitted, permit.id);
    const read = await users.alice.get<PermitBody>(`/permits/${permit.id}`);
    const etag = read.headers.get('etag') as string;
    expect(etag).toBe(`"${read.body.version}"`);
    await pm.signIn('bob', { roles: ['researcher'] });
    expectStatus(await users.rita.post(`/permits/${permit.id}/members`, { userId: 'bob', teamRole: 'RESEARCH_TEAM' }, { 'if-match': etag }), 201, 'add member');
    const auditBefore = await pm.knex('audit_log').where({ permit_id: permit.id }).count({ n: '*' });

    const stale = await users.alice.post(`/permits/${permit.id}/submit`, undefined, { 'if-match': etag });
    expect(stale.status).toBe(412);
    expect(stale.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect((await users.alice.get<PermitBody>(`/permits/${permit.id}`)).body.status).toBe('DRAFT');
    expect(await pm.knex('audit_log').where({ permit_id: permit.id }).count({ n: '*' })).toEqual(auditBefore);

    const current = (await users.alice.get(`/permits/${permit.id}`)).headers.get('etag') as string;
    expect(current).not.toBe(etag);
    expectStatus(await users.alice.post(`/permits/${permit.id}/submit`, undefined, { 'if-match': current }), 202, 'submit with the current ETag');
    await waitForStatus(users.alice, permit.id, 'UNDER_ASSESSMENT');
  });

  it('lets exactly one of two reviewers deciding at once win; the other gets 409', async () => {
    const permit = await submittedPermit(pm, users);
    const [first, second] = await Promise.all([
      users.rita.post(`/permits/${permit.id}/review`, { stage: 'APPLICATION', decision: 'APPROVED', checklist: APPLICATION_CHECKLIST }),
      users.victor.post(`/permits/${permit.id}/review`, { stage: 'APPLICATION', decision: 'REJECTED', comment: 'Purpose too broad' }),
    ]);
    expect([first.status, second.status].sort()).toEqual([201, 409]);
    expect(await decisionsOf(permit.id)).toBe(1);
    const winner = first.status === 201 ? 'APPROVED' : 'REJECTED';
    await waitForStatus(users.alice, permit.id, winner);
  });

  it("refuses a reviewer's decision on what they submitted at every door (portal 403, Tasklist denied), and takes another reviewer's", async () => {
    const hank = as(pm, await pm.signIn('hank', { roles: ['researcher', 'hdab-reviewer'] }));
    const permit = await createPermit(users.alice);
    expectStatus(await users.rita.post(`/permits/${permit.id}/members`, { userId: 'hank', teamRole: 'RESEARCH_TEAM' }), 201, 'hank joins the research team');
    await waitForSubscription(pm, MESSAGES.applicationSubmitted, permit.id);
    expectStatus(await hank.post(`/permits/${permit.id}/submit`), 202, 'hank submits');
    // hank moves to the HDAB team after submitting: he must still not decide on his own submission.
    expectStatus(await users.rita.delete(`/permits/${permit.id}/members/hank/RESEARCH_TEAM`), 204, 'hank leaves the research team');
    expectStatus(await users.rita.post(`/permits/${permit.id}/members`, { userId: 'hank', teamRole: 'HDAB_TEAM' }), 201, 'hank joins the HDAB team');
    const task = await waitForTask(hank, permit.id, FORM_IDS.applicationAssessment);

    const own = await hank.post(`/permits/${permit.id}/review`, { stage: 'APPLICATION', decision: 'APPROVED', checklist: APPLICATION_CHECKLIST });
    expect(own.status).toBe(403);
    const viaInbox = await hank.post(`/tasks/${task.userTaskKey}/complete`, { variables: { assessmentDecision: 'APPROVED', assessmentChecklist: APPLICATION_CHECKLIST } });
    expect(viaInbox.status).toBe(403);
    // Tasklist's door: assign to himself, complete. The decision listener denies, the task stays open.
    await pm.camunda.assignUserTask({ userTaskKey: task.userTaskKey, assignee: 'hank', allowOverride: false, action: 'assign' } as never);
    const denied = await pm.camunda.completeUserTask({ userTaskKey: task.userTaskKey, variables: { assessmentDecision: 'APPROVED', assessmentChecklist: APPLICATION_CHECKLIST } } as never).then(
      () => undefined,
      (error: unknown) => error as { status?: number; detail?: string },
    );
    expect(denied?.status).toBe(409);
    expect(denied?.detail).toMatch(/Reason to deny: 'Not allowed: hank wrote or submitted what "Assess permit application" decides on/);
    expect(await decisionsOf(permit.id)).toBe(0);

    // The task is hank's now: rita is told who is working on it, and nothing changes.
    const taken = await users.rita.post<{ detail: string }>(`/permits/${permit.id}/review`, { stage: 'APPLICATION', decision: 'INFO_REQUESTED', comment: 'Add a data management plan' });
    expect(taken.status).toBe(409);
    expect(taken.body.detail).toMatch(/^hank is working on the APPLICATION review of permit/);
    await pm.camunda.unassignUserTask({ userTaskKey: task.userTaskKey } as never);

    expectStatus(await users.rita.post(`/permits/${permit.id}/review`, { stage: 'APPLICATION', decision: 'INFO_REQUESTED', comment: 'Add a data management plan' }), 201, 'rita decides');
    await waitForStatus(hank, permit.id, 'AWAITING_APPLICANT_INFO');
    const [review] = (await pm.knex('review_decisions').where({ permit_id: permit.id }).select('reviewer', 'submitted_by')) as { reviewer: string; submitted_by: string }[];
    expect(review).toEqual({ reviewer: 'rita', submitted_by: 'hank' });
  });

  it('answers 400 with the reason when the form values are not valid, and changes nothing', async () => {
    const permit = await submittedPermit(pm, users);
    const task = await waitForTask(users.rita, permit.id, FORM_IDS.applicationAssessment);
    const refused = await users.rita.post(`/tasks/${task.userTaskKey}/complete`, { variables: { assessmentDecision: 'APPROVED', validUntil: 'not-a-date' } });
    expect(refused.status).toBe(400);
    expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await decisionsOf(permit.id)).toBe(0);
    expect(String((await pm.camunda.getUserTask({ userTaskKey: task.userTaskKey } as never, { consistency: { waitUpToMs: 0 } })).assignee ?? '')).toBe('');
  });
});
