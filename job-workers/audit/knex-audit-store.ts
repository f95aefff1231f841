/**
 * `AuditStore` on the Permit Manager's database: the review decision (ignored when its id or user task key is
 * already there) and the audit entry (`appendAudit`, idempotent on its key) in one transaction.
 */
import type { Knex } from 'knex';
import { TABLES, appendAudit } from '../../db/index.js';
import type { AuditStore } from './audit-store.js';

export function createKnexAuditStore(knex: Knex): AuditStore {
  return {
    async record({ audit, review }) {
      return knex.transaction(async (trx) => {
        let reviewRecorded = false;
        if (review) {
          const inserted = (await trx(TABLES.reviewDecisions)
            .insert({
              id: review.id,
              permit_id: review.permitId,
              stage: review.stage,
              decision: review.decision,
              comment: review.comment ?? null,
              checklist: review.checklist === undefined ? null : JSON.stringify(review.checklist),
              reviewer: review.reviewer,
              submitted_by: review.submittedBy ?? null,
              egress_request_id: review.egressRequestId ?? null,
              user_task_key: review.userTaskKey ?? null,
              decided_at: review.decidedAt,
            })
            // Any unique key: the id (this job again) or the user task key (the REST API stored it already).
            .onConflict()
            .ignore()
            .returning('id')) as unknown[];
          reviewRecorded = inserted.length > 0;
        }
        const { created } = await appendAudit(trx, audit);
        return { auditRecorded: created, reviewRecorded };
      });
    },
  };
}
