/**
 * User task listeners (Camunda 8.8): listener jobs per transition, corrections, denial, incidents.
 * Docs: https://docs.camunda.io/docs/components/concepts/user-task-listeners/
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectRefused, startApiEngine } from '../api/api-support.js';
import { NOW, key, waitFor, type ActivatedJob, type TestEngine } from '../support/harness.js';

let t: TestEngine;

beforeAll(async () => {
  // Every response is checked against the client's 8.8 schemas.
  t = await startApiEngine();
  await t.deploy(
    'tl-completing.bpmn', 'tl-two-completing.bpmn', 'tl-assigning.bpmn', 'tl-updating.bpmn', 'tl-creating.bpmn',
    'tl-no-retries.bpmn', 'tl-expression.bpmn',
  );
});

afterAll(async () => {
  await t?.stop();
});

async function taskIn(pik: string) {
  return waitFor(async () => (await t.userTasks(pik))[0], { message: `a user task in ${pik}` });
}

function accept(job: ActivatedJob, corrections?: Record<string, unknown>) {
  return t.api.completeJob({ jobKey: job.jobKey, ...(corrections ? { result: { type: 'userTask', corrections } } : {}) } as never);
}

function deny(job: ActivatedJob, deniedReason: string) {
  return t.api.completeJob({ jobKey: job.jobKey, result: { type: 'userTask', denied: true, deniedReason } } as never);
}

/** Settles a call that is expected to wait, so an early answer shows up as a failure, not as an unhandled rejection. */
function pending<T>(call: Promise<T>) {
  const state: { settled: boolean } = { settled: false };
  const settled = call.then(
    (value) => { state.settled = true; return { ok: true as const, value }; },
    (error: unknown) => { state.settled = true; return { ok: false as const, error }; },
  );
  return { state, settled, call: settled.then((r) => (r.ok ? r.value : Promise.reject(r.error))) };
}

describe('completing listener', () => {
  it('runs before completion: the job carries the task data and completion variables; accepting completes the task', async () => {
    const pik = await t.createInstance('tl-completing', { owner: 'ann', foo: 'bar' });
    const task = await t.waitForUserTask(pik, 'task');
    expect(task.assignee).toBe('ann');
    const completion = pending(t.api.completeUserTask({ userTaskKey: task.userTaskKey, variables: { foo: 'overwritten', decision: 'approve' } }));
    const job = await t.waitForJob('tl-completing');
    expect(job.kind).toBe('TASK_LISTENER');
    expect(job.listenerEventType).toBe('COMPLETING');
    expect(String(job.elementId)).toBe('task');
    expect(String(job.processInstanceKey)).toBe(pik);
    expect(String(job.elementInstanceKey)).toBe(String(task.elementInstanceKey));
    expect(job.userTask).toMatchObject({
      action: 'complete', assignee: 'ann', candidateGroups: ['reviewers'], candidateUsers: [], changedAttributes: [],
      priority: 70, userTaskKey: String(task.userTaskKey),
    });
    expect(job.customHeaders).toEqual({
      purpose: 'decision',
      'io.camunda.zeebe:action': 'complete',
      'io.camunda.zeebe:assignee': 'ann',
      'io.camunda.zeebe:candidateGroups': '["reviewers"]',
      'io.camunda.zeebe:priority': '70',
      'io.camunda.zeebe:userTaskKey': String(task.userTaskKey),
    });
    // Completion variables shadow process variables.
    expect(job.variables).toEqual({ owner: 'ann', foo: 'overwritten', decision: 'approve' });
    expect((await taskIn(pik)).state).toBe('COMPLETING');
    const other = await expectRefused(t.api.assignUserTask({ userTaskKey: task.userTaskKey, assignee: 'bob' }), 409, 'INVALID_STATE');
    expect(other.detail).toBe(`Expected to assign user task with key '${String(task.userTaskKey)}', but it is in state 'COMPLETING'`);
    expect(completion.state.settled).toBe(false);

    await accept(job);
    await completion.call;
    await t.waitForInstanceState(pik, 'COMPLETED');
    expect((await taskIn(pik)).state).toBe('COMPLETED');
    expect(await t.variables(pik)).toEqual({ owner: 'ann', foo: 'overwritten', decision: 'approve' });
    const jobs = await t.api.searchJobs({ filter: { processInstanceKey: key(pik), kind: 'TASK_LISTENER', listenerEventType: 'COMPLETING' } }, NOW);
    expect(jobs.items?.map((j) => [j.type, j.state, j.isDenied])).toEqual([['tl-completing', 'COMPLETED', false]]);
    const plain = await t.api.searchJobs({ filter: { processInstanceKey: key(pik), kind: 'BPMN_ELEMENT' } }, NOW);
    expect(plain.items).toEqual([]);
  });

  it('fetchVariable filtering applies to listener jobs', async () => {
    const pik = await t.createInstance('tl-completing', { owner: 'ann', foo: 'bar', other: 1 });
    const task = await t.waitForUserTask(pik, 'task');
    const completion = pending(t.api.completeUserTask({ userTaskKey: task.userTaskKey, variables: { foo: 'new' } }));
    const jobs = await waitFor(async () => {
      const r = await t.api.activateJobs({ type: 'tl-completing', timeout: 30_000, maxJobsToActivate: 1, requestTimeout: 200, fetchVariable: ['foo'] });
      return r.jobs[0];
    });
    expect(jobs.variables).toEqual({ foo: 'new' });
    await accept(jobs as never);
    await completion.call;
    await t.waitForInstanceState(pik, 'COMPLETED');
  });

  it('a denial answers 409 with the reason, keeps the task open without the variables; it can be completed again', async () => {
    const pik = await t.createInstance('tl-completing', { owner: 'ann', foo: 'bar' });
    const task = await t.waitForUserTask(pik, 'task');
    const completion = pending(t.api.completeUserTask({ userTaskKey: task.userTaskKey, variables: { decision: 'approve' } }));
    const job = await t.waitForJob('tl-completing');
    await deny(job, 'four eyes: the requester cannot decide');
    const problem = await expectRefused(completion.call, 409, 'INVALID_STATE');
    expect(problem.detail).toBe(
      `Command 'COMPLETE' rejected with code 'INVALID_STATE': Completion of the User Task with key '${String(task.userTaskKey)}' was denied by Task Listener. Reason to deny: 'four eyes: the requester cannot decide'`,
    );
    const after = await taskIn(pik);
    expect(after.state).toBe('CREATED');
    expect(after.assignee).toBe('ann');
    expect(await t.variables(pik)).toEqual({ owner: 'ann', foo: 'bar' });
    const denied = await t.api.searchJobs({ filter: { jobKey: key(String(job.jobKey)) } }, NOW);
    expect(denied.items?.[0]).toMatchObject({ isDenied: true, deniedReason: 'four eyes: the requester cannot decide', kind: 'TASK_LISTENER' });

    const again = pending(t.api.completeUserTask({ userTaskKey: task.userTaskKey, variables: { decision: 'reject' } }));
    await accept(await t.waitForJob('tl-completing'));
    await again.call;
    await t.waitForInstanceState(pik, 'COMPLETED');
    expect(await t.variables(pik)).toMatchObject({ decision: 'reject' });
  });

  it('runs several listeners in model order; corrections reach the next listener and the task', async () => {
    const pik = await t.createInstance('tl-two-completing');
    const task = await t.waitForUserTask(pik, 'task');
    const completion = pending(t.api.completeUserTask({ userTaskKey: task.userTaskKey }));
    const first = await t.waitForJob('tl-first');
    expect(await t.activate('tl-second')).toEqual([]);
    await accept(first, { assignee: 'carol', priority: 90 });
    const second = await t.waitForJob('tl-second');
    expect(second.userTask).toMatchObject({ assignee: 'carol', priority: 90, changedAttributes: ['assignee', 'priority'] });
    expect(second.customHeaders['io.camunda.zeebe:changedAttributes']).toBe('["assignee","priority"]');
    await accept(second);
    await completion.call;
    await t.waitForInstanceState(pik, 'COMPLETED');
    expect(await taskIn(pik)).toMatchObject({ state: 'COMPLETED', assignee: 'carol', priority: 90 });
  });
});

describe('assigning, updating and creating listeners', () => {
  it('assigning: the listener sees the new assignee; a denial answers 409 and keeps the old assignee', async () => {
    const pik = await t.createInstance('tl-assigning');
    const task = await t.waitForUserTask(pik, 'task');
    const assignment = pending(t.api.assignUserTask({ userTaskKey: task.userTaskKey, assignee: 'bob' }));
    const job = await t.waitForJob('tl-assigning');
    expect(job.listenerEventType).toBe('ASSIGNING');
    expect(job.userTask).toMatchObject({ action: 'assign', assignee: 'bob', changedAttributes: ['assignee'] });
    expect((await taskIn(pik)).state).toBe('ASSIGNING');
    await deny(job, 'bob is on leave');
    const problem = await expectRefused(assignment.call, 409, 'INVALID_STATE');
    expect(problem.detail).toBe(
      `Command 'ASSIGN' rejected with code 'INVALID_STATE': Assignment of the User Task with key '${String(task.userTaskKey)}' was denied by Task Listener. Reason to deny: 'bob is on leave'`,
    );
    expect((await taskIn(pik)).assignee).toBeUndefined();

    const second = pending(t.api.assignUserTask({ userTaskKey: task.userTaskKey, assignee: 'bob' }));
    await accept(await t.waitForJob('tl-assigning'), { assignee: 'dave' });
    await second.call;
    expect(await taskIn(pik)).toMatchObject({ state: 'CREATED', assignee: 'dave' });

    const unassign = pending(t.api.unassignUserTask({ userTaskKey: task.userTaskKey }));
    const unassignJob = await t.waitForJob('tl-assigning');
    expect(unassignJob.userTask).toMatchObject({ action: 'unassign' });
    expect(unassignJob.userTask?.assignee ?? undefined).toBeUndefined();
    await accept(unassignJob);
    await unassign.call;
    expect((await taskIn(pik)).assignee).toBeUndefined();
  });

  it('updating: PATCH and PUT variables on the task wait for the listener', async () => {
    const pik = await t.createInstance('tl-updating', { note: 'old' });
    const task = await t.waitForUserTask(pik, 'task');
    const update = pending(t.api.updateUserTask({ userTaskKey: task.userTaskKey, changeset: { priority: 10, candidateGroups: ['a'] } }));
    const job = await t.waitForJob('tl-updating');
    expect(job.listenerEventType).toBe('UPDATING');
    expect(job.userTask).toMatchObject({ action: 'update', priority: 10, candidateGroups: ['a'] });
    expect(job.userTask?.changedAttributes).toEqual(['candidateGroupsList', 'priority']);
    expect((await taskIn(pik)).state).toBe('UPDATING');
    await accept(job);
    await update.call;
    expect(await taskIn(pik)).toMatchObject({ state: 'CREATED', priority: 10, candidateGroups: ['a'] });

    const setVars = pending(t.api.createElementInstanceVariables({ elementInstanceKey: String(task.elementInstanceKey), variables: { note: 'new' } }));
    const varsJob = await t.waitForJob('tl-updating');
    expect(varsJob.userTask?.changedAttributes).toEqual(['variables']);
    expect(varsJob.variables).toEqual({ note: 'new' });
    expect(await t.variables(pik)).toEqual({ note: 'old' });
    await deny(varsJob, 'read only');
    const problem = await expectRefused(setVars.call, 409, 'INVALID_STATE');
    expect(problem.detail).toMatch(/Update of the User Task with key '\d+' was denied by Task Listener. Reason to deny: 'read only'/);
    expect(await t.variables(pik)).toEqual({ note: 'old' });

    const retry = pending(t.api.createElementInstanceVariables({ elementInstanceKey: String(task.elementInstanceKey), variables: { note: 'new' } }));
    await accept(await t.waitForJob('tl-updating'));
    await retry.call;
    expect(await t.variables(pik)).toEqual({ note: 'new' });
  });

  it('creating: the task is CREATING until the listener accepts; its assignee correction is then assigned with assigning listeners', async () => {
    const pik = await t.createInstance('tl-creating');
    const job = await t.waitForJob('tl-creating');
    expect(job.listenerEventType).toBe('CREATING');
    expect(job.userTask).toMatchObject({ action: '', candidateGroups: ['clerks'], priority: 50 });
    expect(job.customHeaders['io.camunda.zeebe:action']).toBeUndefined();
    expect((await taskIn(pik)).state).toBe('CREATING');
    await accept(job, { assignee: 'erin', priority: 60 });
    const assigning = await t.waitForJob('tl-after-create');
    // Assignment after creation is triggered by the engine: empty action.
    expect(assigning.userTask).toMatchObject({ action: '', assignee: 'erin', changedAttributes: ['assignee'] });
    expect(await taskIn(pik)).toMatchObject({ state: 'ASSIGNING', priority: 60 });
    await accept(assigning);
    const task = await t.waitForUserTask(pik, 'task');
    expect(task).toMatchObject({ assignee: 'erin', priority: 60 });
  });
});

describe('refusals', () => {
  it('refuses variables on a listener job, a denial of creation, and a denial with corrections; BPMN errors too', async () => {
    const pik = await t.createInstance('tl-creating');
    const job = await t.waitForJob('tl-creating');
    const withVariables = await expectRefused(t.api.completeJob({ jobKey: job.jobKey, variables: { x: 1 } }), 400, 'INVALID_ARGUMENT');
    expect(withVariables.detail).toMatch(/^Task Listener job completion with variables payload provided is not yet supported/);
    const denyCreation = await expectRefused(deny(job, 'no'), 400, 'INVALID_ARGUMENT');
    expect(denyCreation.detail).toMatch(/Denying result is not supported for 'CREATING' task listener jobs/);
    const badPriority = await expectRefused(accept(job, { priority: 101 }), 400, 'INVALID_ARGUMENT');
    expect(badPriority.detail).toMatch(/priority/);
    await expectRefused(t.api.throwJobError({ jobKey: job.jobKey, errorCode: 'X' }), 400, 'INVALID_ARGUMENT');
    // None of that changed anything: the listener can still accept.
    expect((await taskIn(pik)).state).toBe('CREATING');
    await accept(job);
    await t.waitForUserTask(pik, 'task');
  });

  it('refuses a denial that carries corrections, changing nothing', async () => {
    const pik = await t.createInstance('tl-completing', { owner: 'ann' });
    const task = await t.waitForUserTask(pik, 'task');
    const completion = pending(t.api.completeUserTask({ userTaskKey: task.userTaskKey }));
    const job = await t.waitForJob('tl-completing');
    const both = await expectRefused(
      t.api.completeJob({ jobKey: job.jobKey, result: { type: 'userTask', denied: true, corrections: { priority: 1 } } } as never),
      400,
      'INVALID_ARGUMENT',
    );
    expect(both.detail).toMatch(/the job result is denied/);
    expect((await taskIn(pik)).state).toBe('COMPLETING');
    await accept(job);
    await completion.call;
    await t.waitForInstanceState(pik, 'COMPLETED');
  });
});

describe('failures and incidents', () => {
  it('a listener job without retries raises TASK_LISTENER_NO_RETRIES; resolving re-runs only that job', async () => {
    const pik = await t.createInstance('tl-no-retries');
    const task = await t.waitForUserTask(pik, 'task');
    const completion = pending(t.api.completeUserTask({ userTaskKey: task.userTaskKey, variables: { done: true } }));
    const job = await t.waitForJob('tl-flaky');
    expect(job.retries).toBe(1);
    await t.api.failJob({ jobKey: job.jobKey, retries: 0, errorMessage: 'listener down' });
    const incident = await t.waitForIncident(pik);
    expect(incident).toMatchObject({ errorType: 'TASK_LISTENER_NO_RETRIES', errorMessage: 'listener down' });
    expect((await taskIn(pik)).state).toBe('COMPLETING');
    await t.api.updateJob({ jobKey: job.jobKey, changeset: { retries: 1 } });
    await t.api.resolveIncident({ incidentKey: String(incident.incidentKey) });
    const again = await t.waitForJob('tl-flaky');
    expect(String(again.jobKey)).toBe(String(job.jobKey));
    await accept(again);
    await completion.call;
    await t.waitForInstanceState(pik, 'COMPLETED');
    expect(await t.variables(pik)).toEqual({ done: true });
  });

  it('a failing listener type expression raises an incident; resolving it retries the transition', async () => {
    const pik = await t.createInstance('tl-expression');
    const task = await t.waitForUserTask(pik, 'task');
    const completion = pending(t.api.completeUserTask({ userTaskKey: task.userTaskKey }));
    const incident = await t.waitForIncident(pik);
    expect(incident.errorType).toBe('EXTRACT_VALUE_ERROR');
    await t.api.createElementInstanceVariables({ elementInstanceKey: key(pik), variables: { listenerType: 'tl-dynamic' } });
    await t.api.resolveIncident({ incidentKey: String(incident.incidentKey) });
    await accept(await t.waitForJob('tl-dynamic'));
    await completion.call;
    await t.waitForInstanceState(pik, 'COMPLETED');
  });
});
