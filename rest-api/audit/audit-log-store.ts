/**
 * What the audit feature reads (the port): the audit log, a page at a time, and the verification of its hash
 * chain. `createKnexAuditLogStore` implements it on `db/` (verifyAuditLog), `createFakeAuditLogStore` in memory for
 * unit tests. The job workers append entries through their own `AuditRecordStore` (job-workers/audit/).
 */
import type { AuditEntry } from '../../db/index.js';

export interface AuditVerification {
  ok: boolean;
  checked: number;
  problems: { seq: number; problem: 'edited' | 'deleted' | 'reordered' }[];
}

export interface AuditLogStore {
  list(query: { permitId?: string | undefined; limit: number; afterSeq: number }): Promise<AuditEntry[]>;
  verify(): Promise<AuditVerification>;
}
