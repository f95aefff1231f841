/**
 * The REST API's port to the permits (`PermitStore`): what the Permit Manager's features read and write, as plain
 * objects, and the types it takes and returns. Interface only (docs/adr/0007-code-conventions.md): the knex
 * implementation is `knex-permit-store.ts`, the in-memory one for unit tests `fake-permit-store.ts`. Status changes
 * are not made here: the process engine's `permit.set-status` worker makes them through `transitionPermit`.
 */
import type { PermitStatus, TeamRole } from '../../shared/index.js';
import type { EngineCommand, Member, Permit, StatusHistoryEntry } from '../../db/index.js';

export interface NewPermit {
  id: string;
  title: string;
  purpose: string;
  validFrom: string | null;
  validUntil: string;
  deletionGracePeriod: string | null;
  createdBy: string;
}

/** An `Idempotency-Key` as the request holds it (rest-api/platform/idempotency-key.ts). */
export interface IdempotencyScope {
  caller: string;
  key: string;
}

export interface NewMember {
  userId: string;
  teamRole: TeamRole;
}

export interface PermitListQuery {
  /** Only permits this user is a member of; undefined = all (administrators). */
  memberId?: string;
  status?: PermitStatus;
  /** Case-insensitive substring of title or purpose. */
  q?: string;
  limit: number;
  offset: number;
}

/** The application's fields a DRAFT edit may change (columns as the permit carries them). */
export interface DraftFields {
  title: string;
  purpose: string;
  validFrom: string | null;
  validUntil: string;
  deletionGracePeriod: string | null;
}

export interface DraftEdit {
  permitId: string;
  /** Only the fields that change. */
  changes: Partial<DraftFields>;
  /** The version the change was checked against; the UPDATE holds only while the permit is still at it. */
  version: number;
  audit: AuditInput;
}

export interface AuditInput {
  actor: string;
  action: string;
  permitId?: string;
  details?: Record<string, unknown>;
  idempotencyKey?: string;
}

export interface PermitStore {
  findById(id: string): Promise<Permit | undefined>;
  /** The permit and the user's team roles on it, in one round trip (every permit request starts with this). */
  findWithTeamRoles(id: string, userId: string): Promise<{ permit: Permit; teamRoles: TeamRole[] } | undefined>;
  findByIds(ids: readonly string[]): Promise<Permit[]>;
  /** The caller's team roles on the permit (empty when not a member). */
  teamRolesOf(permitId: string, userId: string): Promise<TeamRole[]>;
  /** Ids of the permits on which the user holds `teamRole`. */
  permitIdsOf(userId: string, teamRole: TeamRole): Promise<string[]>;
  /**
   * Inserts a DRAFT permit, its first members and the command to start its lifecycle process (`start`, kind
   * `process-start`, in `engine_commands`) in one transaction. With an `Idempotency-Key` (the caller's, held by the
   * request), the same transaction binds the key to the new permit; when an earlier request under that key already
   * created one (it died before its answer was stored), answers that permit and inserts nothing.
   */
  createDraft(permit: NewPermit, members: readonly NewMember[], idempotency?: IdempotencyScope, start?: EngineCommand): Promise<Permit>;
  /** The permit's lifecycle start command while it is still pending (its process not attached yet). */
  pendingStartOf(permitId: string): Promise<EngineCommand | undefined>;
  /**
   * Takes the lease on a pending start command for `ms` (docs/adr/0006-engine-commands.md, "Starting the lifecycle
   * process"). False when it is done or another starter holds it.
   */
  leaseStart(messageId: string, ms: number): Promise<boolean>;
  /**
   * One transaction: links the lifecycle process instance unless the permit already has one, records the creation in
   * the audit log (only when it linked), and marks the start command `commandId` delivered. Answers the permit as it
   * now is: its `processInstanceKey` is the one that was linked first.
   */
  attachProcess(permitId: string, processInstanceKey: string, audit: AuditInput, commandId?: string): Promise<Permit>;
  /**
   * Changes a DRAFT's fields in one transaction: `UPDATE … WHERE id = ? AND status = 'DRAFT' AND version = ?` with the
   * version bump, the audit entry and the event `permit.draft.edited`. Answers the permit as it now is, or undefined
   * when the permit is no longer a DRAFT at that version (someone moved first; nothing was written).
   */
  editDraft(edit: DraftEdit): Promise<Permit | undefined>;
  /** Removes a draft whose process could not be started. */
  deleteDraft(permitId: string): Promise<void>;
  list(query: PermitListQuery): Promise<{ items: Permit[]; total: number }>;
  history(permitId: string): Promise<StatusHistoryEntry[]>;
  members(permitId: string): Promise<Member[]>;
  audit(entry: AuditInput): Promise<void>;
  /**
   * One effect per intent, handed to the process exactly once (docs/adr/0006-engine-commands.md). First, in one
   * transaction: locks the permit row; unless the audit log already holds `intentKey(version)` (the same intent at
   * the permit's current version: `'duplicate'`) or another of the permit's engine commands is still pending
   * (`'busy'`), appends the audit entry under that key and records the engine command (`engine_commands`, with the
   * key as its message id); commits. Then `deliver` publishes it and the command is marked delivered. A `deliver`
   * that throws, or a mark that fails, leaves the command pending (`'pending'`, with the error): the engine-command
   * relay delivers it again, and the engine refuses a message id it already took, so the process gets it once.
   */
  runOnce(
    input: { permitId: string; intentKey: (version: number) => string; audit: AuditInput; command: IntentCommand },
    deliver: (command: EngineCommand) => Promise<void>,
  ): Promise<IntentOutcome>;
}

/** The message an intent owes the process (its id is the intent key). */
export interface IntentCommand {
  messageName: string;
  correlationKey: string;
  variables: Record<string, unknown>;
}

export type IntentOutcome =
  | { outcome: 'delivered'; command: EngineCommand }
  | { outcome: 'pending'; command: EngineCommand; error: unknown }
  | { outcome: 'duplicate' | 'busy' | 'missing' };
