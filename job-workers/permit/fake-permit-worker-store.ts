/**
 * In-memory `PermitWorkerStore` for unit tests, following the same rules as the database one: the status machine of
 * `shared/permit-status.ts`, no writes when the status is already the target, and idempotency keys on
 * everything else. Tests read `history`, `audit` and `outbox` to assert what was written.
 */
import { randomUUID } from 'node:crypto';
import {
  EVENTS,
  InvalidTransitionError,
  NotFoundError,
  PERMIT_TRANSITIONS,
  EGRESS_TRANSITIONS,
  canTransition,
  canTransitionEgress,
  ConflictError,
  type EgressStatus,
  type PermitStatus,
  type TeamRole,
} from '../../shared/index.js';
import { assertAmendmentTeamRules } from './amendment-team-rules.js';
import type { OutboxEventInput, PermitWorkerStore, StatusChange, StatusChangeResult } from './permit-worker-store.js';

export interface FakePermit {
  id: string;
  status: PermitStatus;
  version: number;
  validFrom?: Date;
  validUntil?: Date;
}

export interface FakePermitWorkerStore extends PermitWorkerStore {
  permits: Map<string, FakePermit>;
  egressRequests: Map<string, { id: string; permitId: string; status: EgressStatus; releasePolicy?: { requiredReviews: 1 | 2; reason: string } }>;
  members: { permitId: string; userId: string; teamRole: TeamRole; addedBy: string }[];
  /** The user directory: user id → token roles (who may join which team). */
  users: Map<string, readonly string[]>;
  history: { permitId: string; previousStatus: PermitStatus; newStatus: PermitStatus; actor: string; reason?: string; processInstanceKey: string }[];
  audit: { action: string; actor: string; permitId: string; details: Record<string, unknown>; idempotencyKey?: string }[];
  outbox: { id: string; name: string; permitId: string; payload: Record<string, unknown> }[];
  addPermit(id: string, status: PermitStatus): FakePermit;
  addEgressRequest(id: string, permitId: string, status: EgressStatus): void;
}

export function createFakePermitWorkerStore(): FakePermitWorkerStore {
  const store: FakePermitWorkerStore = {
    permits: new Map(),
    egressRequests: new Map(),
    members: [],
    users: new Map(),
    history: [],
    audit: [],
    outbox: [],

    addPermit(id, status) {
      const permit = { id, status, version: 1 };
      store.permits.set(id, permit);
      return permit;
    },
    addEgressRequest(id, permitId, status) {
      store.egressRequests.set(id, { id, permitId, status });
    },

    async transition(change) {
      return transition(change);
    },

    async currentStatus(permitId) {
      return permitOf(permitId).status;
    },

    async openEgressRequests(permitId, exceptId) {
      return [...store.egressRequests.values()]
        .filter((r) => r.permitId === permitId && r.id !== exceptId && (r.status === 'SUBMITTED' || r.status === 'IN_REVIEW'))
        .map((r) => r.id);
    },

    async statusBeforeLatestSuspension(permitId) {
      return store.history.findLast((row) => row.permitId === permitId && row.newStatus === 'SUSPENDED')?.previousStatus;
    },

    async issue(change) {
      const permit = permitOf(change.permitId);
      if (permit.status === change.to) return unchanged(permit);
      if (!canTransition(permit.status, change.to)) throw invalid(permit, change.to);
      permit.validFrom = change.validFrom;
      permit.validUntil = change.validUntil;
      return transition(change);
    },

    async publishEvent(event) {
      if (store.outbox.some((row) => row.id === event.id)) return { enqueued: false };
      enqueue(event);
      return { enqueued: true };
    },

    async setEgressStatus(change) {
      const request = store.egressRequests.get(change.egressRequestId);
      if (!request || request.permitId !== change.permitId) {
        throw new NotFoundError(`Egress request ${change.egressRequestId} of permit ${change.permitId} does not exist.`);
      }
      const previousStatus = request.status;
      if (previousStatus === change.to) return { changed: false, status: previousStatus };
      if (!canTransitionEgress(previousStatus, change.to)) {
        throw new InvalidTransitionError(`Egress request ${request.id} is ${previousStatus} and cannot move to ${change.to} (it may move to ${EGRESS_TRANSITIONS[previousStatus].join(', ') || 'nothing'}).`, previousStatus);
      }
      request.status = change.to;
      if (change.releasePolicy) request.releasePolicy = change.releasePolicy;
      appendAudit('egress.status.changed', change.actor, change.permitId, { egressRequestId: request.id, previousStatus, newStatus: change.to }, change.idempotencyKey);
      if (change.event) enqueue({ id: randomUUID(), name: change.event, permitId: change.permitId, payload: { egressRequestId: request.id, previousStatus, newStatus: change.to } });
      return { changed: true, status: change.to };
    },

    async applyAmendment(change) {
      const permit = permitOf(change.permitId);
      if (store.audit.some((row) => row.idempotencyKey === change.idempotencyKey)) return { applied: false };
      const { validUntil, addMembers = [], removeMembers = [] } = change.amendment;
      const known = addMembers.flatMap((m) => (store.users.has(m.userId) ? [{ userId: m.userId, roles: store.users.get(m.userId) ?? [] }] : []));
      assertAmendmentTeamRules(permit.id, change.amendment, store.members.filter((m) => m.permitId === permit.id), known);
      if (validUntil) permit.validUntil = validUntil;
      const removed: { userId: string; teamRole: string }[] = [];
      for (const removal of removeMembers) {
        const gone = (m: (typeof store.members)[number]) =>
          m.permitId === permit.id && m.userId === removal.userId && (removal.teamRole === undefined || m.teamRole === removal.teamRole);
        removed.push(...store.members.filter(gone).map((m) => ({ userId: m.userId, teamRole: m.teamRole })));
        store.members = store.members.filter((m) => !gone(m));
      }
      const added: { userId: string; teamRole: string }[] = [];
      for (const member of addMembers) {
        const exists = store.members.some((m) => m.permitId === permit.id && m.userId === member.userId && m.teamRole === member.teamRole);
        if (!exists) {
          store.members.push({ permitId: permit.id, ...member, addedBy: change.actor });
          added.push({ userId: member.userId, teamRole: member.teamRole });
        }
      }
      permit.version += 1;
      appendAudit(EVENTS.amended, change.actor, permit.id, { amendment: change.amendment }, change.idempotencyKey);
      enqueue({ id: randomUUID(), name: change.event, permitId: permit.id, payload: { permitId: permit.id, version: permit.version } });
      if (added.length > 0 || removed.length > 0) enqueue({ id: randomUUID(), name: EVENTS.membersChanged, permitId: permit.id, payload: { added, removed } });
      return { applied: true };
    },
  };

  function permitOf(permitId: string): FakePermit {
    const permit = store.permits.get(permitId);
    if (!permit) throw new NotFoundError(`Permit ${permitId} does not exist.`);
    return permit;
  }

  function transition(change: StatusChange): StatusChangeResult {
    const permit = permitOf(change.permitId);
    if (permit.status === change.to) return unchanged(permit);
    if (change.expectedStatus && permit.status !== change.expectedStatus) {
      throw new ConflictError(`Permit ${permit.id} is ${permit.status}, not ${change.expectedStatus}.`);
    }
    if (!canTransition(permit.status, change.to)) throw invalid(permit, change.to);
    const previousStatus = permit.status;
    permit.status = change.to;
    permit.version += 1;
    const { permitId, actor, reason, processInstanceKey } = change;
    store.history.push({ permitId, previousStatus, newStatus: change.to, actor, reason, processInstanceKey });
    appendAudit('permit.status.changed', actor, permitId, { previousStatus, newStatus: change.to, reason }, change.idempotencyKey);
    const payload = { permitId, previousStatus, newStatus: change.to, actor, reason, version: permit.version, processInstanceKey };
    enqueue({ id: randomUUID(), name: EVENTS.statusUpdated, permitId, payload });
    if (change.event) enqueue({ id: randomUUID(), name: change.event, permitId, payload: { ...payload, ...change.payload } });
    return { changed: true, status: change.to, version: permit.version };
  }

  function unchanged(permit: FakePermit): StatusChangeResult {
    return { changed: false, status: permit.status, version: permit.version };
  }

  function invalid(permit: FakePermit, to: PermitStatus): InvalidTransitionError {
    return new InvalidTransitionError(`Permit ${permit.id} is ${permit.status} and cannot move to ${to} (it may move to ${PERMIT_TRANSITIONS[permit.status].join(', ') || 'nothing'}).`, permit.status);
  }

  function appendAudit(action: string, actor: string, permitId: string, details: Record<string, unknown>, idempotencyKey?: string): void {
    if (idempotencyKey && store.audit.some((row) => row.idempotencyKey === idempotencyKey)) return;
    store.audit.push({ action, actor, permitId, details, idempotencyKey });
  }

  function enqueue(event: OutboxEventInput | { id: string; name: string; permitId: string; payload: Record<string, unknown> }): void {
    store.outbox.push({ id: event.id, name: event.name, permitId: event.permitId, payload: event.payload });
  }

  return store;
}
