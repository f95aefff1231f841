/**
 * `AuditRecordStore` on the Permit Manager's database: reviews from `review_decisions` (written by the decision listener
 * with their user task's process instance, migration 0008) and the audit entry (`appendAudit`, idempotent on its key).
 */
import type { Knex } from 'knex';
import { TABLES, appendAudit, toReviewDecision, type ReviewDecisionRow } from '../../db/index.js';
import type { AuditRecordStore } from './audit-record-store.js';

export function createKnexAuditRecordStore(knex: Knex): AuditRecordStore {
  return {
    async latestReview({ permitId, processInstanceKey, stage }) {
      const row = (await knex<ReviewDecisionRow>(TABLES.reviewDecisions)
        .where({ permit_id: permitId, process_instance_key: processInstanceKey, stage })
        .orderBy([{ column: 'decided_at', order: 'desc' }, { column: 'id', order: 'desc' }])
        .first()) as ReviewDecisionRow | undefined;
      if (!row) return undefined;
      return { ...toReviewDecision(row), elementId: row.element_id ?? null };
    },

    async record({ audit }) {
      const { created } = await appendAudit(knex, audit);
      return { auditRecorded: created };
    },
  };
}
