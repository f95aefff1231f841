/** `AuditLogStore` on the Permit Manager's database: the `audit_log` table and db's verifyAuditLog. */
import type { Knex } from 'knex';
import { TABLES, toAuditEntry, verifyAuditLog, type AuditRow } from '../../db/index.js';
import type { AuditLogStore } from './audit-log-store.js';

export function createKnexAuditLogStore(knex: Knex): AuditLogStore {
  return {
    async list({ permitId, limit, afterSeq }) {
      const rows = await knex<AuditRow>(TABLES.auditLog)
        .modify((query) => {
          if (permitId !== undefined) query.where({ permit_id: permitId });
        })
        .where('seq', '>', afterSeq)
        .orderBy('seq', 'asc')
        .limit(limit);
      return rows.map(toAuditEntry);
    },
    async verify() {
      const result = await verifyAuditLog(knex);
      return { ok: result.ok, checked: result.checked, problems: result.problems.map((p) => ({ seq: Number(p.seq), problem: p.problem })) };
    },
  };
}
