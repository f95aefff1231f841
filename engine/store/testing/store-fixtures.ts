/**
 * Small record builders and target lists for the store's tests and measurements.
 */
import { randomBytes } from 'node:crypto';
import { TENANT, type ElementInstanceRecord, type ProcessInstanceRecord, type UserTaskRecord, type VariableRecord } from '../../runtime/records.js';

export const FIRST_KEY = 2 ** 51;

export function processInstance(key: number, over: Partial<ProcessInstanceRecord> = {}): ProcessInstanceRecord {
  return {
    kind: 'processInstance',
    processInstanceKey: String(key),
    processDefinitionKey: String(FIRST_KEY + 1),
    processDefinitionId: 'order-process',
    processDefinitionName: 'Order',
    processDefinitionVersion: 1,
    startDate: '2025-01-01T00:00:00.000Z',
    state: 'ACTIVE',
    hasIncident: false,
    tenantId: TENANT,
    ...over,
  };
}

export function userTask(key: number, processInstanceKey: number, over: Partial<UserTaskRecord> = {}): UserTaskRecord {
  return {
    kind: 'userTask',
    userTaskKey: String(key),
    name: 'Review',
    state: 'CREATED',
    elementId: 'review',
    elementInstanceKey: String(key - 1),
    candidateGroups: ['reviewers'],
    candidateUsers: [],
    processDefinitionId: 'order-process',
    processDefinitionKey: String(FIRST_KEY + 1),
    processDefinitionVersion: 1,
    processInstanceKey: String(processInstanceKey),
    creationDate: '2025-01-01T00:00:00.000Z',
    tenantId: TENANT,
    customHeaders: {},
    priority: 50,
    ...over,
  };
}

export function elementInstance(key: number, processInstanceKey: number, over: Partial<ElementInstanceRecord> = {}): ElementInstanceRecord {
  return {
    kind: 'elementInstance',
    elementInstanceKey: String(key),
    processInstanceKey: String(processInstanceKey),
    processDefinitionKey: String(FIRST_KEY + 1),
    processDefinitionId: 'order-process',
    elementId: 'task',
    elementName: 'Task',
    type: 'SERVICE_TASK',
    state: 'ACTIVE',
    startDate: '2025-01-01T00:00:00.000Z',
    hasIncident: false,
    tenantId: TENANT,
    flowScopeKey: String(processInstanceKey),
    ...over,
  };
}

export function variable(key: number, processInstanceKey: number, name: string, value: unknown): VariableRecord {
  return {
    kind: 'variable',
    variableKey: String(key),
    name,
    value: JSON.stringify(value),
    scopeKey: String(processInstanceKey),
    processInstanceKey: String(processInstanceKey),
    tenantId: TENANT,
    active: true,
  };
}

/** A fresh schema name, so test files sharing one PostgreSQL database do not collide. */
export function randomSchema(prefix = 'engine_test'): string {
  return `${prefix}_${randomBytes(6).toString('hex')}`;
}
