/**
 * Records → Camunda 8.8 REST result shapes. Only the fields of the 8.8 result types are copied, so internal
 * record fields (checksum, xml, runtime, flowScopeKey, recurAt, ...) never leave the engine; optional fields
 * are omitted rather than sent as null. Dates are ISO 8601 strings in UTC ('Z'), keys are strings.
 */
import type { ActivatedJob } from '../runtime/engine-api.js';
import type {
  DecisionDefinitionRecord,
  DecisionInstanceRecord,
  DecisionRequirementsRecord,
  ElementInstanceRecord,
  FormRecord,
  IncidentRecord,
  JobRecord,
  MessageSubscriptionRecord,
  ProcessDefinitionRecord,
  ProcessInstanceRecord,
  UserTaskRecord,
  VariableRecord,
} from '../runtime/records.js';

/** Variable values longer than this are cut in search results unless `truncateValues=false` (as Camunda). */
export const VARIABLE_TRUNCATE_LENGTH = 8191;

type Json = Record<string, unknown>;

/** Copies the listed keys whose value is neither undefined nor null. */
function pick<T extends object>(record: T, keys: ReadonlyArray<keyof T>): Json {
  const out: Json = {};
  for (const k of keys) {
    const v = record[k];
    if (v !== undefined && v !== null) out[k as string] = v;
  }
  return out;
}

/** ISO string with a 'Z' suffix (the client's date-time check rejects offsets). */
export function isoDate(value: string | number): string {
  return new Date(value).toISOString();
}

function withDates(out: Json, record: object, keys: string[]): Json {
  for (const k of keys) {
    const v = (record as Json)[k];
    if (typeof v === 'string' || typeof v === 'number') out[k] = isoDate(v);
  }
  return out;
}

export function mapProcessDefinition(r: ProcessDefinitionRecord): Json {
  return pick(r, ['name', 'resourceName', 'version', 'versionTag', 'processDefinitionId', 'tenantId', 'processDefinitionKey', 'hasStartForm']);
}

export function mapProcessInstance(r: ProcessInstanceRecord): Json {
  const out = pick(r, [
    'processDefinitionId', 'processDefinitionName', 'processDefinitionVersion', 'processDefinitionVersionTag', 'state',
    'hasIncident', 'tenantId', 'processInstanceKey', 'processDefinitionKey', 'parentProcessInstanceKey',
    'parentElementInstanceKey', 'tags',
  ]);
  // Required in the 8.8 result; Camunda falls back to the process id for unnamed processes.
  out.processDefinitionName ??= r.processDefinitionId;
  return withDates(out, r, ['startDate', 'endDate']);
}

export function mapElementInstance(r: ElementInstanceRecord): Json {
  const out = pick(r, [
    'processDefinitionId', 'elementId', 'elementName', 'type', 'state', 'hasIncident', 'tenantId',
    'elementInstanceKey', 'processInstanceKey', 'processDefinitionKey', 'incidentKey',
  ]);
  out.elementName ??= r.elementId;
  return withDates(out, r, ['startDate', 'endDate']);
}

export function mapVariable(r: VariableRecord): Json {
  return pick(r, ['name', 'value', 'tenantId', 'variableKey', 'scopeKey', 'processInstanceKey']);
}

export function mapVariableSearchItem(r: VariableRecord, truncate: boolean): Json {
  const isTruncated = truncate && r.value.length > VARIABLE_TRUNCATE_LENGTH;
  return { ...mapVariable(r), value: isTruncated ? r.value.slice(0, VARIABLE_TRUNCATE_LENGTH) : r.value, isTruncated };
}

export function mapJob(r: JobRecord): Json {
  const out = pick(r, [
    'customHeaders', 'elementId', 'elementInstanceKey', 'errorCode', 'errorMessage', 'hasFailedWithRetriesLeft', 'jobKey',
    'processDefinitionId', 'processDefinitionKey', 'processInstanceKey', 'retries', 'state', 'tenantId', 'type', 'worker',
  ]);
  out.customHeaders ??= {};
  out.worker ??= '';
  out.kind = r.jobKind ?? 'BPMN_ELEMENT';
  out.listenerEventType = r.listenerEventType ?? 'UNSPECIFIED';
  if (r.jobKind === 'TASK_LISTENER' && r.isDenied !== undefined) {
    out.isDenied = r.isDenied;
    if (r.deniedReason) out.deniedReason = r.deniedReason;
  }
  return withDates(out, r, ['deadline', 'endTime']);
}

export function mapActivatedJob(a: ActivatedJob): Json {
  const out = pick(a.job, [
    'type', 'processDefinitionId', 'processDefinitionVersion', 'elementId', 'customHeaders', 'worker', 'retries',
    'tenantId', 'jobKey', 'processInstanceKey', 'processDefinitionKey', 'elementInstanceKey',
  ]);
  return {
    customHeaders: {},
    worker: '',
    ...out,
    deadline: a.deadline,
    variables: a.variables ?? {},
    kind: a.job.jobKind ?? 'BPMN_ELEMENT',
    listenerEventType: a.job.listenerEventType ?? 'UNSPECIFIED',
    ...(a.job.userTask ? { userTask: { ...a.job.userTask } } : {}),
  };
}

export function mapUserTask(r: UserTaskRecord): Json {
  const out = pick(r, [
    'name', 'state', 'assignee', 'elementId', 'candidateGroups', 'candidateUsers', 'processDefinitionId', 'tenantId',
    'externalFormReference', 'processDefinitionVersion', 'customHeaders', 'priority', 'userTaskKey', 'elementInstanceKey',
    'processName', 'processDefinitionKey', 'processInstanceKey', 'formKey',
  ]);
  return withDates(out, r, ['creationDate', 'completionDate', 'followUpDate', 'dueDate']);
}

export function mapIncident(r: IncidentRecord): Json {
  const out = pick(r, [
    'processDefinitionId', 'errorType', 'errorMessage', 'elementId', 'state', 'tenantId', 'incidentKey',
    'processDefinitionKey', 'processInstanceKey', 'elementInstanceKey', 'jobKey',
  ]);
  return withDates(out, r, ['creationTime']);
}

export function mapMessageSubscription(r: MessageSubscriptionRecord): Json {
  const out = pick(r, [
    'messageSubscriptionKey', 'processDefinitionId', 'processDefinitionKey', 'processInstanceKey', 'elementId',
    'elementInstanceKey', 'messageName', 'correlationKey', 'tenantId',
  ]);
  out.messageSubscriptionState = r.state;
  return out;
}

/** The form as the 8.8 FormResult: `schema` is the parsed form JSON. */
export function mapForm(r: FormRecord): Json {
  let schema: unknown;
  try {
    schema = JSON.parse(r.schema);
  } catch {
    schema = undefined;
  }
  const out = pick(r, ['tenantId', 'formId', 'version', 'formKey']);
  if (schema && typeof schema === 'object' && !Array.isArray(schema)) out.schema = schema;
  return out;
}

export function mapDecisionDefinition(r: DecisionDefinitionRecord): Json {
  return pick(r, ['decisionDefinitionId', 'name', 'version', 'decisionRequirementsId', 'tenantId', 'decisionDefinitionKey', 'decisionRequirementsKey']);
}

export function mapDecisionRequirements(r: DecisionRequirementsRecord): Json {
  return pick(r, ['decisionRequirementsName', 'version', 'decisionRequirementsId', 'resourceName', 'tenantId', 'decisionRequirementsKey']);
}

/** DecisionInstanceResult (search items). */
export function mapDecisionInstance(r: DecisionInstanceRecord): Json {
  const out = pick(r, [
    'decisionEvaluationInstanceKey', 'state', 'evaluationFailure', 'decisionDefinitionId', 'decisionDefinitionName',
    'decisionDefinitionVersion', 'decisionDefinitionType', 'result', 'tenantId', 'decisionEvaluationKey', 'processDefinitionKey',
    'processInstanceKey', 'decisionDefinitionKey', 'elementInstanceKey',
  ]);
  return withDates(out, r, ['evaluationDate']);
}

/** DecisionInstanceGetQueryResult: the search item with its evaluated inputs and matched rules. */
export function mapDecisionInstanceDetail(r: DecisionInstanceRecord): Json {
  return { ...mapDecisionInstance(r), evaluatedInputs: r.evaluatedInputs, matchedRules: r.matchedRules };
}
