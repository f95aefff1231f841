/**
 * Commands on Camunda user tasks: assignment, unassignment, update of schedule, candidates and priority,
 * and completion with variables.
 */
import { invalidArgument, invalidState, notFound } from '../../errors.js';
import type { UserTaskRecord } from '../records.js';
import type { InterpreterContext } from './interpreter-context.js';
import type { Interpreter } from './interpreter.js';
import type { Variables } from './variable-scopes.js';

export interface UserTaskChanges {
  dueDate?: string | null;
  followUpDate?: string | null;
  candidateGroups?: string[];
  candidateUsers?: string[];
  priority?: number;
}

export class UserTaskCommands {
  constructor(
    private readonly ctx: InterpreterContext,
    private readonly it: Interpreter,
  ) {}

  assign(key: string, assignee: string, allowOverride: boolean): void {
    const task = this.find(key, 'assign');
    if (task.assignee && task.assignee !== assignee && !allowOverride) {
      throw invalidState(`Expected to assign user task with key '${key}', but it is already assigned to '${task.assignee}' and allowOverride is false`);
    }
    task.assignee = assignee;
    this.ctx.state.touch(task);
  }

  unassign(key: string): void {
    const task = this.find(key, 'unassign');
    delete task.assignee;
    this.ctx.state.touch(task);
  }

  update(key: string, changes: UserTaskChanges): void {
    const task = this.find(key, 'update');
    if (changes.priority !== undefined && (!Number.isInteger(changes.priority) || changes.priority < 0 || changes.priority > 100)) {
      throw invalidArgument(`priority must be an integer from 0 to 100, got ${changes.priority}`);
    }
    for (const field of ['dueDate', 'followUpDate'] as const) {
      const v = changes[field];
      if (v === undefined) continue;
      if (v === null || v === '') delete task[field];
      else if (Number.isNaN(Date.parse(v))) throw invalidArgument(`${field} must be an ISO 8601 date-time, got '${v}'`);
      else task[field] = v;
    }
    if (changes.candidateGroups) task.candidateGroups = [...changes.candidateGroups];
    if (changes.candidateUsers) task.candidateUsers = [...changes.candidateUsers];
    if (changes.priority !== undefined) task.priority = changes.priority;
    this.ctx.state.touch(task);
  }

  complete(key: string, variables: Variables | undefined): void {
    const task = this.find(key, 'complete');
    task.state = 'COMPLETED';
    task.completionDate = this.ctx.iso();
    this.ctx.state.removeUserTask(task);
    this.ctx.state.touch(task);
    const ei = this.ctx.state.elements.get(task.elementInstanceKey);
    if (ei) this.it.lifecycle.complete(ei, variables);
  }

  private find(key: string, action: string): UserTaskRecord {
    const task = this.ctx.state.userTasks.get(key);
    if (!task) throw notFound(`Expected to ${action} user task with key '${key}', but no such user task was found`);
    return task;
  }
}
