/**
 * An in-memory EnginePort for unit tests: tests say which messages the "process" waits for and which user tasks
 * are open, and read back what the service started, correlated and completed. Like the real engine it refuses a
 * correlation nobody waits for (NoWaitingSubscriptionError) and completing a task twice (UserTaskGoneError).
 */
import { NoWaitingSubscriptionError, UserTaskAssignedError, UserTaskDeniedError, UserTaskGoneError, type CorrelateMessageRequest, type EnginePort, type PublishMessageRequest, type EngineUserTask, type UserTaskQuery } from './engine-port.js';

export interface FakeUserTask extends EngineUserTask {
  formId?: string;
  formSchema?: unknown;
}

export interface FakeEnginePort extends EnginePort {
  started: { processId: string; variables: Record<string, unknown>; processInstanceKey: string; tags?: string[] }[];
  /** Instances cancelled, in order (an instance in `started` and here is no longer active). */
  cancelled: string[];
  correlated: CorrelateMessageRequest[];
  /** Messages published with an id, in order, whether a waiting process took them or not. */
  published: (PublishMessageRequest & { taken: boolean })[];
  completed: { userTaskKey: string; variables: Record<string, unknown> }[];
  /** Process variables per process instance key. */
  variables: Map<string, Record<string, unknown>>;
  /** The next `correlateMessage(name, key)` succeeds (once). */
  expectMessage(name: string, correlationKey: string, processInstanceKey?: string): void;
  /** Adds an open user task; `variables` are its process instance's variables (permitId etc.). */
  addUserTask(task: Partial<FakeUserTask> & { userTaskKey: string; processInstanceKey: string }, variables?: Record<string, unknown>): FakeUserTask;
  /** Makes every call fail as an unreachable engine would. */
  failWith?: Error;
  /** A completing listener: returns a reason to deny the completion (the task stays open), or undefined to accept. */
  listener?: (task: FakeUserTask, variables: Record<string, unknown>) => string | undefined;
  /** Assignments and unassignments, in order (`null`: unassigned). */
  assignments: { userTaskKey: string; assignee: string | null }[];
}

export function createFakeEnginePort(): FakeEnginePort {
  const waiting = new Map<string, string>();
  const tasks = new Map<string, FakeUserTask>();
  let nextKey = 2251799813685248;
  const newKey = (): string => String(nextKey++);
  const fake: FakeEnginePort = {
    started: [],
    cancelled: [],
    correlated: [],
    published: [],
    completed: [],
    variables: new Map(),
    assignments: [],

    expectMessage(name, correlationKey, processInstanceKey = newKey()) {
      waiting.set(`${name}|${correlationKey}`, processInstanceKey);
    },

    addUserTask(task, variables = {}) {
      const full: FakeUserTask = { name: 'Task', elementId: 'task', state: 'CREATED', candidateGroups: [], processDefinitionId: 'process', ...task };
      tasks.set(full.userTaskKey, full);
      fake.variables.set(full.processInstanceKey, { ...(fake.variables.get(full.processInstanceKey) ?? {}), ...variables });
      return full;
    },

    async createProcessInstance(processId, variables, options) {
      if (fake.failWith) throw fake.failWith;
      const processInstanceKey = newKey();
      fake.started.push({ processId, variables, processInstanceKey, ...(options?.tags ? { tags: options.tags } : {}) });
      fake.variables.set(processInstanceKey, { ...variables });
      return { processInstanceKey };
    },

    async findActiveProcessInstances(processId, tag) {
      if (fake.failWith) throw fake.failWith;
      return fake.started
        .filter((s) => s.processId === processId && (s.tags ?? []).includes(tag) && !fake.cancelled.includes(s.processInstanceKey))
        .map((s) => s.processInstanceKey);
    },

    async cancelProcessInstance(processInstanceKey) {
      if (fake.failWith) throw fake.failWith;
      if (!fake.cancelled.includes(processInstanceKey)) fake.cancelled.push(processInstanceKey);
    },

    async correlateMessage(request) {
      if (fake.failWith) throw fake.failWith;
      const id = `${request.name}|${request.correlationKey}`;
      const processInstanceKey = waiting.get(id);
      if (processInstanceKey === undefined) throw new NoWaitingSubscriptionError(request.name, request.correlationKey);
      waiting.delete(id);
      fake.correlated.push(request);
      return { processInstanceKey };
    },

    async publishMessage(request) {
      if (fake.failWith) throw fake.failWith;
      if (fake.published.some((p) => p.messageId === request.messageId && p.name === request.name && p.correlationKey === request.correlationKey)) return 'duplicate';
      const id = `${request.name}|${request.correlationKey}`;
      const taken = waiting.has(id);
      if (taken) {
        waiting.delete(id);
        fake.correlated.push({ name: request.name, correlationKey: request.correlationKey, variables: request.variables });
      }
      fake.published.push({ ...request, taken });
      return 'published';
    },

    async isWaitingFor(name, correlationKey) {
      if (fake.failWith) throw fake.failWith;
      return waiting.has(`${name}|${correlationKey}`);
    },

    async searchUserTasks(query: UserTaskQuery) {
      if (fake.failWith) throw fake.failWith;
      const wanted = { ...(query.permitId === undefined ? {} : { permitId: query.permitId }), ...(query.variables ?? {}) };
      return [...tasks.values()].filter((task) => {
        if (task.state !== (query.state ?? 'CREATED')) return false;
        if (query.candidateGroup && !task.candidateGroups.includes(query.candidateGroup)) return false;
        if (query.processDefinitionId && task.processDefinitionId !== query.processDefinitionId) return false;
        if (query.elementId && task.elementId !== query.elementId) return false;
        const vars = fake.variables.get(task.processInstanceKey) ?? {};
        return Object.entries(wanted).every(([name, value]) => vars[name] === value);
      });
    },

    async getUserTask(userTaskKey) {
      if (fake.failWith) throw fake.failWith;
      return tasks.get(userTaskKey);
    },

    async completeUserTask(userTaskKey, variables) {
      if (fake.failWith) throw fake.failWith;
      const task = tasks.get(userTaskKey);
      if (!task || task.state !== 'CREATED') throw new UserTaskGoneError(userTaskKey);
      const denied = fake.listener?.(task, variables);
      if (denied !== undefined) throw new UserTaskDeniedError(userTaskKey, denied);
      task.state = 'COMPLETED';
      fake.completed.push({ userTaskKey, variables });
    },

    async assignUserTask(userTaskKey, assignee) {
      if (fake.failWith) throw fake.failWith;
      const task = tasks.get(userTaskKey);
      if (!task || task.state !== 'CREATED') throw new UserTaskGoneError(userTaskKey);
      if (task.assignee !== undefined && task.assignee !== assignee) throw new UserTaskAssignedError(userTaskKey, task.assignee);
      task.assignee = assignee;
      fake.assignments.push({ userTaskKey, assignee });
    },

    async unassignUserTask(userTaskKey) {
      if (fake.failWith) throw fake.failWith;
      const task = tasks.get(userTaskKey);
      if (!task || task.state !== 'CREATED') throw new UserTaskGoneError(userTaskKey);
      delete task.assignee;
      fake.assignments.push({ userTaskKey, assignee: null });
    },

    async getUserTaskForm(userTaskKey) {
      const task = tasks.get(userTaskKey);
      return task?.formId === undefined ? undefined : { formId: task.formId, schema: task.formSchema ?? { components: [] } };
    },

    async formIdOf(task) {
      return tasks.get(task.userTaskKey)?.formId;
    },

    async getProcessVariable(processInstanceKey, name) {
      return fake.variables.get(processInstanceKey)?.[name];
    },
    async getUserTaskVariables(userTaskKey) {
      const task = tasks.get(userTaskKey);
      return task ? { ...fake.variables.get(task.processInstanceKey) } : {};
    },
  };
  return fake;
}
