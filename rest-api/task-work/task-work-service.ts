/**
 * Working on one task from the web app's inbox: read it with what its form needs (the linked Camunda form and the
 * variables the task sees, as Tasklist gives them to the form), assign it to yourself and take yourself off it again. The same visibility
 * as the inbox (`tasks-service.ts`): the task's permit must have the caller on its HDAB team (administrators: any
 * permit) and the task must be for one of the caller's groups; a task someone else has is theirs (409).
 */
import { ConflictError, ForbiddenError, NotFoundError } from '../../shared/index.js';
import type { EnginePort, EngineUserTask } from '../engine/engine-port.js';
import { UserTaskAssignedError, UserTaskGoneError } from '../engine/engine-port.js';
import type { Caller } from '../identity/caller.js';
import { isAdmin, type PermitAccess } from '../permits/permit-access.js';
import { groupsOf, type InboxTask } from '../tasks/tasks-service.js';

export interface TaskDetail {
  task: InboxTask;
  form: { formId: string; schema: unknown } | null;
  /** The current value of each of the form's fields that the process has (prefills the form). */
  variables: Record<string, unknown>;
}

export interface TaskWorkServiceDeps {
  engine: EnginePort;
  access: PermitAccess;
}

export type TaskWorkService = ReturnType<typeof createTaskWorkService>;

export function createTaskWorkService(deps: TaskWorkServiceDeps) {
  async function openTask(caller: Caller, userTaskKey: string): Promise<{ task: EngineUserTask; permitId: string; permit: InboxTask['permit'] }> {
    const notFound = new NotFoundError(`User task ${userTaskKey} does not exist or is not yours to see.`, { userTaskKey });
    const task = await deps.engine.getUserTask(userTaskKey);
    if (!task) throw notFound;
    const permitId = await deps.engine.getProcessVariable(task.processInstanceKey, 'permitId');
    if (typeof permitId !== 'string') throw notFound;
    const { permit, membership } = await deps.access.load(caller, permitId).catch((error: unknown) => {
      throw error instanceof NotFoundError ? notFound : error;
    });
    if (!isAdmin(caller) && !membership.includes('HDAB_TEAM')) {
      throw new ForbiddenError(`User task ${userTaskKey} belongs to permit ${permitId}, where you are not on the HDAB team.`, { userTaskKey, permitId });
    }
    const mine = groupsOf(caller);
    if (!task.candidateGroups.some((group) => mine.includes(group))) {
      throw new ForbiddenError(`User task ${userTaskKey} is for ${task.candidateGroups.join(', ')}; your roles give you ${mine.join(', ') || 'no task groups'}.`, { userTaskKey });
    }
    if (task.state !== 'CREATED') throw new ConflictError(`User task ${userTaskKey} is ${task.state}, no longer open; reload your inbox.`, { userTaskKey, state: task.state });
    return { task, permitId, permit: { id: permit.id, title: permit.title, status: permit.status } };
  }

  function gone(userTaskKey: string): ConflictError {
    return new ConflictError(`User task ${userTaskKey} is no longer open: someone completed it or the process moved on. Reload your inbox.`, { userTaskKey });
  }

  return {
    async get(caller: Caller, userTaskKey: string): Promise<TaskDetail> {
      const { task, permit } = await openTask(caller, userTaskKey);
      const form = await deps.engine.getUserTaskForm(userTaskKey);
      // As Tasklist does: the form gets every variable the task sees, so its texts and conditions (permit title,
      // what the team declared, earlier decisions) read the same values, not only its fields' current values.
      const visible = form ? await deps.engine.getUserTaskVariables(userTaskKey) : {};
      return {
        task: {
          userTaskKey: task.userTaskKey,
          name: task.name,
          elementId: task.elementId,
          formId: form?.formId ?? null,
          candidateGroups: task.candidateGroups,
          assignee: task.assignee ?? null,
          dueDate: task.dueDate ?? null,
          followUpDate: task.followUpDate ?? null,
          creationDate: task.creationDate ?? null,
          processInstanceKey: task.processInstanceKey,
          processDefinitionId: task.processDefinitionId,
          permit,
        },
        form: form ?? null,
        variables: Object.fromEntries(Object.entries(visible).filter(([, value]) => value !== undefined && value !== null)),
      };
    },

    async assignToMe(caller: Caller, userTaskKey: string): Promise<{ userTaskKey: string; assignee: string }> {
      const { task } = await openTask(caller, userTaskKey);
      if (task.assignee && task.assignee !== caller.userId) {
        throw new ConflictError(`User task ${userTaskKey} is assigned to ${task.assignee}; ask them to unassign it first.`, { userTaskKey, assignee: task.assignee });
      }
      try {
        await deps.engine.assignUserTask(userTaskKey, caller.userId);
      } catch (error) {
        if (error instanceof UserTaskAssignedError) throw new ConflictError(`User task ${userTaskKey} is assigned to ${error.assignee ?? 'someone else'}; ask them to unassign it first.`, { userTaskKey, assignee: error.assignee });
        if (error instanceof UserTaskGoneError) throw gone(userTaskKey);
        throw error;
      }
      return { userTaskKey, assignee: caller.userId };
    },

    async unassign(caller: Caller, userTaskKey: string): Promise<{ userTaskKey: string; assignee: null }> {
      const { task } = await openTask(caller, userTaskKey);
      if (task.assignee && task.assignee !== caller.userId && !isAdmin(caller)) {
        throw new ForbiddenError(`User task ${userTaskKey} is assigned to ${task.assignee}; only they (or an administrator) can unassign it.`, { userTaskKey, assignee: task.assignee });
      }
      if (task.assignee) {
        try {
          await deps.engine.unassignUserTask(userTaskKey);
        } catch (error) {
          if (error instanceof UserTaskGoneError) throw gone(userTaskKey);
          throw error;
        }
      }
      return { userTaskKey, assignee: null };
    },
  };
}
