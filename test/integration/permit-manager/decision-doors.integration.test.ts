/**
 * Acceptance (issue 12): decisions taken directly on the engine, as Camunda Tasklist takes them (assign, then
 * complete, with the official client), follow the same rules as the portal. The platform runs in-process with its
 * real workers, and so its decision listener; permits are driven over the REST API to each decision. Every improper
 * completion (unassigned, the submitter, a research-team member, the application's author, a data holder, an
 * invalid date, the same reviewer twice on an output request needing two reviews) is denied with a reason, leaves
 * the task open and the permit unchanged; a proper reviewer's completion goes through and is recorded with the
 * assignee as the decider (review_decisions, audit actor, the notification that names them).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MESSAGES, PROCESS_IDS } from '../../../shared/index.js';
import { waitFor } from '../../support/wait-for.js';
import { as, createPermit, expectStatus, request, waitForStatus, waitForSubscription, type ApiUser, type PermitBody } from '../support/permit-manager-client.js';
import { startPermitManagerForTest, type PermitManagerForTest } from '../support/start-permit-manager-for-test.js';
import { APPLICATION_CHECKLIST, permitInAnalysis, usersOf, type Users } from './drive-permit.js';

const NO_WAIT = { consistency: { waitUpToMs: 0 } } as const;

describe('decisions taken directly on the engine, as Tasklist takes them', () => {
  let pm: PermitManagerForTest;
  let users: Users;
  let bob: ApiUser;
  let carol: ApiUser;

  beforeAll(async () => {
    pm = await startPermitManagerForTest();
    users = await usersOf(pm);
    bob = as(pm, await pm.signIn('bob', { roles: ['researcher'] }));
    carol = as(pm, await pm.signIn('carol', { roles: ['researcher'] }));
  }, 120_000);
  afterAll(async () => {
    await pm?.stop();
  });

  /** The open user task of a process for the permit (and element), straight from the engine. */
  async function openTask(permitId: string, processDefinitionId: string, elementId?: string): Promise<{ userTaskKey: string; state: string }> {
    return waitFor(
      `an open ${elementId ?? processDefinitionId} task of permit ${permitId}`,
      async () => {
        const result = await pm.camunda.searchUserTasks(
          {
            filter: { state: 'CREATED', processDefinitionId, ...(elementId ? { elementId } : {}), processInstanceVariables: [{ name: 'permitId', value: JSON.stringify(permitId) }] },
          } as never,
          NO_WAIT,
        );
        const [task] = result.items ?? [];
        return task ? { userTaskKey: String(task.userTaskKey), state: String(task.state) } : undefined;
      },
      { timeoutMs: 20_000, intervalMs: 25 },
    );
  }

  async function taskState(userTaskKey: string): Promise<string> {
    return String((await pm.camunda.getUserTask({ userTaskKey } as never, NO_WAIT)).state);
  }

  /** Tasklist's way: (unassign whoever has it,) assign to `assignee` unless undefined, complete. The 409 detail when denied. */
  async function decideOnEngine(userTaskKey: string, assignee: string | undefined, variables: Record<string, unknown>): Promise<{ completed: true } | { status: number; detail: string }> {
    await pm.camunda.unassignUserTask({ userTaskKey } as never);
    if (assignee) await pm.camunda.assignUserTask({ userTaskKey, assignee, allowOverride: false, action: 'assign' } as never);
    try {
      await pm.camunda.completeUserTask({ userTaskKey, variables } as never);
      return { completed: true };
    } catch (error) {
      const failure = error as { status?: number; detail?: string; message?: string };
      return { status: failure.status ?? 0, detail: failure.detail ?? failure.message ?? '' };
    }
  }

  /** What must not change when a completion is denied. */
  async function snapshot(permitId: string) {
    const count = async (table: string) => Number(((await pm.knex(table).where({ permit_id: permitId }).count({ n: '*' })) as { n: string | number }[])[0]?.n);
    const permit = (await pm.knex('permits').where({ id: permitId }).first('status', 'version')) as { status: string; version: number };
    return { ...permit, history: await count('permit_status_history'), audit: await count('audit_log'), reviews: await count('review_decisions') };
  }

  async function expectDenied(permitId: string, userTaskKey: string, assignee: string | undefined, variables: Record<string, unknown>, reason: RegExp): Promise<void> {
    const before = await snapshot(permitId);
    const outcome = await decideOnEngine(userTaskKey, assignee, variables);
    expect(outcome, `${assignee ?? 'unassigned'} should be denied`).toMatchObject({ status: 409, detail: expect.stringMatching(/was denied by Task Listener\. Reason to deny: '/) });
    expect((outcome as { detail: string }).detail).toMatch(reason);
    expect(await taskState(userTaskKey)).toBe('CREATED');
    expect(await snapshot(permitId)).toEqual(before);
  }

  it('denies the application assessment to the unassigned, the submitter, a research-team member, the author, a data holder and an invalid date; records the proper reviewer', async () => {
    // alice writes the application, bob (research team) submits it, carol is on the research team; dana is a data holder.
    const permit = await createPermit(users.alice);
    for (const [userId, teamRole] of [
      ['bob', 'RESEARCH_TEAM'],
      ['carol', 'RESEARCH_TEAM'],
      ['dana', 'DATA_HOLDER'],
    ] as const) {
      expectStatus(await users.rita.post(`/permits/${permit.id}/members`, { userId, teamRole }), 201, `${userId} joins as ${teamRole}`);
    }
    await waitForSubscription(pm, MESSAGES.applicationSubmitted, permit.id);
    expectStatus(await bob.post(`/permits/${permit.id}/submit`), 202, 'bob submits');
    await waitForStatus(users.alice, permit.id, 'UNDER_ASSESSMENT');
    const task = await openTask(permit.id, PROCESS_IDS.application);
    const approve = { assessmentDecision: 'APPROVED', assessmentChecklist: APPLICATION_CHECKLIST, validUntil: '2027-06-30T23:59Z' };

    await expectDenied(permit.id, task.userTaskKey, undefined, approve, /Reason to deny: 'Not allowed: assign the task "Assess permit application" to yourself/);
    await expectDenied(permit.id, task.userTaskKey, 'bob', approve, /bob wrote or submitted what "Assess permit application" decides on/);
    await expectDenied(permit.id, task.userTaskKey, 'carol', approve, /carol is on the research team of permit/);
    expect((await carol.get(`/permits/${permit.id}`)).body.status).toBe('UNDER_ASSESSMENT');
    await expectDenied(permit.id, task.userTaskKey, 'alice', approve, /alice created permit/);
    await expectDenied(permit.id, task.userTaskKey, 'dana', approve, /dana is a data holder of permit/);
    await expectDenied(permit.id, task.userTaskKey, 'rita', { ...approve, validUntil: 'not-a-date' }, /Check the form: .*validUntil/);
    await expectDenied(permit.id, task.userTaskKey, 'rita', { ...approve, permitId: 'someone-elses-permit' }, /changes permitId/);

    expect(await decideOnEngine(task.userTaskKey, 'rita', { ...approve, assessedBy: 'mallory' })).toEqual({ completed: true });
    const issued = await waitForStatus(users.alice, permit.id, 'APPROVED');
    expect(new Date(String(issued.validUntil)).toISOString()).toBe('2027-06-30T23:59:00.000Z');
    const reviews = (await pm.knex('review_decisions').where({ permit_id: permit.id }).select('reviewer', 'stage', 'decision', 'submitted_by', 'user_task_key')) as Record<string, unknown>[];
    expect(reviews).toEqual([{ reviewer: 'rita', stage: 'APPLICATION', decision: 'APPROVED', submitted_by: 'bob', user_task_key: task.userTaskKey }]);
    await waitFor('the assessment audited', async () => (await pm.knex('audit_log').where({ permit_id: permit.id, action: 'application.assessed' }).first()) as { actor: string } | undefined, {
      timeoutMs: 20_000,
      intervalMs: 25,
    });
    const actors = (await pm.knex('audit_log').where({ permit_id: permit.id }).whereIn('action', ['review.decided', 'application.assessed']).select('action', 'actor')) as { action: string; actor: string }[];
    expect(actors.map((a) => a.actor)).toEqual(['rita', 'rita']);
    const issuedMessage = await waitFor(
      'the permit-issued notification to alice',
      async () => (await pm.knex('notifications').where({ permit_id: permit.id, template: 'permit-issued', user_id: 'alice' }).first('body')) as { body: string } | undefined,
      { timeoutMs: 20_000, intervalMs: 25 },
    );
    expect(issuedMessage.body).toContain('Rita Hansen');
    expect(issuedMessage.body).not.toMatch(/mallory/i);
  });

  it('denies the same reviewer twice on an output request that needs two reviews, and takes another reviewer', async () => {
    const permit: PermitBody = await permitInAnalysis(pm, users);
    // The request's file must be in the workspace's outputs (issue 16: it is checked on submission). A cell of 7 fails
    // the checks, so the HDAB's output release policy requires two independent reviews (issue 19).
    const table = ['region,Female,Male', 'North,7,31', 'South,40,38', ''].join('\n');
    const put = await request(pm.baseUrl, 'PUT', `/permits/${permit.id}/outputs?path=tables%2Ftable1.csv`, { token: await pm.tokenFor('alice'), rawBody: table, headers: { 'content-type': 'application/octet-stream' } });
    expectStatus(put, 201, 'put Table 1 into outputs');
    const created = expectStatus(
      await users.alice.post<{ id: string }>(`/permits/${permit.id}/egress-requests`, {
        title: 'Table 1',
        files: [{ path: 'tables/table1.csv', description: 'Baseline characteristics' }],
        disclosureChecks: [{ path: 'tables/table1.csv', checks: ['MIN_CELL_COUNT_10'] }],
      }),
      201,
      'create output request',
    ).body;
    await waitForSubscription(pm, MESSAGES.egressRequestSubmitted, permit.id);
    expectStatus(await users.alice.post(`/permits/${permit.id}/egress-requests/${created.id}/submit`), 202, 'submit output request');
    // The HDAB's output release policy, not alice, decided the two reviews: recorded on the request with its reason.
    await waitFor(
      'the policy recorded on the request',
      async () => (((await users.alice.get<{ requiredReviews: number | null; requiredReviewsReason: string | null }>(`/permits/${permit.id}/egress-requests/${created.id}`)).body.requiredReviews === 2) || undefined),
      { timeoutMs: 20_000, intervalMs: 50 },
    );
    expect((await users.alice.get<{ requiredReviewsReason: string }>(`/permits/${permit.id}/egress-requests/${created.id}`)).body.requiredReviewsReason).toMatch(/^At least one file failed the disclosure checks/);
    const approve = { egressDecision: 'APPROVED', egressReviewChecks: ['MIN_CELL_COUNT_10', 'ROUNDING_APPLIED', 'NO_DOMINANCE', 'NO_DIFFERENCING', 'NO_IDENTIFIERS'] };

    const first = await openTask(permit.id, PROCESS_IDS.egress, 'Task_ReviewOutput');
    await expectDenied(permit.id, first.userTaskKey, 'alice', approve, /alice wrote or submitted what "Review output request" decides on/);
    expect(await decideOnEngine(first.userTaskKey, 'rita', approve)).toEqual({ completed: true });

    const second = await openTask(permit.id, PROCESS_IDS.egress, 'Task_SecondOutputReview');
    await expectDenied(permit.id, second.userTaskKey, 'rita', approve, /rita gave the first review of output request/);
    expect(await decideOnEngine(second.userTaskKey, 'victor', approve)).toEqual({ completed: true });
    await waitFor(
      'the output request released',
      async () => ((await pm.knex('egress_requests').where({ id: created.id }).first('status')) as { status: string }).status === 'RELEASED' || undefined,
      { timeoutMs: 20_000, intervalMs: 25 },
    );
    const reviews = (await pm.knex('review_decisions').where({ egress_request_id: created.id }).orderBy('decided_at').select('reviewer', 'decision')) as Record<string, unknown>[];
    expect(reviews).toEqual([
      { reviewer: 'rita', decision: 'APPROVED' },
      { reviewer: 'victor', decision: 'APPROVED' },
    ]);
  });
});
