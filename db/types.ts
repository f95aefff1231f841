/**
 * Row types of the Permit Manager tables (snake_case, as knex returns them) and mappers to the plain
 * camelCase objects the services and the API hand out. Timestamps become ISO 8601 strings, bigint columns
 * numbers (PostgreSQL returns them as strings, PGlite as numbers), JSON columns stay parsed.
 */
import type { EgressStatus, EventName, PermitStatus, ReviewStage, STAGE_DECISIONS, TeamRole, WorkspacePhase } from '../shared/index.js';

/** Table names, for greppable queries: `knex(TABLES.permits)`. */
export const TABLES = {
  permits: 'permits',
  permitMembers: 'permit_members',
  permitStatusHistory: 'permit_status_history',
  reviewDecisions: 'review_decisions',
  egressRequests: 'egress_requests',
  workspaces: 'workspaces',
  outboxEvents: 'outbox_events',
  auditLog: 'audit_log',
  auditChainHead: 'audit_chain_head',
  notifications: 'notifications',
  notificationDeliveries: 'notification_deliveries',
  notificationPreferences: 'notification_preferences',
  userDirectory: 'user_directory',
  rateLimitCounters: 'rate_limit_counters',
  idempotencyKeys: 'idempotency_keys',
} as const;

/** A timestamptz as a driver returns it (Date), or as text from a raw cast. */
export type TimestampValue = Date | string;
/** A bigint / bigserial as a driver returns it. */
export type BigIntValue = string | number;
/** A decision any stage accepts (the application stage asks for information instead of rework). */
export type StageDecision = (typeof STAGE_DECISIONS)[ReviewStage][number];

export interface PermitRow {
  id: string;
  title: string;
  purpose: string;
  status: PermitStatus;
  valid_from: TimestampValue | null;
  valid_until: TimestampValue | null;
  deletion_grace_period: string | null;
  process_instance_key: string | null;
  created_by: string;
  created_at: TimestampValue;
  updated_at: TimestampValue;
  version: number;
}

export interface Permit {
  id: string;
  title: string;
  purpose: string;
  status: PermitStatus;
  validFrom: string | null;
  validUntil: string | null;
  /** ISO 8601 duration, e.g. `P30D`. */
  deletionGracePeriod: string | null;
  processInstanceKey: string | null;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  /** Incremented on every change; the HTTP ETag is `"<version>"`. */
  version: number;
}

export interface MemberRow {
  permit_id: string;
  user_id: string;
  team_role: TeamRole;
  added_by: string;
  added_at: TimestampValue;
}

export interface Member {
  permitId: string;
  userId: string;
  teamRole: TeamRole;
  addedBy: string;
  addedAt: string;
}

export interface StatusHistoryRow {
  id: BigIntValue;
  permit_id: string;
  previous_status: PermitStatus | null;
  new_status: PermitStatus;
  actor: string;
  reason: string | null;
  version: number;
  process_instance_key: string | null;
  occurred_at: TimestampValue;
}

export interface StatusHistoryEntry {
  id: number;
  permitId: string;
  previousStatus: PermitStatus | null;
  newStatus: PermitStatus;
  actor: string;
  reason: string | null;
  /** The permit's version after this change. */
  version: number;
  processInstanceKey: string | null;
  occurredAt: string;
}

export interface ReviewDecisionRow {
  id: string;
  permit_id: string;
  stage: ReviewStage;
  decision: StageDecision;
  comment: string | null;
  checklist: unknown;
  reviewer: string;
  submitted_by: string | null;
  egress_request_id: string | null;
  user_task_key: string | null;
  decided_at: TimestampValue;
  /** Migration 0008: the user task's process instance and element, when the decision listener recorded it. */
  process_instance_key?: string | null;
  element_id?: string | null;
}

/** A recorded review decision (not to be confused with shared's `ReviewDecision`, the decision value). */
export interface ReviewDecision {
  id: string;
  permitId: string;
  stage: ReviewStage;
  decision: StageDecision;
  comment: string | null;
  checklist: unknown;
  reviewer: string;
  /** Whose submission was reviewed (a reviewer may never decide on their own). */
  submittedBy: string | null;
  egressRequestId: string | null;
  userTaskKey: string | null;
  decidedAt: string;
}

export interface EgressFile {
  path: string;
  description?: string;
}

export interface EgressRequestRow {
  id: string;
  permit_id: string;
  status: EgressStatus;
  title: string;
  files: EgressFile[];
  disclosure_checks: unknown;
  required_reviews: number;
  created_by: string;
  submitted_by: string | null;
  created_at: TimestampValue;
  updated_at: TimestampValue;
  version: number;
}

export interface EgressRequest {
  id: string;
  permitId: string;
  status: EgressStatus;
  title: string;
  files: EgressFile[];
  disclosureChecks: unknown;
  requiredReviews: number;
  createdBy: string;
  submittedBy: string | null;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export interface WorkspaceRow {
  permit_id: string;
  phase: WorkspacePhase;
  desired_state: Record<string, unknown>;
  observed_state: Record<string, unknown> | null;
  updated_at: TimestampValue;
}

export interface Workspace {
  permitId: string;
  phase: WorkspacePhase;
  desiredState: Record<string, unknown>;
  observedState: Record<string, unknown> | null;
  updatedAt: string;
}

export interface OutboxEventRow {
  seq: BigIntValue;
  id: string;
  name: EventName;
  permit_id: string | null;
  payload: Record<string, unknown>;
  occurred_at: TimestampValue;
  published_at: TimestampValue | null;
  attempts: number;
  last_error: string | null;
}

export interface OutboxEvent {
  seq: number;
  /** Event id (uuid); consumers de-duplicate on it. */
  id: string;
  name: EventName;
  permitId: string | null;
  payload: Record<string, unknown>;
  occurredAt: string;
  publishedAt: string | null;
  attempts: number;
  lastError: string | null;
}

export interface AuditRow {
  seq: BigIntValue;
  occurred_at: TimestampValue;
  actor: string;
  action: string;
  permit_id: string | null;
  details: Record<string, unknown>;
  idempotency_key: string | null;
  prev_hash: string;
  hash: string;
}

export interface AuditEntry {
  seq: number;
  occurredAt: string;
  actor: string;
  action: string;
  permitId: string | null;
  details: Record<string, unknown>;
  idempotencyKey: string | null;
  prevHash: string;
  hash: string;
}

export interface AuditChainHeadRow {
  id: boolean;
  last_seq: BigIntValue;
  last_hash: string;
}

/** A timestamp as an ISO 8601 string (UTC, milliseconds). */
/** `user_directory.roles` (jsonb) as a list of roles; drivers hand jsonb over parsed, a string is parsed just in case. */
export function toDirectoryRoles(value: unknown): string[] {
  const parsed: unknown = typeof value === 'string' ? JSON.parse(value) : value;
  return Array.isArray(parsed) ? parsed.filter((role): role is string => typeof role === 'string') : [];
}

export function toIso(value: TimestampValue): string {
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) throw new TypeError(`Not a timestamp: ${String(value)}`);
  return date.toISOString();
}

function toIsoOrNull(value: TimestampValue | null): string | null {
  return value === null ? null : toIso(value);
}

/** A bigint column as a number (safe: sequences here stay far below 2^53). */
export function toNumber(value: BigIntValue): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new TypeError(`Not a safe integer: ${String(value)}`);
  return n;
}

export function toPermit(row: PermitRow): Permit {
  return {
    id: row.id,
    title: row.title,
    purpose: row.purpose,
    status: row.status,
    validFrom: toIsoOrNull(row.valid_from),
    validUntil: toIsoOrNull(row.valid_until),
    deletionGracePeriod: row.deletion_grace_period,
    processInstanceKey: row.process_instance_key,
    createdBy: row.created_by,
    createdAt: toIso(row.created_at),
    updatedAt: toIso(row.updated_at),
    version: row.version,
  };
}

export function toMember(row: MemberRow): Member {
  return { permitId: row.permit_id, userId: row.user_id, teamRole: row.team_role, addedBy: row.added_by, addedAt: toIso(row.added_at) };
}

export function toStatusHistoryEntry(row: StatusHistoryRow): StatusHistoryEntry {
  return {
    id: toNumber(row.id),
    permitId: row.permit_id,
    previousStatus: row.previous_status,
    newStatus: row.new_status,
    actor: row.actor,
    reason: row.reason,
    version: row.version,
    processInstanceKey: row.process_instance_key,
    occurredAt: toIso(row.occurred_at),
  };
}

export function toReviewDecision(row: ReviewDecisionRow): ReviewDecision {
  return {
    id: row.id,
    permitId: row.permit_id,
    stage: row.stage,
    decision: row.decision,
    comment: row.comment,
    checklist: row.checklist ?? null,
    reviewer: row.reviewer,
    submittedBy: row.submitted_by,
    egressRequestId: row.egress_request_id,
    userTaskKey: row.user_task_key,
    decidedAt: toIso(row.decided_at),
  };
}

export function toEgressRequest(row: EgressRequestRow): EgressRequest {
  return {
    id: row.id,
    permitId: row.permit_id,
    status: row.status,
    title: row.title,
    files: row.files,
    disclosureChecks: row.disclosure_checks ?? null,
    requiredReviews: row.required_reviews,
    createdBy: row.created_by,
    submittedBy: row.submitted_by,
    createdAt: toIso(row.created_at),
    updatedAt: toIso(row.updated_at),
    version: row.version,
  };
}

export function toWorkspace(row: WorkspaceRow): Workspace {
  return {
    permitId: row.permit_id,
    phase: row.phase,
    desiredState: row.desired_state,
    observedState: row.observed_state,
    updatedAt: toIso(row.updated_at),
  };
}

export function toOutboxEvent(row: OutboxEventRow): OutboxEvent {
  return {
    seq: toNumber(row.seq),
    id: row.id,
    name: row.name,
    permitId: row.permit_id,
    payload: row.payload,
    occurredAt: toIso(row.occurred_at),
    publishedAt: toIsoOrNull(row.published_at),
    attempts: row.attempts,
    lastError: row.last_error,
  };
}

export function toAuditEntry(row: AuditRow): AuditEntry {
  return {
    seq: toNumber(row.seq),
    occurredAt: toIso(row.occurred_at),
    actor: row.actor,
    action: row.action,
    permitId: row.permit_id,
    details: row.details,
    idempotencyKey: row.idempotency_key,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}
