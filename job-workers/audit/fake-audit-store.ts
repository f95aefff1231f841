/** In-memory `AuditStore` for unit tests: the same once-only rules as the database one. */
import type { AuditRecord, AuditStore, ReviewRecord } from './audit-store.js';

export interface FakeAuditStore extends AuditStore {
  reviews: ReviewRecord[];
  entries: AuditRecord[];
}

export function createFakeAuditStore(): FakeAuditStore {
  const store: FakeAuditStore = {
    reviews: [],
    entries: [],
    async record({ audit, review }) {
      let reviewRecorded = false;
      if (review) {
        const duplicate = store.reviews.some(
          (r) => r.id === review.id || (review.userTaskKey !== undefined && r.userTaskKey === review.userTaskKey),
        );
        if (!duplicate) {
          store.reviews.push(review);
          reviewRecorded = true;
        }
      }
      const auditRecorded = !store.entries.some((e) => e.idempotencyKey === audit.idempotencyKey);
      if (auditRecorded) store.entries.push(audit);
      return { auditRecorded, reviewRecorded };
    },
  };
  return store;
}
