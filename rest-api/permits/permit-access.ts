/**
 * Who sees a permit and may act on it. A caller sees a permit when they hold any team role on it, or are an
 * administrator; anyone else gets 404, as if it did not exist. Acting on it additionally needs a matching
 * If-Match version (412) and the action table's blessing (403 / 409, see permit-actions.ts).
 */
import { NotFoundError, PreconditionFailedError, type TeamRole } from '../../shared/index.js';
import type { Permit } from '../../db/index.js';
import type { Caller } from '../identity/caller.js';
import { allowedActionsFor, assertActionAllowed, type PermitAction } from './permit-actions.js';
import type { PermitStore } from './permit-store.js';

export interface PermitContext {
  permit: Permit;
  /** The caller's team roles on this permit. */
  membership: TeamRole[];
}

/** A permit as the API returns it: the row, the caller's roles on it and what they may do now. */
export interface PermitView extends Permit {
  myTeamRoles: TeamRole[];
  allowedActions: PermitAction[];
}

export interface PermitAccess {
  /** The permit and the caller's membership; 404 when the permit does not exist or the caller may not see it. */
  load(caller: Caller, permitId: string): Promise<PermitContext>;
  /** `load` + If-Match (`expectedVersion`, 412) + the action guard (403, 409). */
  forAction(caller: Caller, permitId: string, action: PermitAction, expectedVersion?: number): Promise<PermitContext>;
  /** Reads the permit again (after a change) as a view. */
  reload(caller: Caller, permitId: string): Promise<PermitView>;
}

export function isAdmin(caller: Caller): boolean {
  return caller.roles.includes('admin');
}

export function toPermitView(context: PermitContext, caller: Caller): PermitView {
  return { ...context.permit, myTeamRoles: context.membership, allowedActions: allowedActionsFor(context.permit, caller, context.membership) };
}

export function checkVersion(permit: Permit, expectedVersion: number | undefined): void {
  if (expectedVersion !== undefined && expectedVersion !== permit.version) {
    throw new PreconditionFailedError(
      `Permit ${permit.id} has changed: its current ETag is "${permit.version}" but If-Match named "${expectedVersion}". Read it again and retry.`,
      { currentVersion: permit.version, currentETag: `"${permit.version}"` },
    );
  }
}

export function createPermitAccess(store: Pick<PermitStore, 'findWithTeamRoles'>): PermitAccess {
  async function load(caller: Caller, permitId: string): Promise<PermitContext> {
    const found = await store.findWithTeamRoles(permitId, caller.userId);
    if (!found || (found.teamRoles.length === 0 && !isAdmin(caller))) {
      throw new NotFoundError(`Permit ${permitId} does not exist or you are not on its team.`, { permitId });
    }
    return { permit: found.permit, membership: found.teamRoles };
  }
  return {
    load,
    async forAction(caller, permitId, action, expectedVersion) {
      const context = await load(caller, permitId);
      checkVersion(context.permit, expectedVersion);
      assertActionAllowed(action, context.permit, caller, context.membership);
      return context;
    },
    async reload(caller, permitId) {
      return toPermitView(await load(caller, permitId), caller);
    },
  };
}
