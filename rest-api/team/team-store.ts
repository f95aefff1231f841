/**
 * What the team feature writes (the port): team membership. Every change bumps the permit's version (its ETag) in the same transaction as the
 * member rows and the audit entry, guarded by the version the caller read (`expectedVersion`), so two HDAB
 * members editing the team at once cannot both win on a stale view. Each change also writes the event
 * `permit.members.changed` to the outbox, which the workspace service follows to update the access list at once.
 * `createKnexTeamStore` implements it on `db/`, `createFakeTeamStore` in memory for unit tests.
 */
import type { TeamRole } from '../../shared/index.js';
import type { EngineCommand, Member } from '../../db/index.js';
import type { CommandDelivery } from '../permits/engine-command-relay.js';
import type { AuditInput } from '../permits/permit-store.js';

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

/**
 * The message a team change owes the permit's process (opening ingress names the data holders it adds), recorded
 * as an engine command in the change's transaction and published after its commit (docs/adr/0006-engine-commands.md).
 */
export interface OwedMessage {
  /** Its id is the intent's key: an audit entry under that key already there is the same intent again (409). */
  command: EngineCommand;
  /** The permit version the caller's checks were made against: the change holds only while the permit is at it. */
  checkedVersion: number;
  /** The intent's audit entry, written under the command's id. */
  audit: Omit<AuditInput, 'idempotencyKey'>;
  /** A message the process waits for once in a permit's life: refused when it was already sent (pending or delivered). */
  oncePerPermit?: boolean;
  /** The request in words, for the 409s (e.g. "opening ingress"). */
  what: string;
}

export interface TeamStore {
  /** Adds members that are not there yet; returns the rows added (existing ones are left alone). */
  add(change: MemberChange): Promise<Member[]>;
  /**
   * `add` and the message it owes the process, one transaction with the permit row locked: refuses (409, or 412 for a
   * stale If-Match) and writes nothing when the intent was already recorded, the permit moved since the checks,
   * another engine command of the permit is pending, the guard refuses, or (`oncePerPermit`) the message was already
   * sent. After the commit `deliver` publishes the command; a failed delivery leaves it to the engine-command relay.
   */
  addAndSend(change: MemberChange, message: OwedMessage, deliver: (command: EngineCommand) => Promise<void>): Promise<{ added: Member[]; delivery: CommandDelivery }>;
  /** Removes one membership; false when there was none. */
  remove(change: MemberChange & { members: readonly [{ userId: string; teamRole: TeamRole }] }): Promise<boolean>;
  countRole(permitId: string, teamRole: TeamRole): Promise<number>;
}
