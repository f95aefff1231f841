/**
 * The rows of `audit_log` and `audit_chain_head`, beside `appendAudit` (the only writer) and `verifyAuditLog`.
 */
import { toIso, toNumber, type BigIntValue, type TimestampValue } from '../columns.js';

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
