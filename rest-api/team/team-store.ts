/**
 * What the team feature writes (the port): team membership. Every change bumps the permit's version (its ETag) in the same transaction as the
 * member rows and the audit entry, guarded by the version the caller read (`expectedVersion`), so two HDAB
 * members editing the team at once cannot both win on a stale view. Each change also writes the event
 * `permit.members.changed` to the outbox, which the workspace service follows to update the access list at once.
 * `createKnexTeamStore` implements it on `db/`, `createFakeTeamStore` in memory for unit tests.
 */
import type { TeamRole } from '../../shared/index.js';
import type { Member } from '../../db/index.js';

export interface MemberChange {
  permitId: string;
  members: readonly { userId: string; teamRole: TeamRole }[];
  actor: string;
  expectedVersion?: number | undefined;
  /** Audit action, e.g. `team.member-added`. */
  auditAction: string;
  details?: Record<string, unknown>;
  /**
   * Runs in the transaction, after the permit row is locked, with the permit's current members; throwing refuses
   * the change before anything is written. Two requests adding the same person to two teams cannot both pass it.
   * It must not query the database itself (on PGlite the transaction holds the only connection).
   */
  guard?: (members: readonly Member[]) => void;
}

export interface TeamStore {
  /** Adds members that are not there yet; returns the rows added (existing ones are left alone). */
  add(change: MemberChange, confirm?: () => Promise<void>): Promise<Member[]>;
  /** Removes one membership; false when there was none. */
  remove(change: MemberChange & { members: readonly [{ userId: string; teamRole: TeamRole }] }): Promise<boolean>;
  countRole(permitId: string, teamRole: TeamRole): Promise<number>;
}
