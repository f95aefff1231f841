/**
 * The reviews feature's store (the port): recorded review decisions, one per completed user task (`user_task_key`
 * is unique), each written together with its audit entry; recording the same task again returns the row already
 * there. Usually the decision listener (`job-workers/review/`, its own `DecisionStore`) has recorded the decision
 * when the task completed, and `record` returns that row. `createKnexReviewsStore` implements it on `db/`,
 * `createFakeReviewsStore` in memory.
 */
import type { ReviewStage } from '../../shared/index.js';
import type { ReviewDecision, StageDecision } from '../../db/index.js';

export interface NewReviewDecision {
  id: string;
  permitId: string;
  stage: ReviewStage;
  decision: StageDecision;
  comment: string | null;
  checklist: unknown;
  reviewer: string;
  submittedBy: string | null;
  egressRequestId: string | null;
  userTaskKey: string;
}

export interface ReviewsStore {
  /** Inserts the decision and its audit entry; `created: false` when this task's decision was already recorded. */
  record(decision: NewReviewDecision): Promise<{ decision: ReviewDecision; created: boolean }>;
  list(permitId: string): Promise<ReviewDecision[]>;
  /** Decisions on one egress request, oldest first. */
  forEgressRequest(egressRequestId: string): Promise<ReviewDecision[]>;
}
