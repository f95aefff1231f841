/** In-memory `AuditRecordStore` for unit tests: the same once-only rule as the database one. */
import type { AuditRecord, AuditRecordStore, RecordedReview } from './audit-record-store.js';

export interface FakeAuditRecordStore extends AuditRecordStore {
  /** Reviews as the decision listener recorded them, with their process instance, oldest first. */
  reviews: (RecordedReview & { processInstanceKey: string })[];
  entries: AuditRecord[];
}

export function createFakeAuditRecordStore(): FakeAuditRecordStore {
  const store: FakeAuditRecordStore = {
    reviews: [],
    entries: [],
    async latestReview({ permitId, processInstanceKey, stage }) {
      const found = store.reviews.filter((r) => r.permitId === permitId && r.processInstanceKey === processInstanceKey && r.stage === stage).at(-1);
      if (!found) return undefined;
      const { processInstanceKey: _key, ...review } = found;
      return review;
    },
    async record({ audit }) {
      const auditRecorded = !store.entries.some((e) => e.idempotencyKey === audit.idempotencyKey);
      if (auditRecorded) store.entries.push(audit);
      return { auditRecorded };
    },
  };
  return store;
}
