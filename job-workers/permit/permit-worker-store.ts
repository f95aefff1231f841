/**
 * What the permit workers need from the Permit Manager's database (the port). `createKnexPermitWorkerStore` implements
 * it on `db/`; `createFakePermitWorkerStore` in memory for unit tests. Every write is idempotent: setting the status a
 * permit already has changes nothing, and writes that are not status changes are keyed by the job
 * (`jobIdempotencyKey`), so a job delivered twice writes once.
 */
import type { EgressStatus, EventName, PermitStatus, TeamRole } from '../../shared/index.js';

export interface StatusChange {
  permitId: string;
  to: PermitStatus;
  /** Only move when the permit is in this status (else ConflictError or InvalidTransitionError). */
  expectedStatus?: PermitStatus;
  actor: string;
  reason?: string;
  /** Domain event published with the change, besides `permit.status.updated`. */
  event?: EventName;
  processInstanceKey: string;
  idempotencyKey: string;
  /** Extra payload of the domain event. */
  payload?: Record<string, unknown>;
}

export interface StatusChangeResult {
  changed: boolean;
  /** The permit's status and version after the call. */
  status: PermitStatus;
  version: number;
}

export interface IssueChange extends StatusChange {
  validFrom: Date;
  validUntil: Date;
}

export interface EgressStatusChange {
  permitId: string;
  egressRequestId: string;
  to: EgressStatus;
  actor: string;
  event?: EventName;
  processInstanceKey: string;
  idempotencyKey: string;
  /** What the HDAB's output release policy decided for the review round, recorded on the request with the change. */
  releasePolicy?: { requiredReviews: 1 | 2; reason: string };
}

export interface MemberRef {
  userId: string;
  teamRole: TeamRole;
}

export interface Amendment {
  validUntil?: Date;
  addMembers?: MemberRef[];
  /** Without a team role, every role the user holds on the permit is removed. */
  removeMembers?: { userId: string; teamRole?: TeamRole }[];
}

export interface AmendmentChange {
  permitId: string;
  amendment: Amendment;
  actor: string;
  event: EventName;
  processInstanceKey: string;
  idempotencyKey: string;
}

export interface OutboxEventInput {
  /** Event id; derived from the job, so a second delivery finds it already there. */
  id: string;
  name: EventName;
  permitId: string;
  payload: Record<string, unknown>;
}

export interface PermitWorkerStore {
  /** `transitionPermit`: status, history, audit and outbox in one transaction; same status → `changed: false`. */
  transition(change: StatusChange): Promise<StatusChangeResult>;
  /** The permit's status; NotFoundError when there is no such permit. */
  currentStatus(permitId: string): Promise<PermitStatus>;
  /** Ids of the permit's egress requests still waiting for a decision (SUBMITTED or IN_REVIEW), except `exceptId`. */
  openEgressRequests(permitId: string, exceptId?: string): Promise<string[]>;
  /** The status the permit had before it was last suspended (from the status history), if it ever was. */
  statusBeforeLatestSuspension(permitId: string): Promise<PermitStatus | undefined>;
  /** Sets the validity window and moves to `to` (APPROVED) in one transaction. */
  issue(change: IssueChange): Promise<StatusChangeResult>;
  /** Enqueues an outbox event unless one with this id exists. */
  publishEvent(event: OutboxEventInput): Promise<{ enqueued: boolean }>;
  /** Moves an egress request of the permit to `to`, with audit and outbox; same status → `changed: false`. */
  setEgressStatus(change: EgressStatusChange): Promise<{ changed: boolean; status: EgressStatus }>;
  /** Applies an amendment once per idempotency key, with audit and outbox. */
  applyAmendment(change: AmendmentChange): Promise<{ applied: boolean }>;
}
