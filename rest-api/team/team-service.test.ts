import { describe, expect, it } from 'vitest';
import { ConflictError, ForbiddenError, NotFoundError, PreconditionFailedError } from '../../shared/index.js';
import type { Caller } from '../identity/caller.js';
import { createPermitAccess } from '../permits/permit-access.js';
import { createFakePermitStore } from '../permits/fake-permit-store.js';
import { createFakeTeamStore } from './fake-team-store.js';
import { createTeamService } from './team-service.js';

const alice: Caller = { userId: 'alice', name: 'Alice', roles: ['researcher'] };
const rita: Caller = { userId: 'rita', name: 'Rita', roles: ['hdab-reviewer'] };
const adam: Caller = { userId: 'adam', name: 'Adam', roles: ['admin'] };
const ID = 'bbbbbbbb-0000-4000-8000-000000000001';

function setup() {
  const permits = createFakePermitStore();
  permits.seed({ id: ID, status: 'APPROVED' }, [
    { userId: 'alice', teamRole: 'RESEARCH_TEAM' },
    { userId: 'rita', teamRole: 'HDAB_TEAM' },
  ]);
  const service = createTeamService({ access: createPermitAccess(permits), permits, store: createFakeTeamStore(permits) });
  return { permits, service };
}

describe('team service', () => {
  it('shows the team to members; HDAB team and admins change it, bumping the permit version', async () => {
    const { permits, service } = setup();
    expect((await service.list(alice, ID)).map((m) => m.userId)).toEqual(['alice', 'rita']);
    await service.add(rita, ID, { userId: 'bob', teamRole: 'RESEARCH_TEAM' }, 1);
    expect(permits.permits.get(ID)?.version).toBe(2);
    await service.add(adam, ID, { userId: 'victor', teamRole: 'HDAB_TEAM' });
    await service.remove(rita, ID, { userId: 'bob', teamRole: 'RESEARCH_TEAM' });
    expect(permits.audits.map((a) => a.action)).toEqual(['team.member-added', 'team.member-added', 'team.member-removed']);
  });

  it('refuses researchers, stale versions, duplicates, unknown members and removing the last HDAB member', async () => {
    const { service } = setup();
    await expect(service.add(alice, ID, { userId: 'bob', teamRole: 'RESEARCH_TEAM' })).rejects.toBeInstanceOf(ForbiddenError);
    await expect(service.add(rita, ID, { userId: 'bob', teamRole: 'RESEARCH_TEAM' }, 9)).rejects.toBeInstanceOf(PreconditionFailedError);
    await expect(service.add(rita, ID, { userId: 'alice', teamRole: 'RESEARCH_TEAM' })).rejects.toBeInstanceOf(ConflictError);
    await expect(service.remove(rita, ID, { userId: 'zed', teamRole: 'RESEARCH_TEAM' })).rejects.toBeInstanceOf(NotFoundError);
    await expect(service.remove(rita, ID, { userId: 'rita', teamRole: 'HDAB_TEAM' })).rejects.toBeInstanceOf(ConflictError);
  });
});
