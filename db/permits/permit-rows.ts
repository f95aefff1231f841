/**
 * The rows of `permits`, `permit_members` and `permit_status_history` (snake_case, as knex returns them) and the
 * plain camelCase objects the services and the API hand out. Beside `transitionPermit`, which holds these tables'
 * status rule; the REST API's permit and team stores, the job workers' permit store and the fixtures read them.
 */
import type { PermitStatus, TeamRole } from '../../shared/index.js';
import { toIso, toIsoOrNull, toNumber, type BigIntValue, type TimestampValue } from '../columns.js';

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
