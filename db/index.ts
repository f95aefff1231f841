/**
 * The Permit Manager database (`db/`): the only entry other components import.
 *
 * Where this API goes beyond context.md ("Permit Manager contract"), all additions, nothing removed:
 * - `Database` also has `dialect`, `schema`, `location`; `migrateLatest()` / `migrateDown(all = false)` return
 *   the migration names applied / reverted. `createDatabase` also takes `poolMax` (PostgreSQL pool, default 10).
 * - `transitionPermit`: a status mismatch against `expectedStatus` is a ConflictError (details.currentStatus);
 *   an `idempotencyKey` already in the audit log returns `{ changed: false }` (even after the permit moved on);
 *   when the guarded UPDATE loses a race to a change *to the same status*, the result is `{ changed: false }`,
 *   not a ConflictError. InvalidTransitionError carries `allowedActions: []` (actions are the API's words) and
 *   `details.allowedStatuses`. The domain `event` payload is `{ ...payload, ...statusChange }`.
 * - `transitionEgressRequest` (same shape): also takes `permitId` (must match, else NotFoundError) and
 *   `submittedBy` (written to `submitted_by`); result `{ request: EgressRequestRow, changed }`.
 * - `appendAudit` returns `{ entry: AuditEntry, created }` (`created: false` for a known idempotency key).
 *   `audit_log.seq` is a plain bigint assigned from `audit_chain_head` (no sequence), so seqs stay gapless
 *   when transactions roll back; only `appendAudit` writes the table.
 * - `verifyAuditLog` problems also carry `detail` (words); it takes `{ pageSize }`.
 * - `enqueueEvent` also takes `id` (idempotent write) and `occurredAt`; returns `{ id, created }`.
 * - Outbox relay: `claimUnpublished(knex, limit)`, `markPublished(knex, ids) → count`, `markFailed(knex, id, error)`.
 * - bigint columns come back as strings from pg and numbers from PGlite: use the mappers (`toNumber`).
 */
export { createDatabase, type CreateDatabaseOptions, type Database } from './create-database.js';
export { transitionPermit, type TransitionPermitInput, type TransitionPermitResult } from './permits/transition-permit.js';
export { transitionEgressRequest, type EgressReleasePolicy, type TransitionEgressRequestInput, type TransitionEgressRequestResult } from './egress/transition-egress-request.js';
export { appendAudit, type AppendAuditInput, type AppendAuditResult } from './audit/append-audit.js';
export { verifyAuditLog, type AuditProblem, type AuditProblemKind, type VerifyAuditLogResult } from './audit/verify-audit-log.js';
export { AUDIT_ACTIONS } from './audit/audit-actions.js';
export { canonicalJson } from './audit/canonical-json.js';
export { computeAuditHash, GENESIS_HASH } from './audit/audit-hash.js';
export { enqueueEvent, type EnqueueEventInput, type EnqueueEventResult } from './outbox/enqueue-event.js';
export { claimUnpublished, markFailed, markPublished } from './outbox/claim-unpublished.js';
export {
  ENGINE_COMMANDS_TABLE, leaseCommand, listPendingCommands, markCommandDelivered, markCommandFailed, markCommandStale, pendingCommandsOf, recordEngineCommand, toEngineCommand,
  type EngineCommand, type EngineCommandKind, type EngineCommandRow, type EngineCommandStatus, type StoredEngineCommand,
} from './outbox/engine-commands.js';
export { MIGRATIONS_TABLE, PERMIT_MIGRATIONS } from './migrations/permit-migrations.js';
export { TABLES, type TableRows } from './types.js';
// Each table's row types and mapper, from the code that owns the table (docs/adr/0007-code-conventions.md).
export { toIso, toIsoOrNull, toNumber, type BigIntValue, type TimestampValue } from './columns.js';
export { toPermit, toMember, toStatusHistoryEntry, type Member, type MemberRow, type Permit, type PermitRow, type StatusHistoryEntry, type StatusHistoryRow } from './permits/permit-rows.js';
export { toReviewDecision, type RecordedReviewDecision, type ReviewDecisionRow, type StageDecision } from './reviews/review-decision-rows.js';
export { toEgressRequest, type EgressFile, type EgressRequest, type EgressRequestRow } from './egress/egress-request-rows.js';
export { toWorkspace, type Workspace, type WorkspaceRow } from './workspaces/workspace-rows.js';
export { toOutboxEvent, type OutboxEvent, type OutboxEventRow } from './outbox/outbox-event-rows.js';
export { toAuditEntry, type AuditChainHeadRow, type AuditEntry, type AuditRow } from './audit/audit-rows.js';
export { toDirectoryRoles } from './users/user-directory-rows.js';
