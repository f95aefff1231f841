/**
 * The one way a permit's status changes. In one transaction:
 *   UPDATE permits SET status, version = version + 1 WHERE id = ? AND status = ? [AND version = ?]
 * plus its status-history row, its audit entry (`permit.status.changed`) and its outbox events
 * (`permit.status.updated`, and the domain `event` when given). Any failure rolls all of them back.
 *
 * Outcomes, checked in this order:
 * - no such permit → NotFoundError;
 * - `idempotencyKey` already in the audit log, or the permit already in `to` → `{ changed: false }`, nothing written;
 * - `expectedVersion` given and different → PreconditionFailedError (details.currentVersion);
 * - `expectedStatus` given and different → ConflictError (details.currentStatus);
 * - `to` not reachable from the current status (`canTransition`) → InvalidTransitionError with the current
 *   status; `allowedActions` is empty (actions are the API's words) and details.allowedStatuses lists the
 *   statuses it may move to;
 * - the UPDATE matched no row because someone moved first → ConflictError, unless they moved it to `to`
 *   (then `{ changed: false }`).
 * Given a transaction, it runs inside it (as a savepoint); given a plain knex, it opens one.
 */
import type { Knex } from 'knex';
import {
  canTransition,
  ConflictError,
  EVENTS,
  InvalidTransitionError,
  isEventName,
  isPermitStatus,
  NotFoundError,
  PERMIT_TRANSITIONS,
  PreconditionFailedError,
  ValidationError,
  type EventName,
  type PermitStatus,
} from '../../shared/index.js';
import { AUDIT_ACTIONS } from '../audit/audit-actions.js';
import { appendAudit } from '../audit/append-audit.js';
import { enqueueEvent } from '../outbox/enqueue-event.js';
import { TABLES } from '../types.js';
import type { PermitRow } from './permit-rows.js';

export interface TransitionPermitInput {
  permitId: string;
  to: PermitStatus;
  /** The status the caller believes the permit is in; a different one is a ConflictError. */
  expectedStatus?: PermitStatus;
  /** The version the caller last saw (If-Match); a different one is a PreconditionFailedError. */
  expectedVersion?: number;
  actor: string;
  reason?: string | null;
  /** Domain event published with the change, besides `permit.status.updated`. */
  event?: EventName;
  /** Defaults to the permit's own process instance key. */
  processInstanceKey?: string | null;
  /** Unique to this change (e.g. the job key): a repeat with the same key writes nothing. */
  idempotencyKey?: string;
  /** Extra fields for the domain `event`'s payload and the audit details. */
  payload?: Record<string, unknown>;
  /**
   * The validity window written in the same statement as the status (an issued permit's), only when the status
   * changes; it makes no version bump of its own.
   */
  validity?: { validFrom: Date; validUntil: Date };
}

export interface TransitionPermitResult {
  permit: PermitRow;
  changed: boolean;
}

export async function transitionPermit(db: Knex, input: TransitionPermitInput): Promise<TransitionPermitResult> {
  validate(input);
  const { permitId, to } = input;
  return db.transaction(async (trx) => {
    const { permit: current, done } = await readPermitAndRepeat(trx, permitId, input.idempotencyKey);
    if (!current) throw new NotFoundError(`Permit ${permitId} does not exist`, { permitId });
    if (done) return { permit: current, changed: false };
    if (current.status === to) return { permit: current, changed: false };
    if (input.expectedVersion !== undefined && current.version !== input.expectedVersion) {
      throw new PreconditionFailedError(`Permit ${permitId} is at version ${current.version}, not ${input.expectedVersion}: reload it and try again`, {
        permitId,
        currentVersion: current.version,
        expectedVersion: input.expectedVersion,
      });
    }
    if (input.expectedStatus && current.status !== input.expectedStatus) {
      throw new ConflictError(`Permit ${permitId} is ${current.status}, not ${input.expectedStatus}`, {
        permitId,
        currentStatus: current.status,
        expectedStatus: input.expectedStatus,
      });
    }
    if (!canTransition(current.status, to)) {
      throw new InvalidTransitionError(`Permit ${permitId} cannot move from ${current.status} to ${to}`, current.status, [], {
        permitId,
        requestedStatus: to,
        allowedStatuses: PERMIT_TRANSITIONS[current.status],
      });
    }

    const occurredAt = new Date();
    const processInstanceKeyGiven = input.processInstanceKey ?? null;
    const reason = input.reason ?? null;
    // The status change and its history row in one statement; the history row only when the update matched.
    const validity = input.validity ? ', valid_from = ?, valid_until = ?' : '';
    const version = input.expectedVersion !== undefined ? ' AND version = ?' : '';
    const { rows } = (await trx.raw(
      `WITH updated AS (
         UPDATE ?? SET status = ?, version = version + 1, updated_at = ?${validity}
         WHERE id = ? AND status = ?${version}
         RETURNING *
       ), history AS (
         INSERT INTO ?? (permit_id, previous_status, new_status, actor, reason, version, process_instance_key, occurred_at)
         SELECT id, ?::text, ?::text, ?::text, ?::text, version, coalesce(?::text, process_instance_key), ?::timestamptz FROM updated
       )
       SELECT * FROM updated`,
      [
        TABLES.permits,
        to,
        occurredAt,
        ...(input.validity ? [input.validity.validFrom, input.validity.validUntil] : []),
        permitId,
        current.status,
        ...(input.expectedVersion !== undefined ? [input.expectedVersion] : []),
        TABLES.permitStatusHistory,
        current.status,
        to,
        input.actor,
        reason,
        processInstanceKeyGiven,
        occurredAt,
      ],
    )) as { rows: PermitRow[] };
    const [updated] = rows;
    if (!updated) {
      const now = await readPermit(trx, permitId);
      if (now?.status === to) return { permit: now, changed: false };
      throw new ConflictError(`Permit ${permitId} was changed meanwhile (it is now ${now?.status ?? 'gone'}): reload it and try again`, {
        permitId,
        currentStatus: now?.status,
      });
    }

    const processInstanceKey = processInstanceKeyGiven ?? updated.process_instance_key;
    const change = {
      permitId,
      previousStatus: current.status,
      newStatus: to,
      actor: input.actor,
      reason,
      occurredAt: occurredAt.toISOString(),
      version: updated.version,
      processInstanceKey,
    };
    const audit = await appendAudit(trx, {
      actor: input.actor,
      action: AUDIT_ACTIONS.permitStatusChanged,
      permitId,
      details: { previousStatus: current.status, newStatus: to, reason, version: updated.version, processInstanceKey, event: input.event ?? null, ...(input.payload ? { payload: input.payload } : {}) },
      idempotencyKey: input.idempotencyKey ?? null,
    });
    // Another change with the same key committed meanwhile: the key was reused for a different change.
    if (!audit.created) throw new ConflictError(`Idempotency key ${input.idempotencyKey} was already used for another change`, { permitId });
    await enqueueEvent(trx, { name: EVENTS.statusUpdated, permitId, payload: change, occurredAt });
    if (input.event) await enqueueEvent(trx, { name: input.event, permitId, payload: { ...input.payload, ...change }, occurredAt });
    return { permit: updated, changed: true };
  });
}

async function readPermit(trx: Knex, permitId: string): Promise<PermitRow | undefined> {
  return (await trx(TABLES.permits).where({ id: permitId }).first()) as PermitRow | undefined;
}

/** The permit, and whether a change with this idempotency key was already made (one statement for both). */
async function readPermitAndRepeat(trx: Knex, permitId: string, idempotencyKey: string | undefined): Promise<{ permit: PermitRow | undefined; done: boolean }> {
  if (!idempotencyKey) return { permit: await readPermit(trx, permitId), done: false };
  const row = (await trx(TABLES.permits)
    .where({ id: permitId })
    .first('*', trx.raw('EXISTS (SELECT 1 FROM ?? WHERE idempotency_key = ?) AS repeat_of_done_change', [TABLES.auditLog, idempotencyKey]))) as
    | (PermitRow & { repeat_of_done_change: boolean })
    | undefined;
  if (!row) return { permit: undefined, done: false };
  const { repeat_of_done_change: done, ...permit } = row;
  return { permit, done };
}

function validate(input: TransitionPermitInput): void {
  const problems: string[] = [];
  if (typeof input.permitId !== 'string' || input.permitId === '') problems.push('permitId must be a non-empty string');
  if (!isPermitStatus(input.to)) problems.push(`to must be a permit status, got '${String(input.to)}'`);
  if (input.expectedStatus !== undefined && !isPermitStatus(input.expectedStatus)) problems.push(`expectedStatus must be a permit status, got '${String(input.expectedStatus)}'`);
  if (input.expectedVersion !== undefined && (!Number.isInteger(input.expectedVersion) || input.expectedVersion < 1)) problems.push('expectedVersion must be a positive integer');
  if (typeof input.actor !== 'string' || input.actor.trim() === '') problems.push('actor must be a non-empty string');
  if (input.event !== undefined && !isEventName(input.event)) problems.push(`event must be one of EVENTS, got '${String(input.event)}'`);
  if (input.payload !== undefined && (typeof input.payload !== 'object' || input.payload === null || Array.isArray(input.payload))) problems.push('payload must be an object');
  if (problems.length > 0) throw new ValidationError(`Cannot change the permit status: ${problems.join('; ')}`, { problems });
}
