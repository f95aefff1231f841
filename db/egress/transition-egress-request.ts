/**
 * The one way an egress (output) request's status changes, shaped like transitionPermit: in one transaction
 *   UPDATE egress_requests SET status, version = version + 1 WHERE id = ? AND status = ? [AND version = ?]
 * plus its audit entry (`egress.status.changed`) and, when the caller names one, its outbox event (the
 * process says which: `permit.egress.submitted|approved|rework_requested|rejected|released`). Egress requests
 * have no history table: the audit log is their history.
 *
 * Outcomes as for transitionPermit (NotFoundError, `{ changed: false }` for an already-applied key or the
 * same status, PreconditionFailedError, ConflictError, InvalidTransitionError via `canTransitionEgress`).
 * `permitId`, when given, must be the request's permit (else NotFoundError). `submittedBy`, when given, is
 * recorded as the request's submitter (whose work a reviewer may not review). `releasePolicy`, when given, records
 * what the HDAB's output release policy decided for the review round (issue 19), with the change.
 */
import type { Knex } from 'knex';
import {
  canTransitionEgress,
  ConflictError,
  EGRESS_TRANSITIONS,
  InvalidTransitionError,
  isEgressStatus,
  isEventName,
  NotFoundError,
  PreconditionFailedError,
  ValidationError,
  type EgressStatus,
  type EventName,
} from '../../shared/index.js';
import { AUDIT_ACTIONS } from '../audit/audit-actions.js';
import { appendAudit } from '../audit/append-audit.js';
import { enqueueEvent } from '../outbox/enqueue-event.js';
import { TABLES } from '../types.js';
import type { EgressRequestRow } from './egress-request-rows.js';

export interface TransitionEgressRequestInput {
  egressRequestId: string;
  /** When given, the request must belong to this permit. */
  permitId?: string;
  to: EgressStatus;
  expectedStatus?: EgressStatus;
  expectedVersion?: number;
  actor: string;
  reason?: string | null;
  /** Outbox event published with the change (none when omitted). */
  event?: EventName;
  processInstanceKey?: string | null;
  idempotencyKey?: string;
  /** Recorded as `submitted_by` with the change. */
  submittedBy?: string;
  /** What the output release policy decided for this review round: recorded on the request with the change. */
  releasePolicy?: EgressReleasePolicy;
  /** Extra fields for the event's payload and the audit details. */
  payload?: Record<string, unknown>;
}

/** The result of the decision `spe-output-release-policy` (bpmn/output-release-policy.dmn). */
export interface EgressReleasePolicy {
  requiredReviews: 1 | 2;
  reason: string;
}

export interface TransitionEgressRequestResult {
  request: EgressRequestRow;
  changed: boolean;
}

export async function transitionEgressRequest(db: Knex, input: TransitionEgressRequestInput): Promise<TransitionEgressRequestResult> {
  validate(input);
  const { egressRequestId: id, to } = input;
  return db.transaction(async (trx) => {
    const current = await readRequest(trx, id);
    if (!current || (input.permitId !== undefined && current.permit_id !== input.permitId)) {
      throw new NotFoundError(`Egress request ${id} does not exist${input.permitId ? ` on permit ${input.permitId}` : ''}`, { egressRequestId: id });
    }
    if (input.idempotencyKey && (await trx(TABLES.auditLog).where({ idempotency_key: input.idempotencyKey }).first('seq'))) {
      return { request: current, changed: false };
    }
    if (current.status === to) return { request: current, changed: false };
    if (input.expectedVersion !== undefined && current.version !== input.expectedVersion) {
      throw new PreconditionFailedError(`Egress request ${id} is at version ${current.version}, not ${input.expectedVersion}: reload it and try again`, {
        egressRequestId: id,
        currentVersion: current.version,
        expectedVersion: input.expectedVersion,
      });
    }
    if (input.expectedStatus && current.status !== input.expectedStatus) {
      throw new ConflictError(`Egress request ${id} is ${current.status}, not ${input.expectedStatus}`, {
        egressRequestId: id,
        currentStatus: current.status,
        expectedStatus: input.expectedStatus,
      });
    }
    if (!canTransitionEgress(current.status, to)) {
      throw new InvalidTransitionError(`Egress request ${id} cannot move from ${current.status} to ${to}`, current.status, [], {
        egressRequestId: id,
        requestedStatus: to,
        allowedStatuses: EGRESS_TRANSITIONS[current.status],
      });
    }

    const occurredAt = new Date();
    const [updated] = (await trx(TABLES.egressRequests)
      .where({ id, status: current.status })
      .modify((q: Knex.QueryBuilder) => {
        if (input.expectedVersion !== undefined) void q.where({ version: input.expectedVersion });
      })
      .update({
        status: to,
        version: trx.raw('version + 1'),
        updated_at: occurredAt,
        ...(input.submittedBy !== undefined ? { submitted_by: input.submittedBy } : {}),
        ...(input.releasePolicy ? { required_reviews: input.releasePolicy.requiredReviews, required_reviews_reason: input.releasePolicy.reason } : {}),
      })
      .returning('*')) as EgressRequestRow[];
    if (!updated) {
      const now = await readRequest(trx, id);
      if (now?.status === to) return { request: now, changed: false };
      throw new ConflictError(`Egress request ${id} was changed meanwhile (it is now ${now?.status ?? 'gone'}): reload it and try again`, {
        egressRequestId: id,
        currentStatus: now?.status,
      });
    }

    const change = {
      permitId: updated.permit_id,
      egressRequestId: id,
      previousStatus: current.status,
      newStatus: to,
      actor: input.actor,
      reason: input.reason ?? null,
      occurredAt: occurredAt.toISOString(),
      version: updated.version,
      processInstanceKey: input.processInstanceKey ?? null,
      ...(input.releasePolicy ? { requiredReviews: input.releasePolicy.requiredReviews, requiredReviewsReason: input.releasePolicy.reason } : {}),
    };
    const audit = await appendAudit(trx, {
      actor: input.actor,
      action: AUDIT_ACTIONS.egressStatusChanged,
      permitId: updated.permit_id,
      details: { ...change, event: input.event ?? null, ...(input.payload ? { payload: input.payload } : {}) },
      idempotencyKey: input.idempotencyKey ?? null,
    });
    if (!audit.created) throw new ConflictError(`Idempotency key ${input.idempotencyKey} was already used for another change`, { egressRequestId: id });
    if (input.event) await enqueueEvent(trx, { name: input.event, permitId: updated.permit_id, payload: { ...input.payload, ...change }, occurredAt });
    return { request: updated, changed: true };
  });
}

async function readRequest(trx: Knex, id: string): Promise<EgressRequestRow | undefined> {
  return (await trx(TABLES.egressRequests).where({ id }).first()) as EgressRequestRow | undefined;
}

function validate(input: TransitionEgressRequestInput): void {
  const problems: string[] = [];
  if (typeof input.egressRequestId !== 'string' || input.egressRequestId === '') problems.push('egressRequestId must be a non-empty string');
  if (!isEgressStatus(input.to)) problems.push(`to must be an egress status, got '${String(input.to)}'`);
  if (input.expectedStatus !== undefined && !isEgressStatus(input.expectedStatus)) problems.push(`expectedStatus must be an egress status, got '${String(input.expectedStatus)}'`);
  if (input.expectedVersion !== undefined && (!Number.isInteger(input.expectedVersion) || input.expectedVersion < 1)) problems.push('expectedVersion must be a positive integer');
  if (typeof input.actor !== 'string' || input.actor.trim() === '') problems.push('actor must be a non-empty string');
  if (input.event !== undefined && !isEventName(input.event)) problems.push(`event must be one of EVENTS, got '${String(input.event)}'`);
  if (input.submittedBy !== undefined && (typeof input.submittedBy !== 'string' || input.submittedBy === '')) problems.push('submittedBy must be a non-empty string');
  if (input.releasePolicy !== undefined && (![1, 2].includes(input.releasePolicy.requiredReviews) || typeof input.releasePolicy.reason !== 'string' || input.releasePolicy.reason.trim() === '')) {
    problems.push('releasePolicy must be { requiredReviews: 1 or 2, reason: a non-empty string }');
  }
  if (input.payload !== undefined && (typeof input.payload !== 'object' || input.payload === null || Array.isArray(input.payload))) problems.push('payload must be an object');
  if (problems.length > 0) throw new ValidationError(`Cannot change the egress request status: ${problems.join('; ')}`, { problems });
}
