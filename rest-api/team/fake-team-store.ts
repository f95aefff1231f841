/** In-memory TeamStore on a FakePermitStore's members, for unit tests. */
import { PreconditionFailedError } from '../../shared/index.js';
import type { Member } from '../../db/index.js';
import type { FakePermitStore } from '../permits/fake-permit-store.js';
import type { TeamStore } from './team-store.js';

export function createFakeTeamStore(permits: FakePermitStore): TeamStore {
  const bump = (permitId: string, expectedVersion: number | undefined): void => {
    const permit = permits.permits.get(permitId);
    if (!permit) throw new Error(`no permit ${permitId}`);
    if (expectedVersion !== undefined && permit.version !== expectedVersion) throw new PreconditionFailedError('stale');
    permits.permits.set(permitId, { ...permit, version: permit.version + 1 });
  };
  return {
    async add(change, confirm) {
      const before = { members: [...permits.memberRows], permit: permits.permits.get(change.permitId), audits: permits.audits.length };
      const added: Member[] = [];
      try {
        change.guard?.(permits.memberRows.filter((r) => r.permitId === change.permitId));
        for (const m of change.members) {
          if (permits.memberRows.some((r) => r.permitId === change.permitId && r.userId === m.userId && r.teamRole === m.teamRole)) continue;
          const row = { permitId: change.permitId, userId: m.userId, teamRole: m.teamRole, addedBy: change.actor, addedAt: new Date().toISOString() };
          permits.memberRows.push(row);
          added.push(row);
        }
        if (added.length > 0) {
          bump(change.permitId, change.expectedVersion);
          permits.audits.push({ actor: change.actor, action: change.auditAction, permitId: change.permitId, details: { members: added } });
        }
        await confirm?.();
        return added;
      } catch (error) {
        // Roll back, as the transaction would.
        permits.memberRows = before.members;
        if (before.permit) permits.permits.set(change.permitId, before.permit);
        permits.audits.length = before.audits;
        throw error;
      }
    },
    async remove(change) {
      const [m] = change.members;
      const index = permits.memberRows.findIndex((r) => r.permitId === change.permitId && r.userId === m.userId && r.teamRole === m.teamRole);
      if (index < 0) return false;
      bump(change.permitId, change.expectedVersion);
      permits.memberRows.splice(index, 1);
      permits.audits.push({ actor: change.actor, action: change.auditAction, permitId: change.permitId, details: { member: m } });
      return true;
    },
    async countRole(permitId, teamRole) {
      return permits.memberRows.filter((r) => r.permitId === permitId && r.teamRole === teamRole).length;
    },
  };
}
