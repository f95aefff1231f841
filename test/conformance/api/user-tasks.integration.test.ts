/**
 * User tasks: search (state, assignee, candidateGroup, processInstanceKey), get, linked form, assignment and
 * unassignment, update (dueDate, priority, candidateGroups), completion with variables, task variables.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NOW, key } from '../support/harness.js';
import { expectProblemDocument, expectRefused, fixtureFile, fixtureText, formSchema, rawRequest, startApiEngine, type TestEngine } from './api-support.js';

describe('REST /v2 user tasks', () => {
  let t: TestEngine;
  let formKey: string;
  let processDefinitionKey: string;
  beforeAll(async () => {
    t = await startApiEngine();
    const deployed = await t.deploy('api-user-task.bpmn', 'api-review-form.form', 'api-versioned-v1.bpmn');
    formKey = String(deployed.forms[0]?.formKey);
    processDefinitionKey = String(deployed.processes.find((p) => p.processDefinitionId === 'api-user-task')?.processDefinitionKey);
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

  it('GET /user-tasks/{key}/form answers 204 (no body) for a task without a linked form', async () => {
    const pik = await t.createInstance('api-versioned');
    const task = await t.waitForUserTask(pik, 'step-v1');
    // Raw fetch: the client's strict response validation (res:strict) cannot parse an empty 204 body.
    const answer = await rawRequest(t, 'GET', `/user-tasks/${String(task.userTaskKey)}/form`);
    expect(answer.status).toBe(204);
    expect(answer.body).toEqual({});
  });

  it('filters by processInstanceVariables (JSON text of the value, plain or $like; entries ANDed)', async () => {
    const permit = `P-${Math.random().toString(36).slice(2)}`;
    const mine = await newTask({ permitId: permit, stage: 'SETUP' });
    const other = await newTask({ permitId: `${permit}-other`, stage: 'SETUP' });
    const byPermit = await t.client.searchUserTasks({ filter: { processInstanceVariables: [{ name: 'permitId', value: JSON.stringify(permit) }] } }, NOW);
    expect(keysOf(byPermit)).toEqual([mine.userTaskKey]);
    const byLike = await t.client.searchUserTasks({ filter: { processInstanceVariables: [{ name: 'permitId', value: { $like: `"${permit}*` } }] } }, NOW);
    expect(keysOf(byLike).sort()).toEqual([mine.userTaskKey, other.userTaskKey].sort());
    const both = await t.client.searchUserTasks(
      { filter: { processInstanceVariables: [{ name: 'permitId', value: JSON.stringify(permit) }, { name: 'stage', value: '"EGRESS"' }] } },
      NOW,
    );
    expect(keysOf(both)).toEqual([]);
    // Open tasks are matched from the running instances' variables in memory; the answer is the same.
    const open = await t.client.searchUserTasks({ filter: { state: 'CREATED', processInstanceVariables: [{ name: 'permitId', value: JSON.stringify(permit) }] } }, NOW);
    expect(keysOf(open)).toEqual([mine.userTaskKey]);
    const openBoth = await t.client.searchUserTasks(
      { filter: { state: 'CREATED', processInstanceVariables: [{ name: 'permitId', value: JSON.stringify(permit) }, { name: 'stage', value: '"SETUP"' }] } },
      NOW,
    );
    expect(keysOf(openBoth)).toEqual([mine.userTaskKey]);
    const none = await t.client.searchUserTasks({ filter: { processInstanceVariables: [{ name: 'permitId', value: '"nobody"' }] } }, NOW);
    expect(none.items).toEqual([]);
    expect(Number(none.page.totalItems)).toBe(0);
  });

  it('refuses a malformed processInstanceVariables filter with 400', async () => {
    const problem = await rawRequest(t, 'POST', '/user-tasks/search', JSON.stringify({ filter: { processInstanceVariables: [{ value: '"x"' }] } }));
    expectProblemDocument(problem, 400);
    expect(String(problem.body.detail)).toMatch(/processInstanceVariables/);
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

  it('updates only what the changeset names; an empty dueDate clears it; candidateUsers and followUpDate too', async () => {
    const { userTaskKey } = await newTask();
    await t.client.updateUserTask({ userTaskKey: key(userTaskKey), changeset: { priority: 10 } });
    let task = await t.client.getUserTask({ userTaskKey: key(userTaskKey) }, NOW);
    expect(task.priority).toBe(10);
    expect(task.candidateGroups).toEqual(['reviewers']);
    expect(Date.parse(String(task.dueDate))).toBe(Date.parse('2030-01-15T10:00:00Z'));

    await t.client.updateUserTask({
      userTaskKey: key(userTaskKey),
      changeset: { dueDate: '', candidateUsers: ['dan', 'erin'], followUpDate: '2030-01-10T09:00:00.000Z' },
    });
    task = await t.client.getUserTask({ userTaskKey: key(userTaskKey) }, NOW);
    expect(task.dueDate ?? '').toBe('');
    expect(task.candidateUsers).toEqual(['dan', 'erin']);
    expect(Date.parse(String(task.followUpDate))).toBe(Date.parse('2030-01-10T09:00:00.000Z'));
    expect(task.priority).toBe(10);
    expect(keysOf(await t.client.searchUserTasks({ filter: { candidateUser: 'erin' } }, NOW))).toEqual([userTaskKey]);
  });

  it('pages and sorts task search results', async () => {
    const pik = await t.createInstance('api-user-task');
    await t.waitForUserTask(pik, 'review');
    const total = Number((await t.client.searchUserTasks({ filter: { processDefinitionId: key('api-user-task') } }, NOW)).page.totalItems);
    expect(total).toBeGreaterThanOrEqual(2);
    const first = await t.client.searchUserTasks(
      { filter: { processDefinitionId: key('api-user-task') }, sort: [{ field: 'creationDate', order: 'DESC' }], page: { from: 0, limit: 1 } },
      NOW,
    );
    expect(first.items ?? []).toHaveLength(1);
    expect(Number(first.page.totalItems)).toBe(total);
    expect(String(first.items?.[0]?.processInstanceKey)).toBe(pik);
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

  it('links each new task to the latest form version; existing tasks keep the version they were created with', async () => {
    const older = await newTask();
    const deployed = await t.client.createDeployment({ resources: [await fixtureFile('api-review-form-v2.form', 'api-review-form.form')] });
    expect(deployed.forms[0]?.version).toBe(2);
    const newer = await newTask();
    const olderForm = await t.client.getUserTaskForm({ userTaskKey: key(older.userTaskKey) }, NOW);
    const newerForm = await t.client.getUserTaskForm({ userTaskKey: key(newer.userTaskKey) }, NOW);
    expect(Number(olderForm?.version)).toBe(1);
    expect(Number(newerForm?.version)).toBe(2);
    expect(String(newerForm?.formKey)).toBe(String(deployed.forms[0]?.formKey));
    expect(formSchema(newerForm?.schema)).toEqual(JSON.parse(await fixtureText('api-review-form-v2.form')));
    expect(String((await t.client.getUserTask({ userTaskKey: key(newer.userTaskKey) }, NOW)).formKey)).toBe(String(deployed.forms[0]?.formKey));
  });
});
