import { describe, expect, it } from 'vitest';
import { ConflictError, ForbiddenError, NotFoundError, PreconditionFailedError, ValidationError } from '../../shared/index.js';
import type { Caller } from '../identity/caller.js';
import { createPermitAccess } from '../permits/permit-access.js';
import { createFakePermitStore } from '../permits/fake-permit-store.js';
import { createFakeTeamFeature } from './create-team-feature.js';

const alice: Caller = { userId: 'alice', name: 'Alice', roles: ['researcher'] };
const rita: Caller = { userId: 'rita', name: 'Rita', roles: ['hdab-reviewer'] };
const adam: Caller = { userId: 'adam', name: 'Adam', roles: ['admin'] };
const ID = 'bbbbbbbb-0000-4000-8000-000000000001';

function setup() {
  const permits = createFakePermitStore();
  permits.seed({ id: ID, status: 'APPROVED' }, [
    { userId: 'alice', teamRole: 'RESEARCH_TEAM' },
    { userId: 'rita', teamRole: 'HDAB_TEAM' },
    { userId: 'hank', teamRole: 'RESEARCH_TEAM' },
  ]);
  const { service, directory } = createFakeTeamFeature({ access: createPermitAccess(permits), permits });
  directory.add('bob', ['researcher']);
  directory.add('hank', ['researcher', 'hdab-reviewer']);
  /** Version and audit count: a refused change leaves both as they were. */
  const state = () => ({ version: permits.permits.get(ID)?.version, audits: permits.audits.length, members: permits.memberRows.length });
  return { permits, service, state };
}

describe('team service', () => {
  it('shows the team to members; HDAB team and admins change it, bumping the permit version', async () => {
    const { permits, service } = setup();
    expect((await service.list(alice, ID)).map((m) => m.userId)).toEqual(['alice', 'rita', 'hank']);
    await service.add(rita, ID, { userId: 'bob', teamRole: 'RESEARCH_TEAM' }, 1);
    expect(permits.permits.get(ID)?.version).toBe(2);
    await service.add(adam, ID, { userId: 'victor', teamRole: 'HDAB_TEAM' });
    await service.add(rita, ID, { userId: 'dana', teamRole: 'DATA_HOLDER' });
    await service.remove(rita, ID, { userId: 'bob', teamRole: 'RESEARCH_TEAM' });
    expect(permits.audits.map((a) => a.action)).toEqual(['team.member-added', 'team.member-added', 'team.member-added', 'team.member-removed']);
  });

  it('refuses researchers, stale versions, duplicates and removing the last HDAB member', async () => {
    const { service } = setup();
    await expect(service.add(alice, ID, { userId: 'bob', teamRole: 'RESEARCH_TEAM' })).rejects.toBeInstanceOf(ForbiddenError);
    await expect(service.add(rita, ID, { userId: 'bob', teamRole: 'RESEARCH_TEAM' }, 9)).rejects.toBeInstanceOf(PreconditionFailedError);
    await expect(service.add(rita, ID, { userId: 'alice', teamRole: 'RESEARCH_TEAM' })).rejects.toBeInstanceOf(ConflictError);
    await expect(service.remove(rita, ID, { userId: 'rita', teamRole: 'HDAB_TEAM' })).rejects.toBeInstanceOf(ConflictError);
  });

  it('refuses an unknown person with the id and how people become known, changing nothing', async () => {
    const { service, state } = setup();
    const before = state();
    const error = await service.add(rita, ID, { userId: 'zoe', teamRole: 'RESEARCH_TEAM' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).details.errors).toEqual([{ path: 'body.userId', message: expect.stringMatching(/^"zoe" is not a known user.*first sign in/) }]);
    expect(state()).toEqual(before);
  });

  it('refuses someone without the role of the team, changing nothing', async () => {
    const { service, state } = setup();
    const before = state();
    await expect(service.add(rita, ID, { userId: 'dana', teamRole: 'HDAB_TEAM' })).rejects.toThrow(/"dana" cannot join the HDAB team: it holds only people with the role hdab-reviewer, and they have data-holder/);
    await expect(service.add(rita, ID, { userId: 'victor', teamRole: 'RESEARCH_TEAM' })).rejects.toBeInstanceOf(ValidationError);
    await expect(service.add(adam, ID, { userId: 'alice', teamRole: 'DATA_HOLDER' })).rejects.toBeInstanceOf(ValidationError);
    expect(state()).toEqual(before);
  });

  it('refuses a second team of the same permit with 409, changing nothing', async () => {
    const { service, state } = setup();
    const before = state();
    const error = await service.add(rita, ID, { userId: 'hank', teamRole: 'HDAB_TEAM' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConflictError);
    expect((error as ConflictError).message).toMatch(/"hank" is already on this permit's research team; a person may be on only one team/);
    expect(state()).toEqual(before);
  });

  it('answers 404 for removing someone not on that team, without a version bump or audit entry', async () => {
    const { service, state } = setup();
    const before = state();
    await expect(service.remove(rita, ID, { userId: 'zed', teamRole: 'RESEARCH_TEAM' })).rejects.toBeInstanceOf(NotFoundError);
    await expect(service.remove(rita, ID, { userId: 'alice', teamRole: 'HDAB_TEAM' })).rejects.toBeInstanceOf(NotFoundError);
    expect(state()).toEqual(before);
  });
});
