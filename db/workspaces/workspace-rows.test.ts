import { describe, expect, it } from 'vitest';
import { toWorkspace } from './workspace-rows.js';

const at = new Date('2026-04-01T08:30:00.123Z');

describe('workspace rows', () => {
  it('map the desired and observed state', () => {
    expect(toWorkspace({ permit_id: 'p1', phase: 'setup', desired_state: { network: 'proxied' }, observed_state: null, updated_at: at })).toEqual({
      permitId: 'p1', phase: 'setup', desiredState: { network: 'proxied' }, observedState: null, updatedAt: at.toISOString(),
    });
  });
});
