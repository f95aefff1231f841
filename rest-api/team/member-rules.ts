/**
 * The team rules (shared/team-rules.ts) at the REST edge: every request that puts people on a permit's teams
 * checks them here, before anything is written. Unknown people and people without the team's role are bad input
 * (400, one error per id with the request path it came from); someone already on another team of the permit is a
 * conflict with the permit's state (409).
 */
import { ConflictError, ValidationError } from '../../shared/index.js';
import { checkTeamAdditions, describeTeamRuleViolation, type KnownUser, type TeamMembership } from '../../shared/team-rules.js';
import type { UserDirectory } from './user-directory-port.js';

export interface MemberAddition extends TeamMembership {
  /** Where the id is in the request, e.g. `body.members[0].userId`, for the problem's `errors`. */
  path: string;
}

/**
 * Looks the people up in the directory and returns the check of `additions` against a permit's members, which
 * throws when any addition breaks a team rule. Split in two so the check can run inside a transaction that holds
 * the permit row (and, on PGlite, the only connection) without reading anything else.
 */
export async function prepareTeamCheck(directory: UserDirectory, additions: readonly MemberAddition[]): Promise<(current: readonly TeamMembership[]) => void> {
  const known = new Map<string, KnownUser>(additions.length === 0 ? [] : (await directory.find(additions.map((a) => a.userId))).map((user) => [user.userId, user]));
  return (current) => assertAdditions(additions, current, known);
}

/**
 * Throws when any addition breaks a team rule; `current` are the permit's members (after removals of the same
 * change). Resolves when all may be added (including people already on that very team).
 */
export async function assertTeamAdditions(directory: UserDirectory, additions: readonly MemberAddition[], current: readonly TeamMembership[]): Promise<void> {
  (await prepareTeamCheck(directory, additions))(current);
}

function assertAdditions(additions: readonly MemberAddition[], current: readonly TeamMembership[], known: ReadonlyMap<string, KnownUser>): void {
  if (additions.length === 0) return;
  const violations = checkTeamAdditions(additions, current, known);
  const errors = violations
    .filter((v) => v.kind !== 'other-team')
    .map((v) => ({ path: additions[v.index]?.path ?? 'body', message: describeTeamRuleViolation(v) }));
  if (errors.length > 0) {
    throw new ValidationError(`These people cannot join the permit's teams: ${errors.map((e) => e.message).join('; ')}.`, { errors });
  }
  const conflicts = violations.map((v) => ({ userId: v.userId, teamRole: v.teamRole, message: describeTeamRuleViolation(v) }));
  if (conflicts.length > 0) {
    throw new ConflictError(`${conflicts.map((c) => c.message).join('; ')}.`, { conflicts });
  }
}

/** The directory, plus the caller as their token says (the person asking is known, whether or not recorded yet). */
export function withCaller(directory: UserDirectory, caller: { userId: string; roles: readonly string[] }): UserDirectory {
  return {
    async find(userIds) {
      const others = await directory.find(userIds.filter((id) => id !== caller.userId));
      return userIds.includes(caller.userId) ? [...others, { userId: caller.userId, roles: caller.roles }] : others;
    },
  };
}
