import { describe, expect, it } from 'vitest';
import { ForbiddenError, InvalidTransitionError, MESSAGES } from '../../shared/index.js';
import { createFakeEnginePort } from '../engine/fake-engine-port.js';
import type { Caller } from '../identity/caller.js';
import { createPermitAccess } from '../permits/permit-access.js';
import { createFakePermitStore } from '../permits/fake-permit-store.js';
import { createLifecycleActionsService } from './lifecycle-actions-service.js';

const alice: Caller = { userId: 'alice', name: 'Alice', roles: ['researcher'] };
const rita: Caller = { userId: 'rita', name: 'Rita', roles: ['hdab-reviewer'] };
const adam: Caller = { userId: 'adam', name: 'Adam', roles: ['admin'] };
const ID = 'eeeeeeee-0000-4000-8000-000000000001';

function setup() {
  const permits = createFakePermitStore();
  permits.seed({ id: ID, status: 'ANALYSIS_ACTIVE' }, [
    { userId: 'alice', teamRole: 'RESEARCH_TEAM' },
    { userId: 'rita', teamRole: 'HDAB_TEAM' },
  ]);
  const engine = createFakeEnginePort();
  return { permits, engine, service: createLifecycleActionsService({ access: createPermitAccess(permits), engine, permits }) };
}

describe('lifecycle actions', () => {
  it('sends each intervention as its message with the contract variables', async () => {
    const { permits, engine, service } = setup();
    for (const name of [MESSAGES.suspensionRequested, MESSAGES.resumeRequested, MESSAGES.revocationRequested, MESSAGES.analysisCloseRequested, MESSAGES.amendmentRequested]) {
      engine.expectMessage(name, ID);
    }
    await service.suspend(rita, ID, { reason: 'Security incident' });
    permits.setStatus(ID, 'SUSPENDED');
    await service.resume(adam, ID, {});
    permits.setStatus(ID, 'ANALYSIS_ACTIVE');
    await service.requestAmendment(alice, ID, { summary: 'Add Bob', addMembers: [{ userId: 'bob', teamRole: 'RESEARCH_TEAM' }] });
    await service.close(alice, ID, { reason: 'Done early' });
    await service.revoke(rita, ID, { reason: 'Breach of terms' });
    expect(engine.correlated.map((c) => [c.name, c.variables])).toEqual([
      [MESSAGES.suspensionRequested, { suspensionReason: 'Security incident', suspendedBy: 'rita' }],
      [MESSAGES.resumeRequested, { resumedBy: 'adam', resumeReason: null }],
      [MESSAGES.amendmentRequested, { amendment: { summary: 'Add Bob', addMembers: [{ userId: 'bob', teamRole: 'RESEARCH_TEAM' }] }, amendmentRequestedBy: 'alice' }],
      [MESSAGES.analysisCloseRequested, { closeRequestedBy: 'alice', closeReason: 'Done early' }],
      [MESSAGES.revocationRequested, { revocationReason: 'Breach of terms', revokedBy: 'rita' }],
    ]);
    expect(permits.audits.map((a) => a.action)).toEqual(['permit.suspend', 'permit.resume', 'permit.request-amendment', 'permit.close', 'permit.revoke']);
  });

  it('sends a new end date given as a calendar date as the end of that day (the timers need a date-time)', async () => {
    const sent = async (validUntil: string) => {
      const { engine, service } = setup();
      engine.expectMessage(MESSAGES.amendmentRequested, ID);
      await service.requestAmendment(alice, ID, { summary: 'Longer', validUntil });
      return (engine.correlated[0]?.variables.amendment as { validUntil: string }).validUntil;
    };
    expect(await sent('2028-01-31')).toBe('2028-01-31T23:59:59.999Z');
    expect(await sent('2028-01-31T12:00:00+01:00')).toBe('2028-01-31T12:00:00+01:00');
  });

  it('refuses researchers suspending and resuming a permit that is not suspended', async () => {
    const { service } = setup();
    await expect(service.suspend(alice, ID, { reason: 'because' })).rejects.toBeInstanceOf(ForbiddenError);
    await expect(service.resume(rita, ID, {})).rejects.toBeInstanceOf(InvalidTransitionError);
  });
});
