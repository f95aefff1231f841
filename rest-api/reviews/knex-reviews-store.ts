/**
 * `ReviewsStore` on the Permit Manager's database: `review_decisions` and the audit log. `record` inserts the row
 * and its audit entry (idempotency key `review-decision:<user task key>`, the one the decision listener uses) in one
 * transaction, once per user task; `forUserTask` reads the row (usually the decision listener's) back.
 */
import type { Knex } from 'knex';
import { TABLES, appendAudit, toReviewDecision, type ReviewDecisionRow } from '../../db/index.js';
import type { ReviewsStore } from './reviews-store.js';

export function createKnexReviewsStore(knex: Knex): ReviewsStore {
  return {
    async forUserTask(userTaskKey) {
      const row = await knex<ReviewDecisionRow>(TABLES.reviewDecisions).where({ user_task_key: userTaskKey }).first();
      return row ? toReviewDecision(row) : undefined;
    },

    async record(decision) {
      return knex.transaction(async (trx) => {
        const inserted = (await trx<ReviewDecisionRow>(TABLES.reviewDecisions)
          .insert({
            id: decision.id,
            permit_id: decision.permitId,
            stage: decision.stage,
            decision: decision.decision,
            comment: decision.comment,
            checklist: decision.checklist === undefined || decision.checklist === null ? null : (JSON.stringify(decision.checklist) as never),
            reviewer: decision.reviewer,
            submitted_by: decision.submittedBy,
            egress_request_id: decision.egressRequestId,
            user_task_key: decision.userTaskKey,
          })
          .onConflict('user_task_key')
          .ignore()
          .returning('*')) as ReviewDecisionRow[];
        const [row] = inserted;
        if (!row) {
          const existing = await trx<ReviewDecisionRow>(TABLES.reviewDecisions).where({ user_task_key: decision.userTaskKey }).first();
          return { decision: toReviewDecision(existing as ReviewDecisionRow), created: false };
        }
        await appendAudit(trx, {
          actor: decision.reviewer,
          action: 'review.decided',
          permitId: decision.permitId,
          idempotencyKey: `review-decision:${decision.userTaskKey}`,
          details: {
            reviewDecisionId: decision.id,
            stage: decision.stage,
            decision: decision.decision,
            comment: decision.comment,
            submittedBy: decision.submittedBy,
            egressRequestId: decision.egressRequestId,
            userTaskKey: decision.userTaskKey,
          },
        });
        return { decision: toReviewDecision(row), created: true };
      });
    },

    async list(permitId) {
      const rows = await knex<ReviewDecisionRow>(TABLES.reviewDecisions).where({ permit_id: permitId }).orderBy([{ column: 'decided_at' }, { column: 'id' }]);
      return rows.map(toReviewDecision);
    },

    async forEgressRequest(egressRequestId) {
      const rows = await knex<ReviewDecisionRow>(TABLES.reviewDecisions).where({ egress_request_id: egressRequestId }).orderBy([{ column: 'decided_at' }, { column: 'id' }]);
      return rows.map(toReviewDecision);
    },
  };
}
