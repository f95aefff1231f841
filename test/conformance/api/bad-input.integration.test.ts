/**
 * Bad input: malformed JSON, unknown keys, wrong types, unknown jobs/tasks/instances, completing a job or a
 * user task twice. Each must be answered with a problem+json 4xx (status, title, detail) AND change nothing,
 * proven by reading the state before and after. Raw fetch only where the official client cannot send the
 * request (malformed JSON, unknown keys); the client everywhere else.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NOW, key } from '../support/harness.js';
import { expectProblemDocument, expectRefused, instanceSnapshot, rawRequest, startApiEngine, type TestEngine } from './api-support.js';

const UNKNOWN = '2251799813999999';

describe('REST /v2 bad input', () => {
  let t: TestEngine;
  beforeAll(async () => {
    t = await startApiEngine();
    await t.deploy('api-service-task.bpmn', 'api-user-task.bpmn', 'api-review-form.form');
  });
  afterAll(async () => {
    await t?.stop();
  });

  const instanceCount = async () =>
    Number((await t.client.searchProcessInstances({ filter: { processDefinitionId: 'api-service-task' } }, NOW)).page.totalItems);

  async function activatedJob(variables: Record<string, unknown> = { orderId: 'B-1' }) {
    const pik = await t.createInstance('api-service-task', variables);
    const [job] = (await t.client.activateJobs({ type: 'api-work', timeout: 60_000, maxJobsToActivate: 1, requestTimeout: 5_000 })).jobs;
    if (!job || String(job.processInstanceKey) !== pik) throw new Error('expected the job of the new instance');
    return { pik, jobKey: String(job.jobKey) };
  }

  it('malformed JSON is a 400 problem and creates no instance', async () => {
    const before = await instanceCount();
    const problem = await rawRequest(t, 'POST', '/process-instances', '{"processDefinitionId": "api-service-task",');
    expectProblemDocument(problem, 400);
    const search = await rawRequest(t, 'POST', '/process-instances/search', '{"filter": ');
    expectProblemDocument(search, 400);
    expect(await instanceCount()).toBe(before);
  });

  it('an unknown key in the body is a 400 problem and creates no instance', async () => {
    const before = await instanceCount();
    const problem = await rawRequest(t, 'POST', '/process-instances', JSON.stringify({ processDefinitionId: 'api-service-task', bogus: 1 }));
    expectProblemDocument(problem, 400);
    expect(String(problem.body.detail)).toContain('bogus');
    expect(await instanceCount()).toBe(before);
    const search = await rawRequest(t, 'POST', '/process-instances/search', JSON.stringify({ filter: { bogusField: 1 } }));
    expectProblemDocument(search, 400);
    expect(String(search.body.detail)).toContain('bogusField');
  });

  it('wrong types are a 400 problem and change nothing', async () => {
    const before = await instanceCount();
    await expectRefused(t.client.createProcessInstance({ processDefinitionId: key('api-service-task'), variables: 'x' as never }), 400);
    await expectRefused(t.client.createProcessInstance({ processDefinitionId: key('api-service-task'), processDefinitionVersion: 'one' as never }), 400);
    await expectRefused(t.client.activateJobs({ type: 'api-work', timeout: 1_000, maxJobsToActivate: 'ten' as never }), 400);
    await expectRefused(t.client.publishMessage({ name: 'x', correlationKey: 'y', timeToLive: 'long' as never }), 400);
    expect(await instanceCount()).toBe(before);
    const raw = await rawRequest(t, 'POST', '/process-instances', JSON.stringify({ processDefinitionId: 42 }));
    expectProblemDocument(raw, 400);
    expect(await instanceCount()).toBe(before);
  });

  it('missing or out-of-range values are 400 problems and change nothing', async () => {
    const { pik, jobKey } = await activatedJob({ orderId: 'B-0' });
    const before = await instanceSnapshot(t, pik);
    await expectRefused(t.client.activateJobs({ type: 'api-work', timeout: 1_000, maxJobsToActivate: 0 }), 400);
    await expectRefused(t.client.activateJobs({ type: 'api-work', timeout: 0, maxJobsToActivate: 1 }), 400);
    await expectRefused(t.client.activateJobs({ type: '', timeout: 1_000, maxJobsToActivate: 1 }), 400);
    await expectRefused(t.client.publishMessage({ name: '', correlationKey: 'k' }), 400);
    await expectRefused(t.client.updateJob({ jobKey: key(jobKey), changeset: {} }), 400);
    await expectRefused(t.client.createProcessInstance({} as never), 400);
    expect(await instanceSnapshot(t, pik)).toEqual(before);
    await t.client.completeJob({ jobKey: key(jobKey) });
    await t.waitForInstanceState(pik, 'COMPLETED');

    const userPik = await t.createInstance('api-user-task');
    const task = await t.waitForUserTask(userPik, 'review');
    const taskBefore = await instanceSnapshot(t, userPik);
    await expectRefused(t.client.assignUserTask({ userTaskKey: key(String(task.userTaskKey)), assignee: '' }), 400);
    expect(await instanceSnapshot(t, userPik)).toEqual(taskBefore);
  });

  it('a malformed or mistyped job completion is a 400 problem and the job stays with its worker', async () => {
    const { pik, jobKey } = await activatedJob();
    const before = await instanceSnapshot(t, pik);
    expectProblemDocument(await rawRequest(t, 'POST', `/jobs/${jobKey}/completion`, '{"variables": {"a": '), 400);
    expectProblemDocument(await rawRequest(t, 'POST', `/jobs/${jobKey}/completion`, JSON.stringify({ variables: { a: 1 }, surprise: true })), 400);
    await expectRefused(t.client.completeJob({ jobKey: key(jobKey), variables: [1, 2] as never }), 400);
    await expectRefused(t.client.updateJob({ jobKey: key(jobKey), changeset: { retries: 'many' as never } }), 400);
    expect(await instanceSnapshot(t, pik)).toEqual(before);
    // Still activated (not handed to anyone else), and a correct completion still works.
    expect((await t.client.activateJobs({ type: 'api-work', timeout: 1_000, maxJobsToActivate: 10, requestTimeout: -1 })).jobs).toHaveLength(0);
    await t.client.completeJob({ jobKey: key(jobKey), variables: { a: 1 } });
    await t.waitForInstanceState(pik, 'COMPLETED');
    expect(await t.variables(pik)).toEqual({ orderId: 'B-1', a: 1 });
  });

  it('unknown jobs, user tasks and instances are 404 problems', async () => {
    for (const [method, path, body] of [
      ['POST', `/jobs/${UNKNOWN}/completion`, '{}'],
      ['POST', `/jobs/${UNKNOWN}/failure`, '{"retries": 1}'],
      ['POST', `/jobs/${UNKNOWN}/error`, '{"errorCode": "E"}'],
      ['PATCH', `/jobs/${UNKNOWN}`, '{"changeset": {"retries": 1}}'],
      ['POST', `/user-tasks/${UNKNOWN}/completion`, '{}'],
      ['POST', `/user-tasks/${UNKNOWN}/assignment`, '{"assignee": "alice"}'],
      ['GET', `/user-tasks/${UNKNOWN}`, undefined],
      ['POST', `/process-instances/${UNKNOWN}/cancellation`, '{}'],
      ['GET', `/process-instances/${UNKNOWN}`, undefined],
    ] as const) {
      const problem = await rawRequest(t, method, path, body);
      expect(problem.status, `${method} ${path}`).toBe(404);
      expectProblemDocument(problem, 404);
      expect(problem.body.title, `${method} ${path}`).toBe('NOT_FOUND');
    }
    await expectRefused(t.client.completeJob({ jobKey: key(UNKNOWN) }), 404, 'NOT_FOUND');
    await expectRefused(t.client.completeUserTask({ userTaskKey: key(UNKNOWN) }), 404, 'NOT_FOUND');
    await expectRefused(t.client.cancelProcessInstance({ processInstanceKey: key(UNKNOWN) }), 404, 'NOT_FOUND');
  });

  it('a body that is not JSON (wrong content type) is a 4xx problem and creates nothing', async () => {
    const before = await instanceCount();
    const problem = await rawRequest(t, 'POST', '/process-instances', 'processDefinitionId=api-service-task', 'text/plain');
    expect([400, 415]).toContain(problem.status);
    expectProblemDocument(problem, problem.status);
    expect(await instanceCount()).toBe(before);
  });

  it('completing a job that failed into an incident is a 409 problem and changes nothing', async () => {
    const { pik, jobKey } = await activatedJob({ orderId: 'B-3' });
    await t.client.failJob({ jobKey: key(jobKey), retries: 0, errorMessage: 'broken' });
    await t.waitForIncident(pik);
    const before = await instanceSnapshot(t, pik);
    await expectRefused(t.client.completeJob({ jobKey: key(jobKey), variables: { sneaky: true } }), 409, 'INVALID_STATE');
    expect(await instanceSnapshot(t, pik)).toEqual(before);
    await t.client.cancelProcessInstance({ processInstanceKey: key(pik) });
  });

  it('a key that is not a number is a 400 problem', async () => {
    expectProblemDocument(await rawRequest(t, 'GET', '/process-instances/not-a-key'), 400);
    expectProblemDocument(await rawRequest(t, 'POST', '/jobs/not-a-key/completion', '{}'), 400);
  });

  it('completing a job twice: the second is a 404 problem and its variables are not applied', async () => {
    const { pik, jobKey } = await activatedJob({ orderId: 'B-2' });
    await t.client.completeJob({ jobKey: key(jobKey), variables: { outcome: 'first' } });
    await t.waitForInstanceState(pik, 'COMPLETED');
    const before = await instanceSnapshot(t, pik);
    await expectRefused(t.client.completeJob({ jobKey: key(jobKey), variables: { outcome: 'second' } }), 404, 'NOT_FOUND');
    await expectRefused(t.client.failJob({ jobKey: key(jobKey), retries: 0, errorMessage: 'late' }), 404, 'NOT_FOUND');
    const raw = await rawRequest(t, 'POST', `/jobs/${jobKey}/completion`, JSON.stringify({ variables: { outcome: 'third' } }));
    expectProblemDocument(raw, 404);
    expect(await instanceSnapshot(t, pik)).toEqual(before);
    expect(before.variables).toEqual({ orderId: 'B-2', outcome: 'first' });
  });

  it('completing a user task twice: the second is a 404 problem and its variables are not applied', async () => {
    const pik = await t.createInstance('api-user-task', { applicant: 'dora' });
    const task = await t.waitForUserTask(pik, 'review');
    const userTaskKey = key(String(task.userTaskKey));
    await t.client.completeUserTask({ userTaskKey, variables: { decision: 'approve' } });
    await t.waitForInstanceState(pik, 'COMPLETED');
    const before = await instanceSnapshot(t, pik);
    await expectRefused(t.client.completeUserTask({ userTaskKey, variables: { decision: 'reject' } }), 404, 'NOT_FOUND');
    await expectRefused(t.client.assignUserTask({ userTaskKey, assignee: 'eve' }), 404, 'NOT_FOUND');
    expect(await instanceSnapshot(t, pik)).toEqual(before);
    expect(before.variables).toEqual({ applicant: 'dora', decision: 'approve' });
    expect((await t.client.getUserTask({ userTaskKey }, NOW)).assignee ?? '').toBe('');
  });

  it('a mistyped user task request is a 400 problem and leaves the task as it was', async () => {
    const pik = await t.createInstance('api-user-task', { applicant: 'fred' });
    const task = await t.waitForUserTask(pik, 'review');
    const before = await instanceSnapshot(t, pik);
    await expectRefused(t.client.assignUserTask({ userTaskKey: key(String(task.userTaskKey)), assignee: 7 as never }), 400);
    await expectRefused(t.client.updateUserTask({ userTaskKey: key(String(task.userTaskKey)), changeset: { priority: 'high' as never } }), 400);
    expectProblemDocument(await rawRequest(t, 'POST', `/user-tasks/${String(task.userTaskKey)}/completion`, JSON.stringify({ variables: {}, extra: 1 })), 400);
    expect(await instanceSnapshot(t, pik)).toEqual(before);
    const after = await t.client.getUserTask({ userTaskKey: key(String(task.userTaskKey)) }, NOW);
    expect(after.priority).toBe(60);
    expect(after.state).toBe('CREATED');
  });
});
