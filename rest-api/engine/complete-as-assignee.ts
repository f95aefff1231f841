/**
 * How the portal decides on a user task, as Tasklist does: assign it to the caller (never taking it from someone
 * else), then complete it. The completing task listener (`review.check-decision`) applies the platform's rules to
 * the assignee; its denial becomes a 403 (a rule) or 400 (form values), with its reason as the detail, and the task
 * is given back (unassigned) when the caller only took it for this attempt, so nothing is left changed.
 */
import { ConflictError, ForbiddenError, ValidationError, decisionDenialKind } from '../../shared/index.js';
import { UserTaskAssignedError, UserTaskDeniedError, UserTaskGoneError, type EnginePort, type EngineUserTask } from './engine-port.js';

export interface CompleteAsAssigneeInput {
  task: Pick<EngineUserTask, 'userTaskKey' | 'assignee'>;
  assignee: string;
  variables: Record<string, unknown>;
  /** What the task decides, for messages: e.g. `the SETUP review of permit P-1`. */
  what: string;
  /** Facts for the problem details (permitId, stage, …). */
  details?: Record<string, unknown>;
}

export async function completeAsAssignee(engine: EnginePort, input: CompleteAsAssigneeInput): Promise<void> {
  const { task, assignee, what } = input;
  const details = { ...input.details, userTaskKey: task.userTaskKey };
  const someoneElse = (who: string | undefined) =>
    new ConflictError(`${who ?? 'Someone else'} is working on ${what} (the task is assigned to ${who ?? 'them'}); ask them to unassign it, or leave the decision to them.`, {
      ...details,
      assignee: who ?? null,
    });
  const gone = () => new ConflictError(`${what[0]?.toUpperCase()}${what.slice(1)} was decided by someone else a moment ago.`, details);

  if (task.assignee !== undefined && task.assignee !== assignee) throw someoneElse(task.assignee);
  const tookIt = task.assignee === undefined;
  try {
    if (tookIt) await engine.assignUserTask(task.userTaskKey, assignee);
  } catch (error) {
    if (error instanceof UserTaskAssignedError) throw someoneElse(error.assignee);
    if (error instanceof UserTaskGoneError) throw gone();
    throw error;
  }

  try {
    await engine.completeUserTask(task.userTaskKey, input.variables);
  } catch (error) {
    if (error instanceof UserTaskDeniedError) {
      if (tookIt) await engine.unassignUserTask(task.userTaskKey).catch(() => undefined);
      const problem = { ...details, reason: error.reason };
      if (decisionDenialKind(error.reason) === 'invalidValues') throw new ValidationError(error.reason, { ...problem, errors: [{ path: 'body', message: error.reason }] });
      throw new ForbiddenError(error.reason, problem);
    }
    if (error instanceof UserTaskGoneError) throw gone();
    throw error;
  }
}
