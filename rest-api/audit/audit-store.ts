/** Reads the audit log and verifies its hash chain (db's verifyAuditLog). */
import type { Knex } from 'knex';
import { TABLES, toAuditEntry, verifyAuditLog, type AuditEntry, type AuditRow } from '../../db/index.js';

export interface AuditVerification {
  ok: boolean;
  checked: number;
  problems: { seq: number; problem: 'edited' | 'deleted' | 'reordered' }[];
}

export interface AuditStore {
  list(query: { permitId?: string | undefined; limit: number; afterSeq: number }): Promise<AuditEntry[]>;
  verify(): Promise<AuditVerification>;
}

export function createAuditStore(knex: Knex): AuditStore {
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
