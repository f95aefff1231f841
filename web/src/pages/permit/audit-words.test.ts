import { describe as suite, expect, it } from 'vitest';
import { describe } from './audit-words';

const entry = (action: string, details: Record<string, unknown>) => ({ seq: 1, occurredAt: '2026-12-06T10:00:00Z', actor: 'rita', action, permitId: 'p', details });

suite('the timeline in words', () => {
  it('says a status change with its reason', () => {
    expect(describe(entry('permit.status.changed', { previousStatus: 'UNDER_ASSESSMENT', newStatus: 'APPROVED', reason: 'Permit issued' }))).toBe('Status Under assessment → Approved (Permit issued)');
  });

  it('says a decision with its stage and comment', () => {
    expect(describe(entry('setup.reviewed', { decision: 'REWORK_REQUESTED', stage: 'SETUP', comment: 'Remove the sync client' }))).toBe('Setup reviewed: Rework requested at Setup — “Remove the sync client”');
  });

  it('says which fields of the draft application were edited', () => {
    expect(describe(entry('permit.edit-draft', { changes: { title: 'New', validUntil: '2030-01-01T00:00:00.000Z' }, previous: {} }))).toBe('Application edited: title, end of validity');
  });

  it('falls back to the action in words', () => {
    expect(describe(entry('workspace.teardown', {}))).toBe('Workspace teardown');
  });
});
