import { describe, expect, it } from 'vitest';
import { ALL_TASK_TYPES, TASK_TYPES } from '../shared/index.js';
import { createFakeAuditStore } from './audit/fake-audit-store.js';
import { createFakePermitStore } from './permit/fake-permit-store.js';
import { PLACEHOLDER_TASK_TYPES, REGISTERED_TASK_TYPES, TASK_HANDLER_REGISTRY, createTaskHandlers } from './registry.js';

describe('task handler registry', () => {
  it('has a handler for every task type and nothing else', () => {
    expect([...REGISTERED_TASK_TYPES].sort()).toEqual([...ALL_TASK_TYPES].sort());
    expect(Object.keys(TASK_HANDLER_REGISTRY).sort()).toEqual([...ALL_TASK_TYPES].sort());
    const handlers = createTaskHandlers({ permits: createFakePermitStore(), audit: createFakeAuditStore() });
    for (const type of ALL_TASK_TYPES) expect(typeof handlers[type], type).toBe('function');
  });

  it('serves only the workspace and notification types with placeholders', () => {
    expect(PLACEHOLDER_TASK_TYPES).toContain(TASK_TYPES.notificationSend);
    for (const type of PLACEHOLDER_TASK_TYPES) expect(type).toMatch(/^(workspace|notification)\./);
    for (const type of ALL_TASK_TYPES.filter((t) => /^(permit|audit)\./.test(t))) expect(PLACEHOLDER_TASK_TYPES).not.toContain(type);
  });
});
