/**
 * The audit log's hash chain: hash = sha256(prev_hash + canonical JSON of
 * { seq, occurred_at, actor, action, permit_id, details }), hex-encoded. The first entry's prev_hash is
 * GENESIS_HASH. `occurred_at` is the ISO 8601 UTC text with milliseconds (what `Date.toISOString` gives).
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json.js';

export const GENESIS_HASH = '0'.repeat(64);

export interface HashedAuditFields {
  seq: number;
  occurredAt: string;
  actor: string;
  action: string;
  permitId: string | null;
  details: Record<string, unknown>;
}

export function computeAuditHash(prevHash: string, fields: HashedAuditFields): string {
  const body = canonicalJson({
    seq: fields.seq,
    occurred_at: fields.occurredAt,
    actor: fields.actor,
    action: fields.action,
    permit_id: fields.permitId,
    details: fields.details,
  });
  return createHash('sha256').update(prevHash).update(body).digest('hex');
}
