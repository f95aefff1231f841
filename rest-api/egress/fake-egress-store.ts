/** In-memory EgressStore for unit tests. */
import { ConflictError, PreconditionFailedError } from '../../shared/index.js';
import type { EgressRequest } from '../../db/index.js';
import type { EgressStore } from './egress-store.js';

export interface FakeEgressStore extends EgressStore {
  requests: Map<string, EgressRequest>;
  audits: { action: string; details: Record<string, unknown> }[];
  seed(request: Partial<EgressRequest> & { id: string; permitId: string }): EgressRequest;
}

export function createFakeEgressStore(): FakeEgressStore {
  const now = (): string => new Date().toISOString();
  const store: FakeEgressStore = {
    requests: new Map(),
    audits: [],
    seed(request) {
      const full: EgressRequest = {
        status: 'DRAFT',
        title: 'Outputs',
        files: [{ path: 'tables/t1.csv' }],
        disclosureChecks: null,
        requiredReviews: 1,
        createdBy: 'alice',
        submittedBy: null,
        createdAt: now(),
        updatedAt: now(),
        version: 1,
        ...request,
      };
      store.requests.set(full.id, full);
      return full;
    },
    async create(request) {
      store.audits.push({ action: 'egress.request-created', details: { egressRequestId: request.id } });
      return store.seed({ ...request, status: 'DRAFT' });
    },
    async list(permitId) {
      return [...store.requests.values()].filter((r) => r.permitId === permitId);
    },
    async find(permitId, requestId) {
      const request = store.requests.get(requestId);
      return request?.permitId === permitId ? request : undefined;
    },
    async submit(submission, confirm) {
      const current = store.requests.get(submission.requestId);
      if (!current || current.status !== submission.from) throw new ConflictError('changed by someone else');
      if (submission.expectedVersion !== undefined && current.version !== submission.expectedVersion) throw new PreconditionFailedError('stale');
      await confirm();
      const updated: EgressRequest = { ...current, status: 'SUBMITTED', submittedBy: submission.actor, version: current.version + 1, updatedAt: now() };
      store.requests.set(updated.id, updated);
      store.audits.push({ action: 'egress.request-submitted', details: submission.auditDetails });
      return updated;
    },
  };
  return store;
}
