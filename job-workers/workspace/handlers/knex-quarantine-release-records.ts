/**
 * `QuarantineReleaseRecords` on the Permit Manager's audit log: the decider is the actor of the `task.decided`
 * entry the decision listener wrote for "Handle blocked data delivery" in this process instance with
 * RELEASE_FROM_QUARANTINE (and, when several deliveries of one instance were released, the same reason; the
 * latest wins); the promotion is one more entry of the hash chain, once per idempotency key.
 */
import type { Knex } from 'knex';
import { appendAudit } from '../../../db/audit/append-audit.js';
import { TABLES } from '../../../db/types.js';
import { DECISION_AUDIT_ACTIONS } from '../../review/knex-decision-store.js';
import { EXCEPTION_TASK_ID, PROMOTE_ACTOR, QUARANTINE_RELEASE_ACTION, type QuarantineReleaseRecords } from './promote-delivery-handler.js';

interface DecidedRow {
  actor: string;
  details: unknown;
}

function objectOf(value: unknown): Record<string, unknown> {
  const parsed: unknown = typeof value === 'string' ? JSON.parse(value) : value;
  return parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : {};
}

export function createKnexQuarantineReleaseRecords(knex: Knex): QuarantineReleaseRecords {
  return {
    async decider({ permitId, processInstanceKey, comment }) {
      const rows = (await knex(TABLES.auditLog).where({ permit_id: permitId, action: DECISION_AUDIT_ACTIONS.task }).orderBy('seq', 'desc').select('actor', 'details')) as DecidedRow[];
      const releases = rows.filter((row) => {
        const details = objectOf(row.details);
        const values = objectOf(details.values);
        return details.elementId === EXCEPTION_TASK_ID && String(details.processInstanceKey) === processInstanceKey && values.ingressExceptionDecision === 'RELEASE_FROM_QUARANTINE';
      });
      const sameReason = releases.find((row) => comment !== null && objectOf(objectOf(row.details).values).ingressExceptionComment === comment);
      return (sameReason ?? releases[0])?.actor;
    },
    async record(entry) {
      await appendAudit(knex, { actor: PROMOTE_ACTOR, action: QUARANTINE_RELEASE_ACTION, permitId: entry.permitId, idempotencyKey: entry.idempotencyKey, details: entry.details });
    },
  };
}
