/**
 * Runtime records of the engine. Each is a plain JSON object, kept in memory while active and written to the
 * store (table `engine_records`, one row per record key) at the end of every batch. Field names follow the
 * Camunda 8.8 REST result types so that the HTTP layer can map them without renaming; keys are strings.
 * Fields marked "internal" are never returned over REST.
 */
import type { ElementType } from '../model/types.js';

export type RecordKind =
  | 'deployment'
  | 'processDefinition'
  | 'form'
  | 'processInstance'
  | 'elementInstance'
  | 'variable'
  | 'job'
  | 'userTask'
  | 'incident'
  | 'messageSubscription'
  | 'message'
  | 'timer'
  | 'signalSubscription'
  | 'decisionRequirements'
  | 'decisionDefinition'
  | 'decisionInstance';

export const TENANT = '<default>';

export interface DeploymentRecord {
  kind: 'deployment';
  deploymentKey: string;
  tenantId: string;
  /** Keys of the resources deployed (new or already existing identical versions). */
  processDefinitionKeys: string[];
  formKeys: string[];
  /** Keys of the DMN decision requirements and decisions deployed (absent on deployments made before DMN). */
  decisionRequirementsKeys?: string[];
  decisionDefinitionKeys?: string[];
  createdAt: string;
}

export interface ProcessDefinitionRecord {
  kind: 'processDefinition';
  processDefinitionKey: string;
  processDefinitionId: string;
  name?: string;
  version: number;
  versionTag?: string;
  resourceName: string;
  tenantId: string;
  hasStartForm: boolean;
  deploymentKey: string;
  /** internal: sha-256 of the process's resource content, for "identical resource, no new version". */
  checksum: string;
  /** internal: full XML of the resource this process came from. */
  xml: string;
  /** internal: when it was deleted (`POST /resources/{key}/deletion`); a deleted definition is kept only for its version number. */
  deletedAt?: string;
}

export interface FormRecord {
  kind: 'form';
  formKey: string;
  formId: string;
  version: number;
  resourceName: string;
  tenantId: string;
  deploymentKey: string;
  checksum: string;
  /** The form JSON as deployed (text). */
  schema: string;
  /** internal: when it was deleted; a deleted form is kept only for its version number. */
  deletedAt?: string;
}

export type InstanceState = 'ACTIVE' | 'COMPLETED' | 'TERMINATED';

export interface ProcessInstanceRecord {
  kind: 'processInstance';
  processInstanceKey: string;
  processDefinitionKey: string;
  processDefinitionId: string;
  processDefinitionName: string;
  processDefinitionVersion: number;
  processDefinitionVersionTag?: string;
  startDate: string;
  endDate?: string;
  state: InstanceState;
  hasIncident: boolean;
  tenantId: string;
  parentProcessInstanceKey?: string;
  parentElementInstanceKey?: string;
  tags?: string[];
  /** internal: ids of the sequence flows this instance has taken, each once, in the order first taken (`GET .../sequence-flows`). */
  takenSequenceFlows?: string[];
  /** internal: interpreter bookkeeping of the process-level scope (its PROCESS element instance shares this key). */
  runtime?: Record<string, unknown>;
}

/** Lifecycle states of an element instance as the interpreter tracks them. REST shows ACTIVE/COMPLETED/TERMINATED. */
export interface ElementInstanceRecord {
  kind: 'elementInstance';
  elementInstanceKey: string;
  processInstanceKey: string;
  processDefinitionKey: string;
  processDefinitionId: string;
  elementId: string;
  elementName: string;
  type: ElementType;
  state: InstanceState;
  startDate: string;
  endDate?: string;
  hasIncident: boolean;
  incidentKey?: string;
  tenantId: string;
  /** internal: key of the enclosing element instance (the process instance key for top-level elements). */
  flowScopeKey?: string;
  /** internal: interpreter bookkeeping (join tokens, multi-instance counters, called child instance, ...). */
  runtime?: Record<string, unknown>;
}

export interface VariableRecord {
  kind: 'variable';
  variableKey: string;
  name: string;
  /** JSON text of the value, as REST returns it. */
  value: string;
  scopeKey: string;
  processInstanceKey: string;
  tenantId: string;
  /** internal: false once its scope has ended (kept for history and search). */
  active: boolean;
}

export type JobState =
  | 'CREATED'
  | 'ACTIVATED'
  | 'FAILED'
  | 'RETRIES_UPDATED'
  | 'TIMED_OUT'
  | 'COMPLETED'
  | 'ERROR_THROWN'
  | 'CANCELED';

export interface JobRecord {
  kind: 'job';
  jobKey: string;
  type: string;
  state: JobState;
  retries: number;
  worker: string;
  customHeaders: Record<string, string>;
  processInstanceKey: string;
  processDefinitionKey: string;
  processDefinitionId: string;
  processDefinitionVersion: number;
  elementId: string;
  elementInstanceKey: string;
  tenantId: string;
  errorMessage?: string;
  errorCode?: string;
  hasFailedWithRetriesLeft: boolean;
  /** internal: epoch ms until which an activated job belongs to `worker`. */
  deadline?: number;
  /** internal: epoch ms before which a failed job with retries left is not activatable (retryBackOff). */
  recurAt?: number;
  /** internal: the open incident that holds this job (no retries left, or an uncaught BPMN error). */
  incidentKey?: string;
  endTime?: string;
  /** Task listener jobs only (absent on ordinary jobs, which REST shows as kind BPMN_ELEMENT / UNSPECIFIED). */
  jobKind?: 'TASK_LISTENER';
  listenerEventType?: ListenerEventType;
  /** Task listener jobs: the user task's data when the job was created (REST `userTask`). */
  userTask?: UserTaskProperties;
  /** Task listener jobs completed with a denial. */
  isDenied?: boolean;
  deniedReason?: string;
}

export type ListenerEventType = 'CREATING' | 'ASSIGNING' | 'UPDATING' | 'COMPLETING';

/** The 8.8 `UserTaskProperties` of a task listener job. */
export interface UserTaskProperties {
  action: string;
  assignee?: string;
  candidateGroups: string[];
  candidateUsers: string[];
  changedAttributes: string[];
  dueDate?: string;
  followUpDate?: string;
  formKey?: string;
  priority: number;
  userTaskKey: string;
}

/** The user task attributes a command or a listener's corrections may change (null clears). */
export interface UserTaskAttributes {
  assignee?: string | null;
  dueDate?: string | null;
  followUpDate?: string | null;
  candidateGroups?: string[];
  candidateUsers?: string[];
  priority?: number;
}

/**
 * internal: a user task transition whose task listeners run (see processor/task-listeners.ts). Stored with the
 * task, so a transition survives a restart where it stood.
 */
export interface UserTaskTransition {
  eventType: 'creating' | 'assigning' | 'updating' | 'completing';
  /** `userTask.action` the listeners see: '' at creation, assign, claim, unassign, update, complete. */
  action: string;
  /** Index into the element's listeners of this event type: the one whose job is open (or next to create). */
  index: number;
  /** The job of the listener that runs now. */
  jobKey?: string;
  /** What the command asked for (applied when the transition is accepted). */
  changes: UserTaskAttributes;
  /** Listeners' corrections so far (applied on top of `changes`). */
  corrections: UserTaskAttributes;
  /** Completion variables (completing), or the variables of `PUT /element-instances/{key}/variables` (updating). */
  variables?: Record<string, unknown>;
  /** For a variables update: set them locally on the task's element instance. */
  local?: boolean;
  /** Creating: the assignee the model sets, assigned (with assigning listeners) once creation is accepted. */
  modelAssignee?: string;
}

export type UserTaskState =
  | 'CREATING'
  | 'CREATED'
  | 'ASSIGNING'
  | 'UPDATING'
  | 'COMPLETING'
  | 'COMPLETED'
  | 'CANCELING'
  | 'CANCELED'
  | 'FAILED';

export interface UserTaskRecord {
  kind: 'userTask';
  userTaskKey: string;
  name?: string;
  state: UserTaskState;
  assignee?: string;
  elementId: string;
  elementInstanceKey: string;
  candidateGroups: string[];
  candidateUsers: string[];
  processDefinitionId: string;
  processDefinitionKey: string;
  processDefinitionVersion: number;
  processName?: string;
  processInstanceKey: string;
  creationDate: string;
  completionDate?: string;
  followUpDate?: string;
  dueDate?: string;
  tenantId: string;
  externalFormReference?: string;
  customHeaders: Record<string, string>;
  priority: number;
  formKey?: string;
  /** internal: the transition whose task listeners run, while the task is CREATING/ASSIGNING/UPDATING/COMPLETING. */
  transition?: UserTaskTransition;
}

export type IncidentErrorType =
  | 'UNKNOWN'
  | 'IO_MAPPING_ERROR'
  | 'JOB_NO_RETRIES'
  | 'TASK_LISTENER_NO_RETRIES'
  | 'CONDITION_ERROR'
  | 'EXTRACT_VALUE_ERROR'
  | 'CALLED_ELEMENT_ERROR'
  | 'UNHANDLED_ERROR_EVENT'
  | 'FORM_NOT_FOUND'
  | 'CALLED_DECISION_ERROR'
  | 'DECISION_EVALUATION_ERROR';

export interface IncidentRecord {
  kind: 'incident';
  incidentKey: string;
  errorType: IncidentErrorType;
  errorMessage: string;
  elementId: string;
  elementInstanceKey: string;
  processInstanceKey: string;
  processDefinitionKey: string;
  processDefinitionId: string;
  jobKey?: string;
  creationTime: string;
  state: 'ACTIVE' | 'RESOLVED';
  tenantId: string;
}

export interface MessageSubscriptionRecord {
  kind: 'messageSubscription';
  messageSubscriptionKey: string;
  messageName: string;
  correlationKey: string;
  processInstanceKey: string;
  processDefinitionKey: string;
  processDefinitionId: string;
  elementId: string;
  /** The element instance that waits (catch event, receive task, or the activity a boundary event is attached to / the event-based gateway / the scope of an event sub-process). */
  elementInstanceKey: string;
  /** internal: the catching element (boundary event / event sub-process start / gateway target) to activate. */
  catchElementId: string;
  interrupting: boolean;
  state: 'CREATED' | 'CORRELATED' | 'DELETED';
  tenantId: string;
}

export interface MessageRecord {
  kind: 'message';
  messageKey: string;
  name: string;
  correlationKey: string;
  messageId?: string;
  variables: Record<string, unknown>;
  /** epoch ms */
  publishedAt: number;
  /** epoch ms */
  expiresAt: number;
  /** internal: BPMN process ids that already took this message (a message correlates once per process). */
  correlatedTo: string[];
  state: 'PUBLISHED' | 'EXPIRED';
  tenantId: string;
}

export interface TimerRecord {
  kind: 'timer';
  timerKey: string;
  /** epoch ms */
  dueDate: number;
  /** Remaining repetitions for cycles; -1 = infinite; 1 = single. */
  repetitions: number;
  /** ISO interval for cycles, to compute the next due date. */
  interval?: string;
  /** Start timers: the process definition. Otherwise the waiting element instance. */
  processDefinitionKey: string;
  processInstanceKey?: string;
  elementInstanceKey?: string;
  /** The timer event element (start / catch / boundary / event sub-process start). */
  elementId: string;
  state: 'CREATED' | 'TRIGGERED' | 'CANCELED';
  tenantId: string;
}

export interface SignalSubscriptionRecord {
  kind: 'signalSubscription';
  signalSubscriptionKey: string;
  signalName: string;
  processDefinitionKey: string;
  processInstanceKey?: string;
  elementInstanceKey?: string;
  catchElementId: string;
  interrupting: boolean;
  state: 'CREATED' | 'DELETED';
  tenantId: string;
}

/** A deployed DMN resource: its decision requirements graph (DRG), versioned as Zeebe versions it. */
export interface DecisionRequirementsRecord {
  kind: 'decisionRequirements';
  decisionRequirementsKey: string;
  decisionRequirementsId: string;
  decisionRequirementsName: string;
  version: number;
  resourceName: string;
  tenantId: string;
  deploymentKey: string;
  /** internal: sha-256 of the resource content, for "identical resource, no new version". */
  checksum: string;
  /** internal: the DMN XML as deployed. */
  xml: string;
  /** internal: when it was deleted (with its decisions); kept only for its version number. */
  deletedAt?: string;
}

/** One decision of a deployed DRG. */
export interface DecisionDefinitionRecord {
  kind: 'decisionDefinition';
  decisionDefinitionKey: string;
  decisionDefinitionId: string;
  name: string;
  version: number;
  versionTag?: string;
  decisionRequirementsId: string;
  decisionRequirementsKey: string;
  tenantId: string;
  deploymentKey: string;
  /** internal: `DECISION_TABLE` or `LITERAL_EXPRESSION`. */
  decisionDefinitionType: 'DECISION_TABLE' | 'LITERAL_EXPRESSION';
  /** internal: every deployment that deployed this version (a later identical redeployment adds its key), for bindingType deployment. */
  deploymentKeys: string[];
  /** internal: when its DRG was deleted; kept only for its version number. */
  deletedAt?: string;
}

/** `evaluatedInputs[]` of a decision instance (values as JSON text, as Camunda returns them). */
export interface DecisionInstanceInput {
  inputId: string;
  inputName: string;
  inputValue: string;
}

export interface DecisionInstanceRule {
  ruleId: string;
  ruleIndex: number;
  evaluatedOutputs: Array<{ outputId: string; outputName: string; outputValue: string }>;
}

/** One decision evaluated in one evaluation (a called decision and each decision it required); history only. */
export interface DecisionInstanceRecord {
  kind: 'decisionInstance';
  /** internal: the record's key (a number, as every record key); REST names the instance by `decisionEvaluationInstanceKey`. */
  instanceKey: string;
  /** `<decisionEvaluationKey>-<n>`, n counting the evaluated decisions from 1, as Zeebe names decision instances. */
  decisionEvaluationInstanceKey: string;
  /** The evaluation this instance belongs to (shared by the called decision and its required decisions). */
  decisionEvaluationKey: string;
  state: 'EVALUATED' | 'FAILED';
  evaluationDate: string;
  evaluationFailure?: string;
  decisionDefinitionId: string;
  decisionDefinitionName: string;
  decisionDefinitionVersion: number;
  decisionDefinitionType: 'DECISION_TABLE' | 'LITERAL_EXPRESSION';
  decisionDefinitionKey: string;
  decisionRequirementsKey: string;
  /** The decision's output as JSON text. */
  result: string;
  tenantId: string;
  processDefinitionKey?: string;
  processInstanceKey?: string;
  elementInstanceKey?: string;
  evaluatedInputs: DecisionInstanceInput[];
  matchedRules: DecisionInstanceRule[];
}

export type EngineRecord =
  | DeploymentRecord
  | ProcessDefinitionRecord
  | FormRecord
  | ProcessInstanceRecord
  | ElementInstanceRecord
  | VariableRecord
  | JobRecord
  | UserTaskRecord
  | IncidentRecord
  | MessageSubscriptionRecord
  | MessageRecord
  | TimerRecord
  | SignalSubscriptionRecord
  | DecisionRequirementsRecord
  | DecisionDefinitionRecord
  | DecisionInstanceRecord;

/** The primary key of a record (unique across kinds: every key comes from one generator). */
export function recordKey(r: EngineRecord): string {
  switch (r.kind) {
    case 'deployment': return r.deploymentKey;
    case 'processDefinition': return r.processDefinitionKey;
    case 'form': return r.formKey;
    case 'processInstance': return r.processInstanceKey;
    case 'elementInstance': return r.elementInstanceKey;
    case 'variable': return r.variableKey;
    case 'job': return r.jobKey;
    case 'userTask': return r.userTaskKey;
    case 'incident': return r.incidentKey;
    case 'messageSubscription': return r.messageSubscriptionKey;
    case 'message': return r.messageKey;
    case 'timer': return r.timerKey;
    case 'signalSubscription': return r.signalSubscriptionKey;
    case 'decisionRequirements': return r.decisionRequirementsKey;
    case 'decisionDefinition': return r.decisionDefinitionKey;
    case 'decisionInstance': return r.instanceKey;
  }
}

/** Whether the record is part of the runtime state loaded back into memory after a restart. */
export function isActive(r: EngineRecord): boolean {
  switch (r.kind) {
    case 'deployment': return false;
    case 'processDefinition':
    case 'form': return true;
    case 'processInstance':
    case 'elementInstance': return r.state === 'ACTIVE';
    case 'variable': return r.active;
    case 'job': return r.state !== 'COMPLETED' && r.state !== 'CANCELED' && (r.state !== 'ERROR_THROWN' || r.incidentKey !== undefined);
    case 'userTask': return r.state !== 'COMPLETED' && r.state !== 'CANCELED' && r.state !== 'FAILED';
    case 'incident': return r.state === 'ACTIVE';
    case 'messageSubscription': return r.state === 'CREATED';
    case 'message': return r.state === 'PUBLISHED';
    case 'timer': return r.state === 'CREATED';
    case 'signalSubscription': return r.state === 'CREATED';
    case 'decisionRequirements':
    case 'decisionDefinition': return true;
    case 'decisionInstance': return false;
  }
}

/** The process instance a record belongs to, if any (indexed column for search and cleanup). */
export function recordProcessInstanceKey(r: EngineRecord): string | undefined {
  return 'processInstanceKey' in r ? r.processInstanceKey : undefined;
}
