import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineError } from '../../errors.js';
import { form, userTask, variable } from '../testing/sample-records.js';
import { sdkError, startTestServer, type TestServer } from '../testing/start-test-server.js';

const now = { consistency: { waitUpToMs: 0 } };
const TASK = '2251799813685290' as never;

describe('user tasks', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
    server.api.seed(
      userTask({ formKey: '2251799813685250', dueDate: '2025-02-01T00:00:00.000Z' }),
      userTask({ userTaskKey: '2251799813685292', candidateGroups: ['finance'], assignee: 'bob', priority: 10 }),
      userTask({ userTaskKey: '2251799813685293', state: 'COMPLETED', completionDate: '2025-01-03T00:00:00.000Z' }),
      form(),
      variable(),
      variable({ variableKey: '2251799813685271', name: 'big', value: JSON.stringify('x'.repeat(9000)) }),
    );
  });
  afterAll(() => server.close());

  it('searches by candidateGroup, assignee and state', async () => {
    const finance = await server.client.searchUserTasks({ filter: { candidateGroup: 'finance' } }, now);
    expect(finance.items.map((t) => t.userTaskKey)).toEqual(['2251799813685292']);
    expect(server.api.callsOf('searchUserTasks').at(-1)?.[0]).toMatchObject({ filters: [{ field: 'candidateGroups', op: '$contains', value: 'finance' }] });
    const bobs = await server.client.searchUserTasks({ filter: { assignee: 'bob', state: 'CREATED' } }, now);
    expect(bobs.items).toHaveLength(1);
    const open = await server.client.searchUserTasks(
      { filter: { state: 'CREATED', processInstanceKey: '2251799813685260' as never }, sort: [{ field: 'priority', order: 'ASC' }] },
      now,
    );
    expect(open.items.map((t) => t.priority)).toEqual([10, 50]);
    expect(open.items[1]).toMatchObject({ name: 'Approve', candidateUsers: ['alice'], dueDate: '2025-02-01T00:00:00.000Z', formKey: '2251799813685250' });
  });

  it('refuses an unsupported candidateGroup operator', async () => {
    const err = await sdkError(() => server.client.searchUserTasks({ filter: { candidateGroup: { $in: ['a', 'b'] } } }, now));
    expect(err).toMatchObject({ status: 400 });
    expect(err.detail).toMatch(/candidateGroup/);
  });

  it('gets a task and its form; 204 when the task has no form', async () => {
    expect(await server.client.getUserTask({ userTaskKey: TASK }, now)).toMatchObject({ userTaskKey: TASK, state: 'CREATED' });
    const taskForm = await server.client.getUserTaskForm({ userTaskKey: TASK }, now);
    expect(taskForm).toEqual({ tenantId: '<default>', formId: 'order-form', version: 1, formKey: '2251799813685250', schema: { id: 'order-form', components: [] } });
    expect((await server.fetchRaw('/v2/user-tasks/2251799813685292/form')).status).toBe(204);
    expect(await sdkError(() => server.client.getUserTask({ userTaskKey: '1' as never }, now))).toMatchObject({ status: 404 });
  });

  it('assigns, unassigns, completes and updates tasks', async () => {
    await server.client.assignUserTask({ userTaskKey: TASK, assignee: 'carol', allowOverride: true });
    expect(server.api.callsOf('assignUserTask').at(-1)).toEqual([TASK, { assignee: 'carol', allowOverride: true }]);
    await server.client.unassignUserTask({ userTaskKey: TASK });
    expect(server.api.callsOf('unassignUserTask').at(-1)).toEqual([TASK]);
    await server.client.completeUserTask({ userTaskKey: TASK, variables: { approved: true } });
    expect(server.api.callsOf('completeUserTask').at(-1)).toEqual([TASK, { variables: { approved: true } }]);
    await server.client.updateUserTask({ userTaskKey: TASK, changeset: { dueDate: '2025-03-01T10:00:00.000Z' as never, followUpDate: '' as never, priority: 80, candidateGroups: ['x'] } });
    expect(server.api.callsOf('updateUserTask').at(-1)).toEqual([TASK, { dueDate: '2025-03-01T10:00:00.000Z', followUpDate: null, priority: 80, candidateGroups: ['x'] }]);
  });

  it('maps engine refusals and refuses bad bodies', async () => {
    server.api.failNext('assignUserTask', new EngineError('INVALID_STATE', 'task is assigned to bob'));
    expect(await sdkError(() => server.client.assignUserTask({ userTaskKey: TASK, assignee: 'carol', allowOverride: false }))).toMatchObject({ status: 409, title: 'INVALID_STATE' });
    expect((await sdkError(() => server.client.completeUserTask({ userTaskKey: TASK, variables: [] } as never))).detail).toMatch(/'variables'/);
    expect((await sdkError(() => server.client.updateUserTask({ userTaskKey: TASK, changeset: { priority: 500 } } as never))).detail).toMatch(/priority/);
    expect((await sdkError(() => server.client.assignUserTask({ userTaskKey: TASK, assignee: 'c', extra: 1 } as never))).detail).toMatch(/'extra'/);
  });

  it('searches task variables with truncation', async () => {
    const result = await server.client.searchUserTaskVariables({ userTaskKey: TASK, filter: { name: 'big' } }, now);
    expect(result.items).toHaveLength(1);
    expect(result.items[0]?.isTruncated).toBe(true);
    expect(result.items[0]?.value.length).toBe(8191);
    const full = await server.client.searchUserTaskVariables({ userTaskKey: TASK, truncateValues: false, filter: { name: 'big' } }, now);
    expect(full.items[0]).toMatchObject({ isTruncated: false, value: JSON.stringify('x'.repeat(9000)) });
    expect(server.api.callsOf('searchUserTaskVariables').at(-1)?.[0]).toBe(TASK);
  });
});
