/**
 * The team rules (shared/team-rules.ts) for an approved amendment's members, checked again when it is applied:
 * the REST API checked them when the amendment was requested, but the permit's teams and the user directory may
 * have changed while the HDAB reviewed it. A violation is no fault a retry fixes, so the store throws a
 * ValidationError (an incident at once, naming the people and the rule) and applies nothing.
 */
import { ValidationError } from '../../shared/index.js';
import { checkTeamAdditions, describeTeamRuleViolation, type KnownUser, type TeamMembership } from '../../shared/team-rules.js';
import type { Amendment } from './permit-worker-store.js';

/** The members left after the amendment's removals (a removal without team role takes every role of that user). */
export function membersAfterRemovals<M extends TeamMembership>(members: readonly M[], amendment: Amendment): M[] {
  const removals = amendment.removeMembers ?? [];
  return members.filter((m) => !removals.some((r) => r.userId === m.userId && (r.teamRole === undefined || r.teamRole === m.teamRole)));
}

export function assertAmendmentTeamRules(permitId: string, amendment: Amendment, members: readonly TeamMembership[], known: readonly KnownUser[]): void {
  const violations = checkTeamAdditions(amendment.addMembers ?? [], membersAfterRemovals(members, amendment), new Map(known.map((user) => [user.userId, user])));
  if (violations.length > 0) {
    throw new ValidationError(
      `The approved amendment of permit ${permitId} cannot be applied, its member changes break the team rules: ${violations.map(describeTeamRuleViolation).join('; ')}. Nothing was changed; fix the teams or the directory and retry the job, or cancel the amendment.`,
      { permitId, violations },
    );
  }
}
