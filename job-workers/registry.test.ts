import { describe, expect, it } from 'vitest';
import { ALL_TASK_TYPES, TASK_TYPES } from '../shared/index.js';
import { createFakeAuditRecordStore } from './audit/fake-audit-record-store.js';
import { createFakePermitWorkerStore } from './permit/fake-permit-worker-store.js';
import { REGISTERED_TASK_TYPES, SERVICE_TASK_TYPES, TASK_HANDLER_REGISTRY, createTaskHandlers } from './registry.js';

describe('task handler registry', () => {
  it('has a handler factory for every task type and nothing else', () => {
    expect([...REGISTERED_TASK_TYPES].sort()).toEqual([...ALL_TASK_TYPES].sort());
    expect(Object.keys(TASK_HANDLER_REGISTRY).sort()).toEqual([...ALL_TASK_TYPES].sort());
  });

  it('has a handler for every task type once the services are wired', () => {
    const services = Object.fromEntries(SERVICE_TASK_TYPES.map((type) => [type, async () => undefined]));
    const handlers = createTaskHandlers({ permits: createFakePermitWorkerStore(), audit: createFakeAuditRecordStore(), services });
    for (const type of ALL_TASK_TYPES) expect(typeof handlers[type], type).toBe('function');
  });

  it('has no handler for a service task type whose service is not wired, so no worker completes its jobs', () => {
    const handlers = createTaskHandlers({ permits: createFakePermitWorkerStore(), audit: createFakeAuditRecordStore() });
    expect(Object.keys(handlers).sort()).toEqual(ALL_TASK_TYPES.filter((type) => !SERVICE_TASK_TYPES.includes(type)).sort());
  });

  it('takes the workspace and notification handlers from their services', () => {
    expect(SERVICE_TASK_TYPES).toContain(TASK_TYPES.notificationSend);
    expect(SERVICE_TASK_TYPES.filter((t) => !/^(workspace|notification)\./.test(t))).toEqual([]);
    const send = async () => undefined;
    const handlers = createTaskHandlers({ permits: createFakePermitWorkerStore(), audit: createFakeAuditRecordStore(), services: { [TASK_TYPES.notificationSend]: send } });
    expect(handlers[TASK_TYPES.notificationSend]).toBe(send);
    expect(handlers[TASK_TYPES.workspaceProvision]).toBeUndefined();
    expect(handlers[TASK_TYPES.permitSetStatus]).not.toBe(send);
  });
});
