/**
 * User tasks: search (state, assignee, candidateGroup, processInstanceKey), get, linked form, assignment and
 * unassignment, update (dueDate, priority, candidateGroups), completion with variables, task variables.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NOW, key } from '../support/harness.js';
import { expectRefused, fixtureText, formSchema, startApiEngine, type TestEngine } from './api-support.js';

describe('REST /v2 user tasks', () => {
  let t: TestEngine;
  let formKey: string;
  let processDefinitionKey: string;
  beforeAll(async () => {
    t = await startApiEngine();
    const deployed = await t.deploy('api-user-task.bpmn', 'api-review-form.form');
    formKey = String(deployed.forms[0]?.formKey);
    processDefinitionKey = String(deployed.processes[0]?.processDefinitionKey);
  });
  afterAll(async () => {
    await t?.stop();
  });

  async function newTask(variables: Record<string, unknown> = {}) {
    const pik = await t.createInstance('api-user-task', variables);
    const task = await t.waitForUserTask(pik, 'review');
    return { pik, userTaskKey: String(task.userTaskKey) };
  }

  const keysOf = (result: { items?: Array<{ userTaskKey: unknown }> }) => (result.items ?? []).map((i) => String(i.userTaskKey));

  it('creates the task with the modelled properties, found by processInstanceKey and state', async () => {
    const { pik, userTaskKey } = await newTask();
    const result = await t.client.searchUserTasks({ filter: { processInstanceKey: key(pik), state: 'CREATED' } }, NOW);
    expect(keysOf(result)).toEqual([userTaskKey]);
    const [task] = result.items ?? [];
    expect(task).toMatchObject({
      name: 'Review',
      state: 'CREATED',
      elementId: 'review',
      candidateGroups: ['reviewers'],
      candidateUsers: [],
      priority: 60,
      processDefinitionId: 'api-user-task',
      processDefinitionKey,
      processDefinitionVersion: 1,
      processInstanceKey: pik,
      formKey,
      tenantId: '<default>',
    });
    expect(task?.assignee ?? undefined).toBeUndefined();
    expect(Date.parse(String(task?.dueDate))).toBe(Date.parse('2030-01-15T10:00:00Z'));
    expect(Number.isNaN(Date.parse(String(task?.creationDate)))).toBe(false);
    expect(task?.elementInstanceKey).toMatch(/^\d+$/);
  });

  it('GET /user-tasks/{key} returns the same task; an unknown key is 404', async () => {
    const { pik, userTaskKey } = await newTask();
    const task = await t.client.getUserTask({ userTaskKey: key(userTaskKey) }, NOW);
    expect(task).toMatchObject({ userTaskKey, processInstanceKey: pik, elementId: 'review', state: 'CREATED', priority: 60 });
    await expectRefused(t.client.getUserTask({ userTaskKey: key('2251799813999999') }, NOW), 404, 'NOT_FOUND');
  });

  it('GET /user-tasks/{key}/form returns the linked form and its schema', async () => {
    const { userTaskKey } = await newTask();
    const form = await t.client.getUserTaskForm({ userTaskKey: key(userTaskKey) }, NOW);
    if (!form) throw new Error('expected a form body, got 204 No Content');
    expect(form.formId).toBe('api-review-form');
    expect(String(form.formKey)).toBe(formKey);
    expect(Number(form.version)).toBe(1);
    expect(formSchema(form.schema)).toEqual(JSON.parse(await fixtureText('api-review-form.form')));
  });

  it('filters by candidateGroup', async () => {
    const { userTaskKey } = await newTask();
    expect(keysOf(await t.client.searchUserTasks({ filter: { candidateGroup: 'reviewers' }, page: { limit: 100 } }, NOW))).toContain(userTaskKey);
    expect(keysOf(await t.client.searchUserTasks({ filter: { candidateGroup: 'nobody' } }, NOW))).toEqual([]);
  });

  it('assigns, refuses to override with allowOverride false, and unassigns; the assignee filter follows', async () => {
    const { userTaskKey } = await newTask();
    await t.client.assignUserTask({ userTaskKey: key(userTaskKey), assignee: 'alice' });
    expect((await t.client.getUserTask({ userTaskKey: key(userTaskKey) }, NOW)).assignee).toBe('alice');
    expect(keysOf(await t.client.searchUserTasks({ filter: { assignee: 'alice' } }, NOW))).toEqual([userTaskKey]);

    await expectRefused(t.client.assignUserTask({ userTaskKey: key(userTaskKey), assignee: 'bob', allowOverride: false }), 409, 'INVALID_STATE');
    expect((await t.client.getUserTask({ userTaskKey: key(userTaskKey) }, NOW)).assignee).toBe('alice');

    await t.client.assignUserTask({ userTaskKey: key(userTaskKey), assignee: 'bob' });
    expect((await t.client.getUserTask({ userTaskKey: key(userTaskKey) }, NOW)).assignee).toBe('bob');
    expect(keysOf(await t.client.searchUserTasks({ filter: { assignee: 'alice' } }, NOW))).toEqual([]);

    await t.client.unassignUserTask({ userTaskKey: key(userTaskKey) });
    const unassigned = await t.client.getUserTask({ userTaskKey: key(userTaskKey) }, NOW);
    expect(unassigned.assignee ?? '').toBe('');
    expect(keysOf(await t.client.searchUserTasks({ filter: { assignee: 'bob' } }, NOW))).toEqual([]);
  });

  it('updates dueDate, priority and candidateGroups', async () => {
    const { userTaskKey } = await newTask();
    await t.client.updateUserTask({
      userTaskKey: key(userTaskKey),
      changeset: { dueDate: '2031-02-01T12:00:00.000Z', priority: 90, candidateGroups: ['auditors'] },
    });
    const task = await t.client.getUserTask({ userTaskKey: key(userTaskKey) }, NOW);
    expect(Date.parse(String(task.dueDate))).toBe(Date.parse('2031-02-01T12:00:00.000Z'));
    expect(task.priority).toBe(90);
    expect(task.candidateGroups).toEqual(['auditors']);
    expect(keysOf(await t.client.searchUserTasks({ filter: { candidateGroup: 'auditors' } }, NOW))).toEqual([userTaskKey]);
    expect(keysOf(await t.client.searchUserTasks({ filter: { candidateGroup: 'reviewers' }, page: { limit: 100 } }, NOW))).not.toContain(userTaskKey);
  });

  it('lists the variables visible to the task', async () => {
    const { userTaskKey } = await newTask({ applicant: 'bob', amount: 250 });
    const result = await t.client.searchUserTaskVariables({ userTaskKey: key(userTaskKey) }, NOW);
    const byName = Object.fromEntries((result.items ?? []).map((v) => [v.name, JSON.parse(String(v.value))]));
    expect(byName).toEqual({ applicant: 'bob', amount: 250 });
  });

  it('completes with variables: the task becomes COMPLETED, the instance ends with the variables', async () => {
    const { pik, userTaskKey } = await newTask({ applicant: 'carol' });
    await t.client.completeUserTask({ userTaskKey: key(userTaskKey), variables: { approved: true, comment: 'fine' } });
    await t.waitForInstanceState(pik, 'COMPLETED');
    expect(await t.variables(pik)).toEqual({ applicant: 'carol', approved: true, comment: 'fine' });
    const task = await t.client.getUserTask({ userTaskKey: key(userTaskKey) }, NOW);
    expect(task.state).toBe('COMPLETED');
    expect(Number.isNaN(Date.parse(String(task.completionDate)))).toBe(false);
    expect(keysOf(await t.client.searchUserTasks({ filter: { state: 'COMPLETED' }, page: { limit: 100 } }, NOW))).toContain(userTaskKey);
    expect(keysOf(await t.client.searchUserTasks({ filter: { state: 'CREATED' }, page: { limit: 100 } }, NOW))).not.toContain(userTaskKey);
  });

  it('a task of a cancelled instance is CANCELED and can no longer be completed', async () => {
    const { pik, userTaskKey } = await newTask();
    await t.client.cancelProcessInstance({ processInstanceKey: key(pik) });
    const task = await t.client.getUserTask({ userTaskKey: key(userTaskKey) }, NOW);
    expect(task.state).toBe('CANCELED');
    await expectRefused(t.client.completeUserTask({ userTaskKey: key(userTaskKey) }), 404, 'NOT_FOUND');
  });
});
