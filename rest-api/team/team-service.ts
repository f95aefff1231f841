/**
 * A permit's team: who is on it in which role. Anyone who sees the permit sees its team; the HDAB team and
 * administrators change it (action `manage-members`). Whoever joins must be known to the user directory with the
 * team's role and on no other team of the permit (member-rules.ts). The last HDAB_TEAM member cannot be removed,
 * or nobody could review the permit any more. A refused change writes nothing (no version bump, no audit entry).
 */
import { ConflictError, NotFoundError, type TeamRole } from '../../shared/index.js';
import type { Member } from '../../db/index.js';
import type { Caller } from '../identity/caller.js';
import type { PermitAccess } from '../permits/permit-access.js';
import type { PermitStore } from '../permits/permit-store.js';
import { prepareTeamCheck } from './member-rules.js';
import type { TeamStore } from './team-store.js';
import type { UserDirectory } from './user-directory-port.js';

export interface TeamServiceDeps {
  access: PermitAccess;
  permits: Pick<PermitStore, 'members'>;
  store: TeamStore;
  directory: UserDirectory;
}

export type TeamService = ReturnType<typeof createTeamService>;

export function createTeamService(deps: TeamServiceDeps) {
  return {
    async list(caller: Caller, permitId: string): Promise<Member[]> {
      await deps.access.load(caller, permitId);
      return deps.permits.members(permitId);
    },

    async add(caller: Caller, permitId: string, member: { userId: string; teamRole: TeamRole }, expectedVersion?: number): Promise<Member> {
      await deps.access.forAction(caller, permitId, 'manage-members', expectedVersion);
      const check = await prepareTeamCheck(deps.directory, [{ ...member, path: 'body.userId' }]);
      const [added] = await deps.store.add({
        permitId,
        members: [member],
        actor: caller.userId,
        expectedVersion,
        auditAction: 'team.member-added',
        guard: check,
      });
      if (!added) throw new ConflictError(`${member.userId} is already on permit ${permitId} as ${member.teamRole}.`, { ...member, permitId });
      return added;
    },

    async remove(caller: Caller, permitId: string, member: { userId: string; teamRole: TeamRole }, expectedVersion?: number): Promise<void> {
      await deps.access.forAction(caller, permitId, 'manage-members', expectedVersion);
      if (member.teamRole === 'HDAB_TEAM' && (await deps.store.countRole(permitId, 'HDAB_TEAM')) <= 1) {
        const members = await deps.permits.members(permitId);
        if (members.some((m) => m.userId === member.userId && m.teamRole === 'HDAB_TEAM')) {
          throw new ConflictError(`${member.userId} is the last member of permit ${permitId}'s HDAB team; add another HDAB member first.`, { ...member, permitId });
        }
      }
      const removed = await deps.store.remove({ permitId, members: [member], actor: caller.userId, expectedVersion, auditAction: 'team.member-removed' });
      if (!removed) throw new NotFoundError(`${member.userId} is not on permit ${permitId} as ${member.teamRole}.`, { ...member, permitId });
    },
  };
}
