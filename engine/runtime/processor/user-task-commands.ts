/**
 * Commands on Camunda user tasks: assignment, unassignment, update of schedule, candidates and priority,
 * variables on the task's element instance, and completion with variables. Where the element has task
 * listeners for the event, the command starts a transition (task-listeners.ts) and returns the task key
 * the caller waits on; otherwise it takes effect at once and returns undefined.
 */
import { invalidArgument, invalidState, notFound } from '../../errors.js';
import type { UserTaskAttributes, UserTaskRecord } from '../records.js';
import type { InterpreterContext } from './interpreter-context.js';
import type { Interpreter } from './interpreter.js';
import { applyAttributes } from './task-listeners.js';
import type { Variables } from './variable-scopes.js';

export interface UserTaskChanges {
  dueDate?: string | null;
  followUpDate?: string | null;
  candidateGroups?: string[];
  candidateUsers?: string[];
  priority?: number;
}

/** The key of the user task whose listeners now run (the caller waits for them), or undefined when done. */
export type Pending = string | undefined;

export class UserTaskCommands {
  constructor(
    private readonly ctx: InterpreterContext,
    /** The parts of the processor this one uses. */
    private readonly it: Pick<Interpreter, 'lifecycle' | 'taskListeners'>,
  ) {}

  assign(key: string, assignee: string, allowOverride: boolean, action = 'assign'): Pending {
    const task = this.find(key, 'assign');
    if (task.assignee && task.assignee !== assignee && !allowOverride) {
      throw invalidState(`Expected to assign user task with key '${key}', but it is already assigned to '${task.assignee}' and allowOverride is false`);
    }
    return this.assignWith(task, assignee, action);
  }

  unassign(key: string): Pending {
    const task = this.find(key, 'unassign');
    if (this.it.taskListeners.has(task, 'assigning')) {
      this.it.taskListeners.start(task, { eventType: 'assigning', action: 'unassign', changes: { assignee: null } });
      return task.userTaskKey;
    }
    delete task.assignee;
    this.ctx.state.touch(task);
    return undefined;
  }

  /** After creation (listeners done), the model's assignee is assigned, with assigning listeners if any (action ''). */
  assignAfterCreation(task: UserTaskRecord, assignee: string): void {
    this.assignWith(task, assignee, '');
  }

  update(key: string, changes: UserTaskChanges, action = 'update'): Pending {
    const task = this.find(key, 'update');
    if (changes.priority !== undefined && (!Number.isInteger(changes.priority) || changes.priority < 0 || changes.priority > 100)) {
      throw invalidArgument(`priority must be an integer from 0 to 100, got ${changes.priority}`);
    }
    const attrs: UserTaskAttributes = {};
    for (const field of ['dueDate', 'followUpDate'] as const) {
      const v = changes[field];
      if (v === undefined) continue;
      if (v !== null && v !== '' && Number.isNaN(Date.parse(v))) throw invalidArgument(`${field} must be an ISO 8601 date-time, got '${v}'`);
      attrs[field] = v === '' ? null : v;
    }
    if (changes.candidateGroups) attrs.candidateGroups = [...changes.candidateGroups];
    if (changes.candidateUsers) attrs.candidateUsers = [...changes.candidateUsers];
    if (changes.priority !== undefined) attrs.priority = changes.priority;
    if (this.it.taskListeners.has(task, 'updating')) {
      this.it.taskListeners.start(task, { eventType: 'updating', action, changes: attrs });
      return task.userTaskKey;
    }
    applyAttributes(task, attrs);
    this.ctx.state.touch(task);
    return undefined;
  }

  /**
   * `PUT /element-instances/{key}/variables` on a user task's element instance: refused while another transition
   * runs; with updating listeners the variables are set once they accept. Returns false when the caller sets them.
   */
  updateVariables(elementInstanceKey: string, variables: Variables, local: boolean): Pending | false {
    const taskKey = this.ctx.state.userTaskByElement.get(elementInstanceKey);
    const task = taskKey ? this.ctx.state.userTasks.get(taskKey) : undefined;
    if (!task) return false;
    if (task.state !== 'CREATED') {
      throw invalidState(`Expected to trigger update transition for user task with key '${task.userTaskKey}', but it is in state '${task.state}'`);
    }
    if (!this.it.taskListeners.has(task, 'updating')) return false;
    this.it.taskListeners.start(task, { eventType: 'updating', action: '', changes: {}, variables, local });
    return task.userTaskKey;
  }

  complete(key: string, variables: Variables | undefined, action = 'complete'): Pending {
    const task = this.find(key, 'complete');
    if (this.it.taskListeners.has(task, 'completing')) {
      this.it.taskListeners.start(task, { eventType: 'completing', action, changes: {}, ...(variables ? { variables } : {}) });
      return task.userTaskKey;
    }
    this.finishCompletion(task, variables);
    return undefined;
  }

  /** Completes the task and its element with the completion variables. */
  finishCompletion(task: UserTaskRecord, variables: Variables | undefined): void {
    task.state = 'COMPLETED';
    task.completionDate = this.ctx.iso();
    this.ctx.state.removeUserTask(task);
    this.ctx.state.touch(task);
    const ei = this.ctx.state.elements.get(task.elementInstanceKey);
    if (ei) this.it.lifecycle.complete(ei, variables);
  }

  private assignWith(task: UserTaskRecord, assignee: string, action: string): Pending {
    if (this.it.taskListeners.has(task, 'assigning')) {
      this.it.taskListeners.start(task, { eventType: 'assigning', action, changes: { assignee } });
      return task.userTaskKey;
    }
    task.assignee = assignee;
    this.ctx.state.touch(task);
    return undefined;
  }

  private find(key: string, action: string): UserTaskRecord {
    const task = this.ctx.state.userTasks.get(key);
    if (!task) throw notFound(`Expected to ${action} user task with key '${key}', but no such user task was found`);
    if (task.state !== 'CREATED') {
      throw invalidState(`Expected to ${action} user task with key '${key}', but it is in state '${task.state}'`);
    }
    return task;
  }
}
