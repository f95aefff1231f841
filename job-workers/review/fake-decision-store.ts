/** In-memory `DecisionStore` and `TaskLookups` for unit tests: the same once-only rule as the database one. */
import type { TeamRole } from '../../shared/index.js';
import type { AuthorSource, DecisionRecord, DecisionStore, EgressReview } from './decision-store.js';
import type { TaskForm, TaskLookups } from './task-lookups.js';

export interface FakeDecisionStore extends DecisionStore {
  permits: Map<string, { createdBy: string; members: { userId: string; teamRole: TeamRole }[] }>;
  /** Authors per source kind (`audit-actions`, `egress-request`, `amendment-request`). */
  authorsByKind: Partial<Record<AuthorSource['kind'], string[]>>;
  reviews: Map<string, EgressReview[]>;
  roles: Map<string, string[]>;
  recorded: DecisionRecord[];
  /** Set to make every read fail, as a database outage would. */
  down?: Error;
}

export function createFakeDecisionStore(): FakeDecisionStore {
  const check = (store: FakeDecisionStore) => {
    if (store.down) throw store.down;
  };
  const store: FakeDecisionStore = {
    permits: new Map(),
    authorsByKind: {},
    reviews: new Map(),
    roles: new Map(),
    recorded: [],
    async parties(permitId, auditActions = []) {
      check(store);
      const permit = store.permits.get(permitId);
      return permit && { ...permit, auditActors: auditActions.length > 0 ? (store.authorsByKind['audit-actions'] ?? []) : [] };
    },
    async authors(_permitId, source) {
      check(store);
      return store.authorsByKind[source.kind] ?? [];
    },
    async egressReviews(egressRequestId) {
      check(store);
      return store.reviews.get(egressRequestId) ?? [];
    },
    async directoryRoles(userId) {
      check(store);
      return store.roles.get(userId) ?? [];
    },
    async record(decision) {
      check(store);
      if (store.recorded.some((r) => r.userTaskKey === decision.userTaskKey)) return { recorded: false };
      store.recorded.push(decision);
      return { recorded: true };
    },
  };
  return store;
}

export interface FakeTaskLookups extends TaskLookups {
  forms: Map<string, TaskForm>;
  /** `<processInstanceKey>/<name>` → value. */
  stored: Map<string, unknown>;
}

export function createFakeTaskLookups(): FakeTaskLookups {
  const lookups: FakeTaskLookups = {
    forms: new Map(),
    stored: new Map(),
    async form(userTaskKey) {
      return lookups.forms.get(userTaskKey);
    },
    async storedVariable(processInstanceKey, name) {
      return lookups.stored.get(`${processInstanceKey}/${name}`);
    },
  };
  return lookups;
}
