/**
 * The reviews feature's store (the port): recorded review decisions, one per completed user task (`user_task_key`
 * is unique), each written together with its audit entry; recording the same task again returns the row already
 * there. Usually the decision listener (`job-workers/review/`, its own `DecisionStore`) has recorded the decision
 * when the task completed, and `forUserTask` reads that row. `createKnexReviewsStore` implements it on `db/`,
 * `createFakeReviewsStore` in memory.
 */
import type { RecordedReviewDecision } from '../../db/index.js';

/** A decision to record: a recorded one before the database stamps it, always for a user task. */
export type NewReviewDecision = Omit<RecordedReviewDecision, 'userTaskKey' | 'decidedAt'> & { userTaskKey: string };

export interface ReviewsStore {
  /** Inserts the decision and its audit entry; `created: false` when this task's decision was already recorded. */
  record(decision: NewReviewDecision): Promise<{ decision: RecordedReviewDecision; created: boolean }>;
  /** The decision recorded for a user task, if any. */
  forUserTask(userTaskKey: string): Promise<RecordedReviewDecision | undefined>;
  list(permitId: string): Promise<RecordedReviewDecision[]>;
  /** Decisions on one egress request, oldest first. */
  forEgressRequest(egressRequestId: string): Promise<RecordedReviewDecision[]>;
}
