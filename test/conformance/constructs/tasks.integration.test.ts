/**
 * Job-based tasks (service, send, business rule), script tasks, user tasks and receive tasks.
 * Docs: https://docs.camunda.io/docs/components/modeler/bpmn/{service-tasks,send-tasks,business-rule-tasks,
 * script-tasks,user-tasks,receive-tasks}/
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NOW, key, startTestEngine, type ActivatedJob, type TestEngine } from '../support/harness.js';

let t: TestEngine;

beforeAll(async () => {
  t = await startTestEngine();
  await t.deploy('service-task.bpmn', 'send-task.bpmn', 'business-rule-task.bpmn', 'script-task.bpmn', 'user-task.bpmn', 'review-form.form', 'receive-task.bpmn', 'script-task-feel.bpmn', 'user-task-feel.bpmn', 'message-name-feel.bpmn');
});

afterAll(async () => {
  await t?.stop();
});

describe('service task', () => {
  it('creates a job with the task type, retries and custom headers; completion variables reach the process', async () => {
    const seen: ActivatedJob[] = [];
    t.worker('svc-double', (job) => {
      seen.push(job);
      return job.complete({ doubled: Number(job.variables.x) * 2 });
    });
    const pik = await t.createInstance('service-task', { x: 21 });
    await t.waitForInstanceState(pik, 'COMPLETED');
    expect(seen).toHaveLength(1);
    const job = seen[0]!;
    expect(job.type).toBe('svc-double');
    expect(job.retries).toBe(5);
    expect(job.customHeaders).toEqual({ kind: 'double', unit: 'eur' });
    expect(String(job.elementId)).toBe('task');
    expect(String(job.processInstanceKey)).toBe(pik);
    expect(String(job.processDefinitionId)).toBe('service-task');
    expect(job.variables).toEqual({ x: 21 });
    expect(await t.variables(pik)).toEqual({ x: 21, doubled: 42 });
    expect(await t.completedElementIds(pik)).toEqual(['start', 'task', 'end']);
  });

  it('the job shows up as COMPLETED in job search after completion', async () => {
    const pik = await t.createInstance('service-task', { x: 1 });
    await t.waitForInstanceState(pik, 'COMPLETED');
    const jobs = await t.api.searchJobs({ filter: { processInstanceKey: key(pik) } }, NOW);
    expect(jobs.items?.map((j) => [j.type, j.state, j.retries])).toEqual([['svc-double', 'COMPLETED', 5]]);
  });
});

describe('send task and business rule task as jobs', () => {
  it.each([
    ['send-task', 'send-task-job', 'send'],
    ['business-rule-task', 'brt-job', 'rule'],
  ])('%s creates a job of type %s; completing it completes the task', async (processId, jobType, elementId) => {
    const pik = await t.createInstance(processId, { input: 'x' });
    const job = await t.waitForJob(jobType);
    expect(String(job.elementId)).toBe(elementId);
    expect(job.retries).toBe(3);
    await job.complete({ output: `${jobType}-done` });
    await t.waitForInstanceState(pik, 'COMPLETED');
    expect(await t.variables(pik)).toEqual({ input: 'x', output: `${jobType}-done` });
  });
});

describe('script task', () => {
  it('evaluates the FEEL expression and stores the result in resultVariable', async () => {
    const pik = await t.createInstance('script-task', { a: 2, b: 40, first: 'Ada', last: 'Lovelace' });
    await t.waitForInstanceState(pik, 'COMPLETED');
    const vars = await t.variables(pik);
    expect(vars.sum).toBe(42);
    expect(vars.person).toEqual({ full: 'Ada Lovelace', n: 3 });
    expect(await t.completedElementIds(pik)).toEqual(['start', 'add', 'build', 'end']);
  });
});

describe('FEEL in script tasks', () => {
  it('evaluates built-in functions, filters, temporal arithmetic and conditionals; a missing variable is null', async () => {
    const pik = await t.createInstance('script-task-feel', {
      name: 'ada',
      items: [
        { name: 'a', price: 5 },
        { name: 'b', price: 50 },
      ],
    });
    await t.waitForInstanceState(pik, 'COMPLETED');
    expect((await t.variables(pik)).result).toEqual({ total: 6, names: ['b'], upper: 'ADA', next: '2024-02-01', size: 'many', missing: null });
  });
});

describe('user task (zeebe:userTask)', () => {
  it('takes candidate groups/users, due date and priority from FEEL expressions', async () => {
    const pik = await t.createInstance('user-task-feel', { groups: ['ops', 'sec'], due: '2032-02-02T10:00:00Z', prio: 12 });
    const task = await t.waitForUserTask(pik, 'approve');
    expect(task.candidateGroups).toEqual(['ops', 'sec']);
    expect(task.candidateUsers).toEqual(['u1', 'u2']);
    expect(Date.parse(String(task.dueDate))).toBe(Date.parse('2032-02-02T10:00:00Z'));
    expect(task.priority).toBe(12);
    expect(task.assignee ?? null).toBeNull();
  });

  it('is created with form, assignee from FEEL, candidates, due/follow-up dates and priority; completion variables reach the process', async () => {
    const pik = await t.createInstance('user-task', { owner: 'bob' });
    const task = await t.waitForUserTask(pik, 'review');
    expect(task.state).toBe('CREATED');
    expect(task.name).toBe('Review request');
    expect(task.assignee).toBe('bob');
    expect(task.candidateGroups).toEqual(['reviewers', 'admins']);
    expect(task.candidateUsers).toEqual(['ann']);
    expect(Date.parse(String(task.dueDate))).toBe(Date.parse('2031-05-01T12:00:00Z'));
    expect(Date.parse(String(task.followUpDate))).toBe(Date.parse('2031-04-01T12:00:00Z'));
    expect(task.priority).toBe(80);
    expect(String(task.processDefinitionId)).toBe('user-task');

    const byAssignee = await t.api.searchUserTasks({ filter: { assignee: 'bob', state: 'CREATED' } }, NOW);
    expect(byAssignee.items?.map((u) => String(u.userTaskKey))).toContain(String(task.userTaskKey));
    const byGroup = await t.api.searchUserTasks({ filter: { candidateGroup: 'admins', processInstanceKey: key(pik) } }, NOW);
    expect(byGroup.items).toHaveLength(1);

    const form = (await t.api.getUserTaskForm({ userTaskKey: task.userTaskKey }, NOW)) as { formId?: string; schema?: string } | undefined;
    expect(String(form?.formId)).toBe('review-form');
    const schema: unknown = typeof form?.schema === 'string' ? JSON.parse(form.schema) : form?.schema;
    expect((schema as { id: string }).id).toBe('review-form');

    await t.api.completeUserTask({ userTaskKey: task.userTaskKey, variables: { approved: true } });
    await t.waitForInstanceState(pik, 'COMPLETED');
    expect(await t.variables(pik)).toEqual({ owner: 'bob', approved: true });
    const done = await t.api.getUserTask({ userTaskKey: task.userTaskKey }, NOW);
    expect(done.state).toBe('COMPLETED');
  });
});

describe('message names from FEEL', () => {
  it('a message name expression is evaluated when the subscription opens', async () => {
    const pik = await t.createInstance('message-name-feel', { kind: 'loan', caseId: 'k-1' });
    await t.waitForActiveElement(pik, 'wait');
    await t.publishMessage('approved-other', 'k-1');
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect((await t.getInstance(pik)).state).toBe('ACTIVE');
    await t.publishMessage('approved-loan', 'k-1', { ok: true });
    await t.waitForInstanceState(pik, 'COMPLETED');
    expect((await t.variables(pik)).ok).toBe(true);
  });
});

describe('receive task', () => {
  it('waits for the message with its correlation key and takes over the message variables', async () => {
    const a = await t.createInstance('receive-task', { orderId: 'r-a' });
    const b = await t.createInstance('receive-task', { orderId: 'r-b' });
    await t.waitForActiveElement(a, 'wait_receipt');
    await t.waitForActiveElement(b, 'wait_receipt');
    const correlated = await t.api.correlateMessage({ name: 'receipt', correlationKey: 'r-a', variables: { receipt: 'R-1' } });
    expect(String(correlated.processInstanceKey)).toBe(a);
    await t.waitForInstanceState(a, 'COMPLETED');
    expect(await t.variables(a)).toEqual({ orderId: 'r-a', receipt: 'R-1' });
    expect(await t.activeElementIds(b)).toEqual(['wait_receipt']);
  });
});
