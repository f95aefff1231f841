/** Complete sample records for tests of the HTTP layer (every REST-visible field and the internal ones set). */
import type {
  ElementInstanceRecord,
  FormRecord,
  IncidentRecord,
  JobRecord,
  MessageSubscriptionRecord,
  ProcessDefinitionRecord,
  ProcessInstanceRecord,
  UserTaskRecord,
  VariableRecord,
} from '../../runtime/records.js';
import { TENANT } from '../../runtime/records.js';

const T0 = '2025-01-02T03:04:05.678Z';

export const sampleXml = '<?xml version="1.0"?><bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"/>';

export function processDefinition(over: Partial<ProcessDefinitionRecord> = {}): ProcessDefinitionRecord {
  return {
    kind: 'processDefinition', processDefinitionKey: '2251799813685249', processDefinitionId: 'order-process', name: 'Order',
    version: 1, versionTag: 'v1', resourceName: 'order.bpmn', tenantId: TENANT, hasStartForm: false,
    deploymentKey: '2251799813685248', checksum: 'abc', xml: sampleXml, ...over,
  };
}

export function form(over: Partial<FormRecord> = {}): FormRecord {
  return {
    kind: 'form', formKey: '2251799813685250', formId: 'order-form', version: 1, resourceName: 'order.form', tenantId: TENANT,
    deploymentKey: '2251799813685248', checksum: 'def', schema: JSON.stringify({ id: 'order-form', components: [] }), ...over,
  };
}

export function processInstance(over: Partial<ProcessInstanceRecord> = {}): ProcessInstanceRecord {
  return {
    kind: 'processInstance', processInstanceKey: '2251799813685260', processDefinitionKey: '2251799813685249',
    processDefinitionId: 'order-process', processDefinitionName: 'Order', processDefinitionVersion: 1,
    processDefinitionVersionTag: 'v1', startDate: T0, state: 'ACTIVE', hasIncident: false, tenantId: TENANT, ...over,
  };
}

export function elementInstance(over: Partial<ElementInstanceRecord> = {}): ElementInstanceRecord {
  return {
    kind: 'elementInstance', elementInstanceKey: '2251799813685262', processInstanceKey: '2251799813685260',
    processDefinitionKey: '2251799813685249', processDefinitionId: 'order-process', elementId: 'ship', elementName: 'Ship',
    type: 'SERVICE_TASK', state: 'ACTIVE', startDate: T0, hasIncident: false, tenantId: TENANT,
    flowScopeKey: '2251799813685260', runtime: { secret: true }, ...over,
  };
}

export function variable(over: Partial<VariableRecord> = {}): VariableRecord {
  return {
    kind: 'variable', variableKey: '2251799813685270', name: 'orderId', value: '"A-1"', scopeKey: '2251799813685260',
    processInstanceKey: '2251799813685260', tenantId: TENANT, active: true, ...over,
  };
}

export function job(over: Partial<JobRecord> = {}): JobRecord {
  return {
    kind: 'job', jobKey: '2251799813685280', type: 'ship-order', state: 'CREATED', retries: 3, worker: '',
    customHeaders: { priority: 'high' }, processInstanceKey: '2251799813685260', processDefinitionKey: '2251799813685249',
    processDefinitionId: 'order-process', processDefinitionVersion: 1, elementId: 'ship', elementInstanceKey: '2251799813685262',
    tenantId: TENANT, hasFailedWithRetriesLeft: false, recurAt: 5, ...over,
  };
}

export function userTask(over: Partial<UserTaskRecord> = {}): UserTaskRecord {
  return {
    kind: 'userTask', userTaskKey: '2251799813685290', name: 'Approve', state: 'CREATED', elementId: 'approve',
    elementInstanceKey: '2251799813685291', candidateGroups: ['reviewers'], candidateUsers: ['alice'],
    processDefinitionId: 'order-process', processDefinitionKey: '2251799813685249', processDefinitionVersion: 1,
    processName: 'Order', processInstanceKey: '2251799813685260', creationDate: T0, tenantId: TENANT,
    customHeaders: {}, priority: 50, ...over,
  };
}

export function incident(over: Partial<IncidentRecord> = {}): IncidentRecord {
  return {
    kind: 'incident', incidentKey: '2251799813685300', errorType: 'JOB_NO_RETRIES', errorMessage: 'boom', elementId: 'ship',
    elementInstanceKey: '2251799813685262', processInstanceKey: '2251799813685260', processDefinitionKey: '2251799813685249',
    processDefinitionId: 'order-process', jobKey: '2251799813685280', creationTime: T0, state: 'ACTIVE', tenantId: TENANT, ...over,
  };
}

export function messageSubscription(over: Partial<MessageSubscriptionRecord> = {}): MessageSubscriptionRecord {
  return {
    kind: 'messageSubscription', messageSubscriptionKey: '2251799813685310', messageName: 'paid', correlationKey: 'A-1',
    processInstanceKey: '2251799813685260', processDefinitionKey: '2251799813685249', processDefinitionId: 'order-process',
    elementId: 'wait-paid', elementInstanceKey: '2251799813685311', catchElementId: 'wait-paid', interrupting: true,
    state: 'CREATED', tenantId: TENANT, ...over,
  };
}
