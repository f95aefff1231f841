/**
 * What `audit.record` needs from the database (the port): one transaction writing a review decision (once per
 * id or user task key) and an audit entry (once per idempotency key). `createKnexAuditStore` implements it on
 * `db/`, `createFakeAuditStore` in memory for unit tests.
 */
import type { ReviewStage } from '../../shared/index.js';

export interface ReviewRecord {
  /** Derived from the job, so a second delivery writes nothing. */
  id: string;
  permitId: string;
  stage: ReviewStage;
  decision: string;
  comment?: string;
  checklist?: unknown;
  reviewer: string;
  submittedBy?: string;
  egressRequestId?: string;
  /** The completed user task, when the REST API passed it on: a review already stored for it is not stored again. */
  userTaskKey?: string;
  decidedAt: Date;
}

export interface AuditRecord {
  actor: string;
  action: string;
  permitId: string;
  details: Record<string, unknown>;
  idempotencyKey: string;
}

export interface AuditStore {
  record(input: { audit: AuditRecord; review?: ReviewRecord }): Promise<{ auditRecorded: boolean; reviewRecorded: boolean }>;
}
