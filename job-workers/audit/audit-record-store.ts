/**
 * What `audit.record` needs from the database (the port): the review the decision listener recorded for a user
 * task of this process instance, and appending an audit entry (once per idempotency key).
 * `createKnexAuditRecordStore` implements it on `db/`, `createFakeAuditRecordStore` in memory for unit tests.
 */
import type { ReviewStage } from '../../shared/index.js';

/** A review as `review_decisions` holds it. */
export interface RecordedReview {
  id: string;
  permitId: string;
  stage: ReviewStage;
  decision: string;
  comment: string | null;
  /** The decider: the user task's assignee when the decision listener accepted the completion. */
  reviewer: string;
  submittedBy: string | null;
  egressRequestId: string | null;
  userTaskKey: string | null;
  elementId: string | null;
}

export interface AuditRecord {
  actor: string;
  action: string;
  permitId: string;
  details: Record<string, unknown>;
  idempotencyKey: string;
}

export interface AuditRecordStore {
  /** The latest review of `stage` recorded for a user task of this process instance, if any. */
  latestReview(input: { permitId: string; processInstanceKey: string; stage: ReviewStage }): Promise<RecordedReview | undefined>;
  record(input: { audit: AuditRecord }): Promise<{ auditRecorded: boolean }>;
}
