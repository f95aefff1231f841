import { describe, expect, it } from 'vitest';
import { ConflictError, ForbiddenError, InvalidTransitionError, MESSAGES, ValidationError } from '../../shared/index.js';
import { createFakeEnginePort } from '../engine/fake-engine-port.js';
import type { Caller } from '../identity/caller.js';
import { createPermitAccess } from '../permits/permit-access.js';
import { createFakePermitStore } from '../permits/fake-permit-store.js';
import { createFakeUserDirectory } from '../team/fake-user-directory.js';
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
  const directory = createFakeUserDirectory();
  directory.add('bob', ['researcher']);
  directory.add('hank', ['researcher', 'hdab-reviewer']);
  return { permits, engine, service: createLifecycleActionsService({ access: createPermitAccess(permits), engine, permits, directory }) };
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
      [MESSAGES.amendmentRequested, { amendment: { summary: 'Add Bob', addMembers: [{ userId: 'bob', teamRole: 'RESEARCH_TEAM' }] }, amendmentRequestedBy: 'alice', amendmentRequesterName: 'Alice' }],
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

  it('lets the research team change only the research team through an amendment; the HDAB team changes any', async () => {
    const { permits, engine, service } = setup();
    engine.expectMessage(MESSAGES.amendmentRequested, ID);
    await expect(service.requestAmendment(alice, ID, { summary: 'More reviewers', addMembers: [{ userId: 'victor', teamRole: 'HDAB_TEAM' }] })).rejects.toThrow(
      /Only the HDAB team of permit .* or an administrator may change its HDAB team and data holders; your amendment would add victor as HDAB_TEAM/,
    );
    await expect(service.requestAmendment(alice, ID, { summary: 'No data holder', removeMembers: [{ userId: 'dana', teamRole: 'DATA_HOLDER' }] })).rejects.toBeInstanceOf(ForbiddenError);
    await expect(service.requestAmendment(alice, ID, { summary: 'Drop Rita', removeMembers: [{ userId: 'rita' }] })).rejects.toThrow(/remove rita from HDAB_TEAM/);
    expect(engine.correlated).toEqual([]);
    expect(permits.audits).toEqual([]);
    await service.requestAmendment(rita, ID, { summary: 'Second reviewer and a data holder', addMembers: [{ userId: 'victor', teamRole: 'HDAB_TEAM' }, { userId: 'dana', teamRole: 'DATA_HOLDER' }] });
    expect(engine.correlated).toHaveLength(1);
  });

  it('refuses amendments adding unknown people, the wrong role or someone on another team, sending nothing', async () => {
    const { permits, engine, service } = setup();
    engine.expectMessage(MESSAGES.amendmentRequested, ID);
    const unknown = await service.requestAmendment(alice, ID, { summary: 'Add Zoe', addMembers: [{ userId: 'bob', teamRole: 'RESEARCH_TEAM' }, { userId: 'zoe', teamRole: 'RESEARCH_TEAM' }] }).catch((e: unknown) => e);
    expect(unknown).toBeInstanceOf(ValidationError);
    expect((unknown as ValidationError).details.errors).toEqual([{ path: 'body.addMembers[1].userId', message: expect.stringMatching(/^"zoe" is not a known user/) }]);
    await expect(service.requestAmendment(rita, ID, { summary: 'Add Dana as reviewer', addMembers: [{ userId: 'dana', teamRole: 'HDAB_TEAM' }] })).rejects.toBeInstanceOf(ValidationError);
    permits.memberRows.push({ permitId: ID, userId: 'hank', teamRole: 'RESEARCH_TEAM', addedBy: 'x', addedAt: '' });
    await expect(service.requestAmendment(rita, ID, { summary: 'Hank reviews', addMembers: [{ userId: 'hank', teamRole: 'HDAB_TEAM' }] })).rejects.toBeInstanceOf(ConflictError);
    expect(engine.correlated).toEqual([]);
    // Moving someone between teams in one amendment is fine: the removal comes first.
    await service.requestAmendment(rita, ID, { summary: 'Hank moves to the HDAB team', removeMembers: [{ userId: 'hank', teamRole: 'RESEARCH_TEAM' }], addMembers: [{ userId: 'hank', teamRole: 'HDAB_TEAM' }] });
    expect(engine.correlated).toHaveLength(1);
  });

  it('refuses researchers suspending and resuming a permit that is not suspended', async () => {
    const { service } = setup();
    await expect(service.suspend(alice, ID, { reason: 'because' })).rejects.toBeInstanceOf(ForbiddenError);
    await expect(service.resume(rita, ID, {})).rejects.toBeInstanceOf(InvalidTransitionError);
  });
});
