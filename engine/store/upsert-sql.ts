/**
 * The write side of the store as SQL: multi-row upserts of records and the key high-water mark. Pure.
 *
 * The rows of one statement travel as ONE bound parameter, a JSON array of `[key, kind, processInstanceKey,
 * active, record]` tuples unpacked with `jsonb_array_elements`: no parameter limit to chunk around, one
 * statement text for every batch size, and measured about 1.5× the rows/s of a `VALUES (?, ?, ...), ...`
 * list on both PostgreSQL and PGlite (less per-parameter work in the drivers and the parser).
 */
import { isActive, recordKey, recordProcessInstanceKey, type EngineRecord } from '../runtime/records.js';
import type { SqlFragment } from './search-sql.js';

/** Rows per statement: keeps a single statement's payload (and the server's memory for it) bounded. */
export const ROWS_PER_STATEMENT = 1000;

export const HIGH_WATER = 'keyHighWater';

/** Keeps the last version of each key (ON CONFLICT DO UPDATE may touch a row only once per statement). */
export function latestPerKey(records: readonly EngineRecord[]): EngineRecord[] {
  const byKey = new Map<string, EngineRecord>();
  for (const r of records) {
    const key = recordKey(r);
    byKey.delete(key); // keep the order of the last write
    byKey.set(key, r);
  }
  return [...byKey.values()];
}

/** The JSON payload of one statement. */
export function rowsPayload(rows: readonly EngineRecord[]): string {
  return JSON.stringify(rows.map((r) => [recordKey(r), r.kind, recordProcessInstanceKey(r) ?? null, isActive(r), r]));
}

function rowsSql(table: string, rows: readonly EngineRecord[]): SqlFragment {
  return {
    sql:
      `INSERT INTO ${table} (key, kind, process_instance_key, active, data, updated_at) ` +
      "SELECT (e->>0)::bigint, e->>1, (e->>2)::bigint, (e->>3)::boolean, e->4, now() FROM jsonb_array_elements(?::jsonb) AS e " +
      'ON CONFLICT (key) DO UPDATE SET kind = EXCLUDED.kind, process_instance_key = EXCLUDED.process_instance_key, ' +
      'active = EXCLUDED.active, data = EXCLUDED.data, updated_at = EXCLUDED.updated_at',
    bindings: [rowsPayload(rows)],
  };
}

/**
 * The statements of one commit. The high-water upsert rides on the first record statement as a
 * data-modifying CTE, so a batch of up to ROWS_PER_STATEMENT records is ONE statement (atomic by itself:
 * no BEGIN/COMMIT round trips needed); the caller wraps several statements in a transaction.
 */
export function commitStatements(recordsTable: string, metaTable: string, records: readonly EngineRecord[], keyHighWater: number | undefined): SqlFragment[] {
  const rows = latestPerKey(records);
  const statements: SqlFragment[] = [];
  for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
    statements.push(rowsSql(recordsTable, rows.slice(i, i + ROWS_PER_STATEMENT)));
  }
  if (keyHighWater === undefined) return statements;
  const meta: SqlFragment = {
    sql: `INSERT INTO ${metaTable} (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = EXCLUDED.value`,
    bindings: [HIGH_WATER, String(keyHighWater)],
  };
  const first = statements[0];
  if (!first) return [meta];
  statements[0] = { sql: `WITH meta AS (${meta.sql}) ${first.sql}`, bindings: [...meta.bindings, ...first.bindings] };
  return statements;
}
