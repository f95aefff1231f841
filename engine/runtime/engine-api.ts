/**
 * What the HTTP layer (engine/http) may ask of the engine. Commands go through the engine's command
 * queue and resolve once their effects are durable; queries read the store. Inputs are the Camunda 8.8
 * REST request bodies after validation; outputs are records (see records.ts) that the HTTP layer maps to
 * the REST result shapes. Every method throws `EngineError` for a request it refuses, changing nothing.
 */
import type { SearchQuery, SearchResult } from '../store/store.js';
import type { LiveDiagramQueries } from './element-statistics.js';
import type { DecisionApi } from './decision-api.js';
import type {
  DecisionDefinitionRecord,
  DecisionRequirementsRecord,
  DeploymentRecord,
  ElementInstanceRecord,
  FormRecord,
  IncidentRecord,
  JobRecord,
  MessageSubscriptionRecord,
  ProcessDefinitionRecord,
  ProcessInstanceRecord,
  UserTaskRecord,
  VariableRecord,
} from './records.js';

export type Variables = Record<string, unknown>;

export interface DeployResource {
  name: string;
  content: Buffer;
}

export interface DeployResult {
  deployment: DeploymentRecord;
  processes: ProcessDefinitionRecord[];
  forms: FormRecord[];
  /** DMN resources: their DRGs and decisions (absent when none was deployed). */
  decisionRequirements?: DecisionRequirementsRecord[];
  decisions?: DecisionDefinitionRecord[];
}

export interface CreateInstanceInput {
  processDefinitionId?: string;
  processDefinitionKey?: string;
  /** -1 or absent = latest. */
  processDefinitionVersion?: number;
  variables?: Variables;
  awaitCompletion?: boolean;
  /** ms; for awaitCompletion. 0/absent = engine default (10 s... as Camunda's default request timeout). */
  requestTimeout?: number;
  fetchVariables?: string[];
  /** Start at these element ids instead of the none start event. */
  startInstructions?: Array<{ elementId: string }>;
  tags?: string[];
}

export interface CreateInstanceResult {
  instance: ProcessInstanceRecord;
  /** Only with awaitCompletion: the root scope's variables at completion (filtered by fetchVariables). */
  variables?: Variables;
}

export interface PublishMessageInput {
  name: string;
  correlationKey?: string;
  /** ms, default 0. */
  timeToLive?: number;
  messageId?: string;
  variables?: Variables;
}

export interface CorrelateMessageInput {
  name: string;
  correlationKey?: string;
  variables?: Variables;
}

export interface ActivateJobsInput {
  type: string;
  worker?: string;
  /** ms the job stays with this worker. */
  timeout: number;
  maxJobsToActivate: number;
  fetchVariable?: string[];
  /** ms to long-poll when nothing is activatable; 0/absent = engine default (10 s); negative = no long polling. */
  requestTimeout?: number;
}

/** An activated job: the record plus the variables visible at its element instance. */
export interface ActivatedJob {
  job: JobRecord;
  variables: Variables;
  /** epoch ms */
  deadline: number;
}

export interface FailJobInput {
  retries?: number;
  errorMessage?: string;
  /** ms */
  retryBackOff?: number;
  variables?: Variables;
}

export interface ThrowErrorInput {
  errorCode: string;
  errorMessage?: string;
  variables?: Variables;
}

export interface UpdateJobInput {
  retries?: number;
  /** ms, new timeout counted from now. */
  timeout?: number;
}

/** `result` of a task listener job's completion (`JobResultUserTask`); null/absent correction = keep the value. */
export interface JobCompletionResult {
  denied?: boolean;
  deniedReason?: string;
  corrections?: {
    assignee?: string | null;
    dueDate?: string | null;
    followUpDate?: string | null;
    candidateUsers?: string[] | null;
    candidateGroups?: string[] | null;
    priority?: number | null;
  };
}

export interface UserTaskChangeset {
  dueDate?: string | null;
  followUpDate?: string | null;
  candidateGroups?: string[];
  candidateUsers?: string[];
  priority?: number;
}

/** `POST /process-instances/{key}/migration` (Camunda 8.8 `ProcessInstanceMigrationInstruction`). */
export interface MigrationPlan {
  targetProcessDefinitionKey: string;
  mappingInstructions: Array<{ sourceElementId: string; targetElementId: string }>;
}

/** `POST /process-instances/{key}/modification` (Camunda 8.8 `ProcessInstanceModificationInstruction`). */
export interface ModificationInstructions {
  activateInstructions: Array<{
    elementId: string;
    /** Absent (or -1): an existing instance of the element's flow scope, created where none is active. */
    ancestorElementInstanceKey?: string;
    variableInstructions: Array<{ variables: Variables; scopeId?: string }>;
  }>;
  terminateInstructions: Array<{ elementInstanceKey: string }>;
}

export interface EngineCommands {
  deploy(resources: DeployResource[]): Promise<DeployResult>;
  createProcessInstance(input: CreateInstanceInput, signal?: AbortSignal): Promise<CreateInstanceResult>;
  cancelProcessInstance(processInstanceKey: string): Promise<void>;
  publishMessage(input: PublishMessageInput): Promise<{ messageKey: string }>;
  /** Correlates to exactly one waiting subscription (or message start event); NOT_FOUND if none. */
  correlateMessage(input: CorrelateMessageInput): Promise<{ messageKey: string; processInstanceKey: string }>;
  broadcastSignal(input: { signalName: string; variables?: Variables }): Promise<{ signalKey: string }>;
  /** Long-polls up to `requestTimeout`; resolves early (with []) if `signal` aborts. */
  activateJobs(input: ActivateJobsInput, signal?: AbortSignal): Promise<ActivatedJob[]>;
  /** `result` only for task listener jobs (denial, corrections). */
  completeJob(jobKey: string, variables?: Variables, result?: JobCompletionResult): Promise<void>;
  failJob(jobKey: string, input: FailJobInput): Promise<void>;
  throwJobError(jobKey: string, input: ThrowErrorInput): Promise<void>;
  updateJob(jobKey: string, changeset: UpdateJobInput): Promise<void>;
  /**
   * User-task commands (and setVariables on a user task's element instance): where the element has task
   * listeners for the transition, they resolve once the listeners accepted, reject with 409 INVALID_STATE when one
   * denied, or with 504 DEADLINE_EXCEEDED after the listener request timeout (the transition carries on).
   */
  assignUserTask(userTaskKey: string, input: { assignee: string; allowOverride?: boolean; action?: string }): Promise<void>;
  unassignUserTask(userTaskKey: string): Promise<void>;
  completeUserTask(userTaskKey: string, input: { variables?: Variables; action?: string }): Promise<void>;
  updateUserTask(userTaskKey: string, changeset: UserTaskChangeset, action?: string): Promise<void>;
  /** `PUT /element-instances/{key}/variables`: local = set on that scope only, else propagate as Zeebe does. */
  setVariables(elementInstanceKey: string, input: { variables: Variables; local?: boolean }): Promise<void>;
  resolveIncident(incidentKey: string): Promise<void>;
  /** `POST /resources/{key}/deletion`: a process definition (refused with 409 while it has running instances) or a form; NOT_FOUND otherwise. */
  deleteResource(resourceKey: string): Promise<void>;
  /** Moves a running instance onto another process definition, all or nothing (processor/migration-command.ts). */
  migrateProcessInstance(processInstanceKey: string, plan: MigrationPlan): Promise<void>;
  /** Terminates and activates elements of a running instance in one command (processor/modification-command.ts). */
  modifyProcessInstance(processInstanceKey: string, instructions: ModificationInstructions): Promise<void>;
  /** Pin the engine clock at epoch ms (timers due at or before it fire). */
  pinClock(epochMs: number): Promise<void>;
  resetClock(): Promise<void>;
}

export interface EngineQueries extends LiveDiagramQueries {
  searchProcessDefinitions(q: SearchQuery): Promise<SearchResult<ProcessDefinitionRecord>>;
  getProcessDefinition(key: string): Promise<ProcessDefinitionRecord>;
  /** The start form linked on the process's none start event; NOT_FOUND when there is none. */
  getStartForm(processDefinitionKey: string): Promise<FormRecord>;
  searchProcessInstances(q: SearchQuery): Promise<SearchResult<ProcessInstanceRecord>>;
  getProcessInstance(key: string): Promise<ProcessInstanceRecord>;
  searchElementInstances(q: SearchQuery): Promise<SearchResult<ElementInstanceRecord>>;
  getElementInstance(key: string): Promise<ElementInstanceRecord>;
  searchVariables(q: SearchQuery): Promise<SearchResult<VariableRecord>>;
  /**
   * Keys of the running process instances (`root`) or active scopes (`local`) holding a variable `name` whose
   * JSON text is exactly `value`, answered from memory. Serves the user-task filters on variables for open tasks.
   */
  activeScopesWithVariable(name: string, value: string, scope: 'root' | 'local'): string[];
  getVariable(key: string): Promise<VariableRecord>;
  searchJobs(q: SearchQuery): Promise<SearchResult<JobRecord>>;
  searchUserTasks(q: SearchQuery): Promise<SearchResult<UserTaskRecord>>;
  getUserTask(key: string): Promise<UserTaskRecord>;
  /** The linked form of a user task; NOT_FOUND when it has none. */
  getUserTaskForm(userTaskKey: string): Promise<FormRecord>;
  /** Variables visible to the task: its element instance scope and every parent scope (nearest wins). */
  searchUserTaskVariables(userTaskKey: string, q: SearchQuery): Promise<SearchResult<VariableRecord>>;
  searchIncidents(q: SearchQuery): Promise<SearchResult<IncidentRecord>>;
  getIncident(key: string): Promise<IncidentRecord>;
  searchMessageSubscriptions(q: SearchQuery): Promise<SearchResult<MessageSubscriptionRecord>>;
  /** Engine clock, epoch ms. */
  now(): number;
  topology(): { brokers: number; partitions: number; version: string };
}

export type EngineApi = EngineCommands & EngineQueries & DecisionApi;
