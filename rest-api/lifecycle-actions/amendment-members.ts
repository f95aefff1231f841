/**
 * The team rules for an amendment's member changes, checked when it is requested (the HDAB then reviews a change
 * that can be applied): the research team may change only the research team (only the HDAB team or an
 * administrator touches HDAB members and data holders), and everyone added must be a known person with the
 * team's role, on no other team of the permit once the amendment's removals are done. `permit.apply-amendment`
 * checks the same rules again when it applies the change.
 */
import { ForbiddenError, type TeamRole } from '../../shared/index.js';
import type { Caller } from '../identity/caller.js';
import { isAdmin, type PermitContext } from '../permits/permit-access.js';
import type { PermitStore } from '../permits/permit-store.js';
import { assertTeamAdditions } from '../team/member-rules.js';
import type { UserDirectory } from '../team/user-directory-port.js';

export interface AmendmentMembers {
  addMembers?: { userId: string; teamRole: string }[] | undefined;
  removeMembers?: { userId: string; teamRole?: string | undefined }[] | undefined;
}

export interface AmendmentMembersDeps {
  directory: UserDirectory;
  permits: Pick<PermitStore, 'members'>;
}

export async function assertAmendmentMembers(deps: AmendmentMembersDeps, caller: Caller, context: PermitContext, amendment: AmendmentMembers): Promise<void> {
  const additions = (amendment.addMembers ?? []).map((m, index) => ({ userId: m.userId, teamRole: m.teamRole as TeamRole, path: `body.addMembers[${index}].userId` }));
  const removals = amendment.removeMembers ?? [];
  if (additions.length === 0 && removals.length === 0) return;
  const members = await deps.permits.members(context.permit.id);
  const removed = (m: { userId: string; teamRole: TeamRole }) => removals.some((r) => r.userId === m.userId && (r.teamRole === undefined || r.teamRole === m.teamRole));

  if (!isAdmin(caller) && !context.membership.includes('HDAB_TEAM')) {
    const beyondResearch = [
      ...additions.filter((a) => a.teamRole !== 'RESEARCH_TEAM').map((a) => `add ${a.userId} as ${a.teamRole}`),
      ...removals.filter((r) => r.teamRole !== undefined && r.teamRole !== 'RESEARCH_TEAM').map((r) => `remove ${r.userId} from ${r.teamRole}`),
      ...members.filter((m) => m.teamRole !== 'RESEARCH_TEAM' && removals.some((r) => r.userId === m.userId && r.teamRole === undefined)).map((m) => `remove ${m.userId} from ${m.teamRole}`),
    ];
    if (beyondResearch.length > 0) {
      throw new ForbiddenError(
        `Only the HDAB team of permit ${context.permit.id} or an administrator may change its HDAB team and data holders; your amendment would ${beyondResearch.join(', ')}. Ask for research-team changes only.`,
        { permitId: context.permit.id },
      );
    }
  }
  await assertTeamAdditions(deps.directory, additions, members.filter((m) => !removed(m)));
}
