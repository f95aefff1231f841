/**
 * Who may be on which team of a permit, as data and one pure check, shared by the REST API (every request that
 * sets members) and the `permit.apply-amendment` worker (which applies member changes approved weeks earlier):
 * - a team holds only people with its token role (`TEAM_MEMBER_ROLES`), as the user directory knows them;
 * - a person is on at most one team of a permit (so a researcher can never review their own application);
 * - a person the user directory does not know cannot be added at all.
 */
import type { Role, TeamRole } from './decisions.js';

/** The token role a person needs to be put on each team. */
export const TEAM_MEMBER_ROLES = {
  RESEARCH_TEAM: 'researcher',
  HDAB_TEAM: 'hdab-reviewer',
  DATA_HOLDER: 'data-holder',
} as const satisfies Record<TeamRole, Role>;

/** A person as the user directory knows them: their id and the token roles they last had. */
export interface KnownUser {
  userId: string;
  roles: readonly string[];
}

export interface TeamMembership {
  userId: string;
  teamRole: TeamRole;
}

export type TeamRuleViolation =
  | { kind: 'unknown-user'; index: number; userId: string; teamRole: TeamRole }
  | { kind: 'wrong-role'; index: number; userId: string; teamRole: TeamRole; needs: Role; has: readonly string[] }
  | { kind: 'other-team'; index: number; userId: string; teamRole: TeamRole; onTeam: TeamRole };

/**
 * What is wrong with adding `additions` (in request order; `index` points into it) to a permit whose members are
 * `current` (after any removals of the same change). Adding someone to the team they are already on is no
 * violation (callers treat it as "nothing to add"); naming one person for two teams in one change is.
 */
export function checkTeamAdditions(additions: readonly TeamMembership[], current: readonly TeamMembership[], directory: ReadonlyMap<string, KnownUser>): TeamRuleViolation[] {
  const violations: TeamRuleViolation[] = [];
  const teamOf = new Map<string, TeamRole>();
  for (const member of current) if (!teamOf.has(member.userId)) teamOf.set(member.userId, member.teamRole);
  additions.forEach(({ userId, teamRole }, index) => {
    const known = directory.get(userId);
    if (!known) {
      violations.push({ kind: 'unknown-user', index, userId, teamRole });
      return;
    }
    const needs = TEAM_MEMBER_ROLES[teamRole];
    if (!known.roles.includes(needs)) {
      violations.push({ kind: 'wrong-role', index, userId, teamRole, needs, has: known.roles });
      return;
    }
    const onTeam = teamOf.get(userId);
    if (onTeam !== undefined && onTeam !== teamRole) {
      violations.push({ kind: 'other-team', index, userId, teamRole, onTeam });
      return;
    }
    teamOf.set(userId, teamRole);
  });
  return violations;
}

const TEAM_WORDS: Record<TeamRole, string> = { RESEARCH_TEAM: 'research team', HDAB_TEAM: 'HDAB team', DATA_HOLDER: 'data holders' };

/** How a person becomes known to the platform, for messages about unknown ids. */
export const HOW_USERS_BECOME_KNOWN = 'a person becomes known when they first sign in to the Permit Manager, or when an administrator registers them (POST /api/users)';

/** A violation in words, for the person who asked (problem details) or the operator (incidents). */
export function describeTeamRuleViolation(violation: TeamRuleViolation): string {
  switch (violation.kind) {
    case 'unknown-user':
      return `"${violation.userId}" is not a known user, so they cannot join the ${TEAM_WORDS[violation.teamRole]}; ${HOW_USERS_BECOME_KNOWN}`;
    case 'wrong-role':
      return `"${violation.userId}" cannot join the ${TEAM_WORDS[violation.teamRole]}: it holds only people with the role ${violation.needs}, and they have ${violation.has.length > 0 ? violation.has.join(', ') : 'no role'}`;
    case 'other-team':
      return `"${violation.userId}" is already on this permit's ${TEAM_WORDS[violation.onTeam]}; a person may be on only one team of a permit (remove them there first)`;
  }
}
