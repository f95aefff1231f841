/**
 * Verifies the whole audit log against its hash chain and chain head (what is reported: check-audit-chain.ts).
 * Reads in pages of `pageSize` entries inside one REPEATABLE READ transaction, so appends happening meanwhile
 * neither disturb nor wait for it (on PGlite, with its single connection, other queries wait until it ends).
 * Pass a knex instance, not a transaction.
 */
import type { Knex } from 'knex';
import { toNumber } from '../columns.js';
import { TABLES } from '../types.js';
import { toAuditEntry, type AuditChainHeadRow, type AuditRow } from './audit-rows.js';
import { AuditChainChecker, type VerifyAuditLogResult } from './check-audit-chain.js';

export type { AuditProblem, AuditProblemKind, VerifyAuditLogResult } from './check-audit-chain.js';

export async function verifyAuditLog(knex: Knex, options: { pageSize?: number } = {}): Promise<VerifyAuditLogResult> {
  const pageSize = options.pageSize ?? 1000;
  return knex.transaction(
    async (trx) => {
      const head = (await trx(TABLES.auditChainHead).where({ id: true }).first()) as AuditChainHeadRow | undefined;
      if (!head) throw new Error('The audit chain head is missing: run the Permit Manager migrations (audit_chain_head has no row).');
      const checker = new AuditChainChecker();
      let after: number | undefined;
      for (;;) {
        const rows = (await trx(TABLES.auditLog)
          .modify((q: Knex.QueryBuilder) => {
            if (after !== undefined) void q.where('seq', '>', after);
          })
          .orderBy('seq')
          .limit(pageSize)) as AuditRow[];
        for (const row of rows) checker.add(toAuditEntry(row));
        if (rows.length < pageSize) break;
        after = toNumber(rows[rows.length - 1]!.seq);
      }
      return checker.finish({ lastSeq: toNumber(head.last_seq), lastHash: head.last_hash });
    },
    { isolationLevel: 'repeatable read' },
  );
}
