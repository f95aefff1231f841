/**
 * What the Permit Manager asks of the process engine, and nothing more. The real implementation
 * (`camunda-engine-port.ts`) talks to Camunda 8.8 (or the embedded engine) through the official client; unit tests
 * use `createFakeEnginePort()`. Failures the services must tell apart are thrown as the classes below.
 */
import type { MessageName, ProcessId } from '../../shared/index.js';

/** An open (or just completed) user task, as the services need it. */
export interface EngineUserTask {
  userTaskKey: string;
  name: string;
  elementId: string;
  state: string;
  candidateGroups: string[];
  /** Who is working on it; undefined when nobody is assigned. */
  assignee?: string;
  processInstanceKey: string;
  processDefinitionId: string;
  formKey?: string;
  dueDate?: string;
  /** When to look at it again (the diagram's `zeebe:taskSchedule followUpDate`), if set. */
  followUpDate?: string;
  creationDate?: string;
}

export interface UserTaskQuery {
  /** Only tasks whose process instance has variable `permitId` = this. */
  permitId?: string;
  /** Further process-instance variables that must match (string values, compared as JSON). */
  variables?: Record<string, string>;
  candidateGroup?: string;
  processDefinitionId?: ProcessId;
  elementId?: string;
  /** Default: only open tasks (`CREATED`). */
  state?: 'CREATED' | 'COMPLETED' | 'CANCELED';
  limit?: number;
}

export interface CorrelateMessageRequest {
  name: MessageName;
  correlationKey: string;
  variables: Record<string, unknown>;
}

/** A message published with an id: the engine keeps it for `timeToLive` ms and refuses the same id again meanwhile. */
export interface PublishMessageRequest extends CorrelateMessageRequest {
  messageId: string;
  timeToLive: number;
}

export interface EnginePort {
  /** `tags` (Camunda 8.8 process instance tags) are set with the instance and never change; search by them. */
  createProcessInstance(processId: ProcessId, variables: Record<string, unknown>, options?: { tags?: string[] }): Promise<{ processInstanceKey: string }>;
  /**
   * Keys of the ACTIVE instances of `processId` carrying `tag` (`POST /v2/process-instances/search`, filter `tags`),
   * oldest (lowest key) first. On a real cluster this reads secondary storage and may lag a few seconds.
   */
  findActiveProcessInstances(processId: ProcessId, tag: string): Promise<string[]>;
  /** Cancels the instance; one that is already gone (404) is fine. */
  cancelProcessInstance(processInstanceKey: string): Promise<void>;
  /** Throws NoWaitingSubscriptionError when no process instance waits for the message with that key. */
  correlateMessage(request: CorrelateMessageRequest): Promise<{ processInstanceKey: string }>;
  /**
   * Publishes the message with its id (Camunda 8.8 `POST /messages/publication`): it correlates to whatever waits
   * for it now, else waits `timeToLive` ms for a subscription. Answers `'duplicate'` when the engine still holds a
   * message with that name, correlation key and id (409 ALREADY_EXISTS): the earlier publication was accepted.
   */
  publishMessage(request: PublishMessageRequest): Promise<'published' | 'duplicate'>;
  /** Whether a process instance has an open subscription for the message with that correlation key right now. */
  isWaitingFor(name: MessageName, correlationKey: string): Promise<boolean>;
  searchUserTasks(query: UserTaskQuery): Promise<EngineUserTask[]>;
  /** undefined when the engine does not know the task. */
  getUserTask(userTaskKey: string): Promise<EngineUserTask | undefined>;
  /**
   * Throws UserTaskGoneError when the task is no longer open (completed by someone else, or cancelled), and
   * UserTaskDeniedError when a completing task listener denied the completion (the task stays open).
   */
  completeUserTask(userTaskKey: string, variables: Record<string, unknown>): Promise<void>;
  /**
   * Assigns the task to `assignee` without taking it from anyone (as Tasklist's "Assign to me" does); assigning it to
   * its current assignee again is fine. Throws UserTaskAssignedError when someone else has it, UserTaskGoneError
   * when it is no longer open.
   */
  assignUserTask(userTaskKey: string, assignee: string): Promise<void>;
  /** Takes the assignee off the task. Throws UserTaskGoneError when it is no longer open. */
  unassignUserTask(userTaskKey: string): Promise<void>;
  /** The form linked to a user task (id and schema), or undefined when it has none. */
  getUserTaskForm(userTaskKey: string): Promise<{ formId: string; schema: unknown } | undefined>;
  /** Just the form id of a task (cached by form key), or undefined when it has no linked form. */
  formIdOf(task: EngineUserTask): Promise<string | undefined>;
  /** The value of a variable visible in the process instance (any scope), or undefined. */
  getProcessVariable(processInstanceKey: string, name: string): Promise<unknown>;
  /**
   * Every variable the user task sees (its own scope and the scopes above it, the nearest value winning), as
   * Tasklist hands them to the task's form: field values and the context its texts and conditions read.
   */
  getUserTaskVariables(userTaskKey: string): Promise<Record<string, unknown>>;
}

/** The engine answered 404 to a message correlation: nothing is waiting for it. */
export class NoWaitingSubscriptionError extends Error {
  constructor(readonly messageName: string, readonly correlationKey: string) {
    super(`No process instance is waiting for message "${messageName}" with correlation key "${correlationKey}".`);
    this.name = 'NoWaitingSubscriptionError';
  }
}

/** The engine refused to complete a user task because it is no longer open. */
export class UserTaskGoneError extends Error {
  constructor(readonly userTaskKey: string) {
    super(`User task ${userTaskKey} is no longer open; someone else completed it first or it was cancelled.`);
    this.name = 'UserTaskGoneError';
  }
}

/** The engine refused to assign a user task: someone else is working on it. */
export class UserTaskAssignedError extends Error {
  constructor(readonly userTaskKey: string, readonly assignee: string | undefined) {
    super(`User task ${userTaskKey} is assigned to ${assignee ?? 'someone else'}.`);
    this.name = 'UserTaskAssignedError';
  }
}

/** A completing task listener denied the completion; `reason` is its reason, written for the person deciding. */
export class UserTaskDeniedError extends Error {
  constructor(readonly userTaskKey: string, readonly reason: string) {
    super(`Completing user task ${userTaskKey} was denied: ${reason}`);
    this.name = 'UserTaskDeniedError';
  }
}
