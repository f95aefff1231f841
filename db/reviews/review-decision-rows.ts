/**
 * The rows of `review_decisions`: written by the REST API's reviews (decisions through the API) and the job workers'
 * decision listener (decisions taken on the engine), read by the audit and airlock release records.
 */
import type { ReviewStage, STAGE_DECISIONS } from '../../shared/index.js';
import { toIso, type TimestampValue } from '../columns.js';

/** A decision any stage accepts (the application stage asks for information instead of rework). */
export type StageDecision = (typeof STAGE_DECISIONS)[ReviewStage][number];

export interface ReviewDecisionRow {
  id: string;
  permit_id: string;
  stage: ReviewStage;
  decision: StageDecision;
  comment: string | null;
  checklist: unknown;
  reviewer: string;
  submitted_by: string | null;
  egress_request_id: string | null;
  user_task_key: string | null;
  decided_at: TimestampValue;
  /** Migration 0008: the user task's process instance and element, when the decision listener recorded it. */
  process_instance_key?: string | null;
  element_id?: string | null;
}

/** A recorded review decision (shared's `ReviewDecision` is the decision value it carries). */
export interface RecordedReviewDecision {
  id: string;
  permitId: string;
  stage: ReviewStage;
  decision: StageDecision;
  comment: string | null;
  checklist: unknown;
  reviewer: string;
  /** Whose submission was reviewed (a reviewer may never decide on their own). */
  submittedBy: string | null;
  egressRequestId: string | null;
  userTaskKey: string | null;
  decidedAt: string;
}

export function toReviewDecision(row: ReviewDecisionRow): RecordedReviewDecision {
  return {
    id: row.id,
    permitId: row.permit_id,
    stage: row.stage,
    decision: row.decision,
    comment: row.comment,
    checklist: row.checklist ?? null,
    reviewer: row.reviewer,
    submittedBy: row.submitted_by,
    egressRequestId: row.egress_request_id,
    userTaskKey: row.user_task_key,
    decidedAt: toIso(row.decided_at),
  };
}
