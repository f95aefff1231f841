/**
 * The compiled form of a deployed BPMN process: what the interpreter executes.
 * Produced by `compileBpmn()` from the XML (bpmn-moddle + zeebe-bpmn-moddle); never edited afterwards.
 *
 * Expressions are kept as written in the XML: a string starting with `=` is FEEL, anything else is a
 * static value. `engine/feel` evaluates both.
 */
import type { EVENT_KINDS } from '../constructs/events/definitions.js';
import type { CompiledFormOf } from './event-kind.js';
import type { CompiledDecisionRequirements } from '../dmn/types.js';

/** Element instance types exactly as Camunda 8.8 REST reports them (`ElementInstanceResult.type`). */
export type ElementType =
  | 'PROCESS'
  | 'SUB_PROCESS'
  | 'EVENT_SUB_PROCESS'
  | 'START_EVENT'
  | 'INTERMEDIATE_CATCH_EVENT'
  | 'INTERMEDIATE_THROW_EVENT'
  | 'BOUNDARY_EVENT'
  | 'END_EVENT'
  | 'SERVICE_TASK'
  | 'RECEIVE_TASK'
  | 'USER_TASK'
  | 'MANUAL_TASK'
  | 'TASK'
  | 'EXCLUSIVE_GATEWAY'
  | 'INCLUSIVE_GATEWAY'
  | 'PARALLEL_GATEWAY'
  | 'EVENT_BASED_GATEWAY'
  | 'SEQUENCE_FLOW'
  | 'MULTI_INSTANCE_BODY'
  | 'CALL_ACTIVITY'
  | 'BUSINESS_RULE_TASK'
  | 'SCRIPT_TASK'
  | 'SEND_TASK';

/**
 * An event's compiled event definition: the union of the compiled forms the kinds declare in
 * `engine/constructs/events/<kind>/definition.ts` (listed in `engine/constructs/events/definitions.ts`), so a new
 * kind needs no edit here.
 */
export type EventDefinition = CompiledFormOf<(typeof EVENT_KINDS)[keyof typeof EVENT_KINDS]>;

/** One `zeebe:input` / `zeebe:output`: `source` is an expression (FEEL or static), `target` a variable path (`a.b.c`). */
export interface Mapping {
  source: string;
  target: string;
}

export interface JobDefinition {
  /** `zeebe:taskDefinition type` (may be FEEL). */
  type: string;
  /** `zeebe:taskDefinition retries` (may be FEEL); default "3". */
  retries: string;
  /** `zeebe:taskHeaders`, static strings. */
  headers: Record<string, string>;
  /** Job-worker user tasks only: what becomes the `io.camunda.zeebe:*` headers when the job is created. */
  userTaskHeaders?: JobWorkerUserTaskHeaders;
}

/** The form and assignment of a job-worker user task (expressions may be FEEL; candidate lists comma separated when static). */
export interface JobWorkerUserTaskHeaders {
  /** `zeebe:formDefinition formKey`, passed on as is (e.g. `camunda-forms:bpmn:form_1`). */
  formKey?: string;
  /** `zeebe:formDefinition formId`: the key of its latest deployed version becomes the formKey header. */
  formId?: string;
  assignee?: string;
  candidateGroups?: string;
  candidateUsers?: string;
  dueDate?: string;
  followUpDate?: string;
}

/** The task listener event types the engine runs (`canceling` is refused at deploy time). */
export const TASK_LISTENER_EVENT_TYPES = ['creating', 'assigning', 'updating', 'completing'] as const;
export type TaskListenerEventType = (typeof TASK_LISTENER_EVENT_TYPES)[number];

export interface TaskListenerDefinition {
  eventType: TaskListenerEventType;
  /** Job type (may be FEEL, evaluated when the listener's job is created). */
  type: string;
  /** Job retries (may be FEEL); default "3". */
  retries: string;
}

export interface UserTaskDefinition {
  /** `zeebe:formDefinition formId` (linked Camunda form, resolved to the latest deployed version at task creation). */
  formId?: string;
  /** `zeebe:formDefinition externalReference` (may be FEEL). */
  externalReference?: string;
  /** `zeebe:assignmentDefinition` fields; may be FEEL. candidate lists are comma separated when static. */
  assignee?: string;
  candidateGroups?: string;
  candidateUsers?: string;
  /** `zeebe:taskSchedule` dueDate / followUpDate (ISO 8601 date-time or FEEL). */
  dueDate?: string;
  followUpDate?: string;
  /** `zeebe:priorityDefinition priority` (0..100, may be FEEL); default 50. */
  priority?: string;
  /** `zeebe:taskHeaders` on the user task. */
  headers: Record<string, string>;
  /** `zeebe:taskListeners`, in model order (several of one event type run one after the other). */
  listeners?: TaskListenerDefinition[];
}

export interface MultiInstanceDefinition {
  sequential: boolean;
  /** FEEL expression giving the list. */
  inputCollection: string;
  inputElement?: string;
  outputCollection?: string;
  /** FEEL expression evaluated in the inner instance scope. */
  outputElement?: string;
  /** FEEL expression (from bpmn:completionCondition). */
  completionCondition?: string;
}

export interface CalledElementDefinition {
  /** Process id to call (may be FEEL). */
  processId: string;
  propagateAllChildVariables: boolean;
  propagateAllParentVariables: boolean;
}

/** `zeebe:calledDecision` of a business rule task. */
export interface CalledDecisionDefinition {
  /** Decision id to evaluate (may be FEEL). */
  decisionId: string;
  /** The variable the decision's result is set to (local to the task; output mappings apply). */
  resultVariable: string;
  /** Which version: the latest, the one deployed with the process, or the one with `versionTag`. */
  bindingType: 'latest' | 'deployment' | 'versionTag';
  versionTag?: string;
}

export interface CompiledElement {
  id: string;
  name?: string;
  type: ElementType;
  /** Id of the flow scope that contains this element: the process id, or a (event) sub-process id. */
  scopeId: string;
  incoming: string[];
  outgoing: string[];

  /** Events: start, end, intermediate catch/throw, boundary. Absent = none event. */
  eventDefinition?: EventDefinition;

  /** Job-based elements: service, send, business rule (job form), script with taskDefinition, message end/throw events, user task? no. */
  job?: JobDefinition;
  /** `zeebe:userTask` user tasks only (a job-worker user task has `job` instead, of type `io.camunda.zeebe:userTask`). */
  userTask?: UserTaskDefinition;
  /** `zeebe:script` script task. */
  script?: { expression: string; resultVariable: string };
  /** `zeebe:calledElement` call activity. */
  calledElement?: CalledElementDefinition;
  /** `zeebe:calledDecision` business rule task (DMN, evaluated by the engine). */
  calledDecision?: CalledDecisionDefinition;
  multiInstance?: MultiInstanceDefinition;

  inputMappings: Mapping[];
  outputMappings: Mapping[];

  /** Gateways (exclusive, inclusive) and activities with a default flow. */
  defaultFlow?: string;

  /** Boundary events: the activity they are attached to and whether they interrupt it. */
  attachedTo?: string;
  cancelActivity?: boolean;
  /** Activities: ids of boundary events attached to them. */
  boundaryEvents: string[];

  /** Sub-processes and event sub-processes: their direct child flow elements. */
  children?: string[];
  /** Process and sub-processes: the none start event id, if any. */
  noneStartEventId?: string;
  /** Process and sub-processes: ids of the event sub-processes directly inside. */
  eventSubProcesses?: string[];
  /** Event sub-processes: id of their (single) start event. */
  eventSubProcessStartId?: string;
  /** Start events of event sub-processes: interrupting (default true). */
  interrupting?: boolean;
  /** Intermediate link catch events: the link name they catch (throw side uses eventDefinition.name). */
}

export interface CompiledFlow {
  id: string;
  name?: string;
  sourceId: string;
  targetId: string;
  /** FEEL expression (with leading `=`) from bpmn:conditionExpression, if any. */
  condition?: string;
}

export interface CompiledProcess {
  /** bpmn:process id, the `processDefinitionId` of the REST API. */
  id: string;
  name?: string;
  versionTag?: string;
  /** zeebe:userTask start form: `zeebe:formDefinition formId` on the none start event, if any. */
  startFormId?: string;
  /** Every flow node and sub-process, by id (the process itself is included with type PROCESS). */
  elements: Record<string, CompiledElement>;
  flows: Record<string, CompiledFlow>;
  /** Start events on the process level by trigger. */
  noneStartEventId?: string;
  messageStartEventIds: string[];
  timerStartEventIds: string[];
  signalStartEventIds: string[];
}

export interface CompiledForm {
  /** The form's `id` field. */
  formId: string;
  /** The raw JSON text as deployed. */
  schema: string;
}

/** One element the engine refuses, with why. */
export interface UnsupportedElement {
  resourceName: string;
  elementId: string;
  reason: string;
}

export interface CompiledResource {
  resourceName: string;
  content: string;
  processes: CompiledProcess[];
  forms: CompiledForm[];
  /** A `.dmn` resource: its decision requirements graph. */
  decisionRequirements?: CompiledDecisionRequirements;
}
