/**
 * Job-worker user tasks (a `bpmn:userTask` without `zeebe:userTask`), as Camunda 8.8 runs them: the element
 * waits on a job of type `io.camunda.zeebe:userTask` (one retry) whose custom headers carry the form and the
 * assignment Zeebe evaluated; completing the job completes the task. There is no user task record, so the
 * user task search does not show it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { key } from '../support/harness.js';
import { startApiEngine, type TestEngine } from './api-support.js';

const JOB_TYPE = 'io.camunda.zeebe:userTask';

describe('job-worker user tasks', () => {
  let t: TestEngine;
  let formKey: string;
  beforeAll(async () => {
    t = await startApiEngine();
    const deployment = await t.deploy('jw-user-task-review.bpmn', 'jw-user-task-linked.bpmn', 'api-review-form.form');
    formKey = String(deployment.deployments.find((d) => d.form)?.form?.formKey);
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('runs as a job of type io.camunda.zeebe:userTask with the headers Zeebe sets, and completes with the job', async () => {
    const pik = await t.createInstance('jw-user-task-review', { reviewer: 'carol', due: '2099-02-28T09:00:00Z' });
    const job = await t.waitForJob(JOB_TYPE);
    expect(job).toMatchObject({ type: JOB_TYPE, retries: 1, elementId: 'review', processInstanceKey: pik });
    expect(job.customHeaders).toEqual({
      team: 'hdab',
      'io.camunda.zeebe:formKey': 'camunda-forms:bpmn:reviewForm',
      'io.camunda.zeebe:assignee': 'carol',
      'io.camunda.zeebe:candidateGroups': '["hdab","stewards"]',
      'io.camunda.zeebe:candidateUsers': '["ann","bob"]',
      'io.camunda.zeebe:dueDate': '2099-01-31T12:00:00Z',
      'io.camunda.zeebe:followUpDate': '2099-02-28T09:00:00Z',
    });

    expect(await t.userTasks(pik)).toEqual([]);
    const waiting = await t.elementInstances(pik);
    expect(waiting.find((e) => e.elementId === 'review')).toMatchObject({ type: 'USER_TASK', state: 'ACTIVE' });

    await t.client.completeJob({ jobKey: key(job.jobKey), variables: { approved: true } });
    await t.waitForInstanceState(pik, 'COMPLETED');
    expect(await t.variables(pik)).toMatchObject({ approved: true });
  });

  it('links a formId to the key of the form latest deployed', async () => {
    const pik = await t.createInstance('jw-user-task-linked');
    const job = await t.waitForJob(JOB_TYPE);
    expect(job.processInstanceKey).toBe(pik);
    expect(formKey).toMatch(/^\d+$/);
    expect(job.customHeaders).toEqual({ 'io.camunda.zeebe:formKey': formKey });
    await t.client.completeJob({ jobKey: key(job.jobKey) });
    await t.waitForInstanceState(pik, 'COMPLETED');
  });
});
