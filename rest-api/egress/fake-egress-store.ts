/**
 * In-memory EgressStore for unit tests, with the knex store's rules: a submission holds only while the request is
 * still at the status and version it was checked at, refuses while another engine command of the permit is
 * pending, and records its command before delivering it (a failed delivery leaves it pending); an
 * Idempotency-Key already bound to a request answers that request.
 */
import { ConflictError, PreconditionFailedError } from '../../shared/index.js';
import type { EgressRequest, EngineCommand } from '../../db/index.js';
import { commandPendingConflict } from '../permits/engine-command-relay.js';
import type { EgressStore } from './egress-store.js';

export interface FakeEgressStore extends EgressStore {
  requests: Map<string, EgressRequest>;
  audits: { action: string; details: Record<string, unknown>; idempotencyKey?: string }[];
  /** Engine commands recorded by `submit`, with whether they were delivered. */
  commands: (EngineCommand & { status: 'pending' | 'delivered' })[];
  /** `caller/key` → the request the key created. */
  idempotencyKeys: Map<string, string>;
  seed(request: Partial<EgressRequest> & { id: string; permitId: string }): EgressRequest;
}

export function createFakeEgressStore(): FakeEgressStore {
  const now = (): string => new Date().toISOString();
  // One submission at a time, as the permit row lock makes it in the knex store.
  let queue: Promise<unknown> = Promise.resolve();
  const store: FakeEgressStore = {
    requests: new Map(),
    audits: [],
    commands: [],
    idempotencyKeys: new Map(),
    seed(request) {
      const full: EgressRequest = {
        status: 'DRAFT',
        title: 'Outputs',
        files: [{ path: 'tables/t1.csv' }],
        disclosureChecks: null,
        requiredReviews: null,
        requiredReviewsReason: null,
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
    async create(request, idempotency) {
      const bound = idempotency ? store.idempotencyKeys.get(`${idempotency.caller}/${idempotency.key}`) : undefined;
      const earlier = bound === undefined ? undefined : store.requests.get(bound);
      if (earlier?.permitId === request.permitId) return earlier;
      store.audits.push({ action: 'egress.request-created', details: { egressRequestId: request.id } });
      if (idempotency) store.idempotencyKeys.set(`${idempotency.caller}/${idempotency.key}`, request.id);
      return store.seed({ ...request, status: 'DRAFT' });
    },
    async list(permitId) {
      return [...store.requests.values()].filter((r) => r.permitId === permitId);
    },
    async find(permitId, requestId) {
      const request = store.requests.get(requestId);
      return request?.permitId === permitId ? request : undefined;
    },
    async submit(submission, deliver) {
      const run = queue.then(() => {
        const current = store.requests.get(submission.requestId);
        if (!current || current.status !== submission.from || current.version !== submission.version) {
          if (current && submission.expectedVersion !== undefined && current.version !== submission.expectedVersion) throw new PreconditionFailedError('stale');
          throw new ConflictError('changed by someone else');
        }
        if (store.commands.some((c) => c.permitId === submission.permitId && c.status === 'pending')) throw commandPendingConflict(submission.permitId, 'this submission');
        const updated: EgressRequest = { ...current, status: 'SUBMITTED', submittedBy: submission.actor, version: current.version + 1, updatedAt: now() };
        store.requests.set(updated.id, updated);
        const command: FakeEgressStore['commands'][number] = { ...submission.command, status: 'pending' };
        store.commands.push(command);
        store.audits.push({ action: 'egress.request-submitted', details: submission.auditDetails, idempotencyKey: submission.command.messageId });
        return { updated, command };
      });
      queue = run.catch(() => undefined);
      const { updated, command } = await run;
      try {
        await deliver(submission.command);
      } catch (error) {
        return { request: updated, delivery: { outcome: 'pending', error } };
      }
      command.status = 'delivered';
      return { request: updated, delivery: { outcome: 'delivered' } };
    },
  };
  return store;
}
