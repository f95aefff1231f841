import { describe, expect, it } from 'vitest';
import { ALL_TASK_TYPES, TASK_TYPES } from '../shared/index.js';
import { createFakeAuditStore } from './audit/fake-audit-store.js';
import { createFakePermitStore } from './permit/fake-permit-store.js';
import { REGISTERED_TASK_TYPES, SERVICE_TASK_TYPES, TASK_HANDLER_REGISTRY, createTaskHandlers } from './registry.js';

describe('task handler registry', () => {
  it('has a handler for every task type and nothing else', () => {
    expect([...REGISTERED_TASK_TYPES].sort()).toEqual([...ALL_TASK_TYPES].sort());
    expect(Object.keys(TASK_HANDLER_REGISTRY).sort()).toEqual([...ALL_TASK_TYPES].sort());
    const handlers = createTaskHandlers({ permits: createFakePermitStore(), audit: createFakeAuditStore() });
    for (const type of ALL_TASK_TYPES) expect(typeof handlers[type], type).toBe('function');
  });

  it('takes the workspace and notification handlers from their services, with a placeholder for those not wired', () => {
    expect(SERVICE_TASK_TYPES).toContain(TASK_TYPES.notificationSend);
    expect(SERVICE_TASK_TYPES.filter((t) => !/^(workspace|notification)\./.test(t))).toEqual([]);
    const send = async () => undefined;
    const handlers = createTaskHandlers({ permits: createFakePermitStore(), audit: createFakeAuditStore(), services: { [TASK_TYPES.notificationSend]: send } });
    expect(handlers[TASK_TYPES.notificationSend]).toBe(send);
    expect(handlers[TASK_TYPES.workspaceProvision]).not.toBe(send);
    expect(handlers[TASK_TYPES.permitSetStatus]).not.toBe(send);
  });
});
