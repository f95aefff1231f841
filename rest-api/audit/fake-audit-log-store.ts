/** In-memory `AuditLogStore` for unit tests: `entries` is the log in `seq` order, `problems` what verify reports. */
import type { AuditEntry } from '../../db/index.js';
import type { AuditLogStore, AuditVerification } from './audit-log-store.js';

export interface FakeAuditLogStore extends AuditLogStore {
  entries: AuditEntry[];
  problems: AuditVerification['problems'];
}

export function createFakeAuditLogStore(): FakeAuditLogStore {
  const store: FakeAuditLogStore = {
    entries: [],
    problems: [],
    async list({ permitId, limit, afterSeq }) {
      return store.entries.filter((e) => (permitId === undefined || e.permitId === permitId) && e.seq > afterSeq).slice(0, limit);
    },
    async verify() {
      return { ok: store.problems.length === 0, checked: store.entries.length, problems: [...store.problems] };
    },
  };
  return store;
}
