/** In-memory ReviewsStore for unit tests (unique on the user task key, like the table). */
import type { RecordedReviewDecision } from '../../db/index.js';
import type { ReviewsStore } from './reviews-store.js';

export interface FakeReviewsStore extends ReviewsStore {
  decisions: RecordedReviewDecision[];
}

export function createFakeReviewsStore(): FakeReviewsStore {
  const store: FakeReviewsStore = {
    decisions: [],
    async record(decision) {
      const existing = store.decisions.find((d) => d.userTaskKey === decision.userTaskKey);
      if (existing) return { decision: existing, created: false };
      const row: RecordedReviewDecision = { ...decision, checklist: decision.checklist ?? null, decidedAt: new Date().toISOString() };
      store.decisions.push(row);
      return { decision: row, created: true };
    },
    async forUserTask(userTaskKey) {
      return store.decisions.find((d) => d.userTaskKey === userTaskKey);
    },
    async list(permitId) {
      return store.decisions.filter((d) => d.permitId === permitId);
    },
    async forEgressRequest(egressRequestId) {
      return store.decisions.filter((d) => d.egressRequestId === egressRequestId);
    },
  };
  return store;
}
