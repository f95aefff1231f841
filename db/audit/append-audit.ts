/**
 * Appends one entry to the audit log's hash chain (see audit-hash.ts). Entries are written strictly one
 * after another: the one-row `audit_chain_head` is locked FOR UPDATE until the caller's transaction ends, so
 * seqs are gapless and each entry links to the one before it. Call it inside the transaction that makes the
 * change being audited (given a plain knex it opens its own). Use READ COMMITTED (PostgreSQL's default) for
 * that transaction: under REPEATABLE READ a concurrent append makes the lock fail with a serialization error.
 *
 * Append after the transaction's other row changes (only outbox events should follow): the chain head stays
 * locked until commit, so audited changes queue behind it, and a transaction that appends first and then
 * waits for a row that another audited change holds deadlocks with it (PostgreSQL aborts one of the two).
 * Outbox events written after it (as transitionPermit does) get their `seq` in commit order.
 *
 * Idempotent on `idempotencyKey`: when an entry with that key exists, it is returned and nothing is written.
 */
import type { Knex } from 'knex';
import { ValidationError } from '../../shared/index.js';
import { toNumber } from '../columns.js';
import { TABLES } from '../types.js';
import { toAuditEntry, type AuditChainHeadRow, type AuditEntry, type AuditRow } from './audit-rows.js';
import { computeAuditHash } from './audit-hash.js';
import { canonicalJson } from './canonical-json.js';

export interface AppendAuditInput {
  /** Who did it: a user id, or `system:<component>` for the platform itself. */
  actor: string;
  /** What was done, `<thing>.<verb>`, e.g. `permit.status.changed`, `setup.reviewed`. */
  action: string;
  permitId?: string | null;
  /** JSON-safe facts about the action. */
  details?: Record<string, unknown>;
  /** A key unique to the action (e.g. derived from a job key): a repeat with the same key writes nothing. */
  idempotencyKey?: string | null;
}

export interface AppendAuditResult {
  entry: AuditEntry;
  /** false when an entry with the idempotency key already existed (and is returned instead). */
  created: boolean;
}

const MAX_TEXT = 500;

export async function appendAudit(db: Knex, input: AppendAuditInput): Promise<AppendAuditResult> {
  const details = validate(input);
  const key = input.idempotencyKey ?? null;
  const existing = async (trx: Knex): Promise<AppendAuditResult | undefined> => {
    if (!key) return undefined;
    const row = (await trx(TABLES.auditLog).where({ idempotency_key: key }).first()) as AuditRow | undefined;
    return row ? { entry: toAuditEntry(row), created: false } : undefined;
  };
  const run = async (trx: Knex): Promise<AppendAuditResult> => {
    // From here to the caller's commit every other append waits: two statements only. (A repeat, rare, is found
    // by the insert below; checking for it first would cost every append a statement.)
    const head = (await trx(TABLES.auditChainHead).where({ id: true }).forUpdate().first()) as AuditChainHeadRow | undefined;
    if (!head) throw new Error('The audit chain head is missing: run the Permit Manager migrations (audit_chain_head has no row).');
    const seq = toNumber(head.last_seq) + 1;
    const occurredAt = new Date().toISOString();
    const permitId = input.permitId ?? null;
    const hash = computeAuditHash(head.last_hash, { seq, occurredAt, actor: input.actor, action: input.action, permitId, details });
    // The entry and the head's move in one statement; when an entry with the same idempotency key exists (a
    // repeat), the insert does nothing, the head stays, and that entry is returned.
    const inserted = (await trx.raw(
      `WITH entry AS (
         INSERT INTO ?? (seq, occurred_at, actor, action, permit_id, details, idempotency_key, prev_hash, hash)
         VALUES (?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?)
         ON CONFLICT (idempotency_key) DO NOTHING
         RETURNING *
       ), head AS (
         UPDATE ?? SET last_seq = ?, last_hash = ? WHERE id AND EXISTS (SELECT 1 FROM entry) RETURNING id
       )
       SELECT entry.* FROM entry`,
      [TABLES.auditLog, seq, occurredAt, input.actor, input.action, permitId, JSON.stringify(details), key, head.last_hash, hash, TABLES.auditChainHead, seq, hash],
    )) as { rows: AuditRow[] };
    const [row] = inserted.rows;
    if (!row) {
      const repeat = await existing(trx);
      if (repeat) return repeat;
      throw new Error(`The audit entry ${seq} was not written and no entry has its idempotency key "${key ?? ''}".`);
    }
    // The hash covers the details as written; jsonb must give back exactly those, or verification would fail later.
    if (canonicalJson(row.details) !== canonicalJson(details)) {
      throw new ValidationError('The audit details cannot be stored exactly as JSON (jsonb changed them); use plain strings, numbers, booleans, arrays and objects.');
    }
    return { entry: toAuditEntry(row), created: true };
  };
  return (db as Knex.Transaction).isTransaction ? run(db) : db.transaction(run);
}

/** Checks the input and returns the details as JSON gives them back (Dates as strings, undefined members gone). */
function validate(input: AppendAuditInput): Record<string, unknown> {
  const text = (name: string, value: unknown, required: boolean): void => {
    if (value === undefined || value === null) {
      if (required) throw new ValidationError(`Audit entry: ${name} is required`);
      return;
    }
    if (typeof value !== 'string' || value.trim() === '' || value.length > MAX_TEXT) {
      throw new ValidationError(`Audit entry: ${name} must be a non-empty string of at most ${MAX_TEXT} characters`, { field: name });
    }
  };
  text('actor', input.actor, true);
  text('action', input.action, true);
  text('permitId', input.permitId, false);
  text('idempotencyKey', input.idempotencyKey, false);
  const details = input.details ?? {};
  if (typeof details !== 'object' || details === null || Array.isArray(details)) {
    throw new ValidationError('Audit entry: details must be a JSON object', { field: 'details' });
  }
  let normalized: unknown;
  try {
    normalized = JSON.parse(canonicalJson(details));
  } catch (err) {
    throw new ValidationError(`Audit entry: details are not JSON-safe: ${(err as Error).message}`, { field: 'details' });
  }
  return normalized as Record<string, unknown>;
}
