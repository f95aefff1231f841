/**
 * A fingerprint of the Permit Manager database: per table, its row count and an md5 of its rows (as text, in a
 * fixed order). Two equal snapshots mean nothing was written. Columns the platform changes on its own while it
 * idles (the outbox relay marking events published, the lease it holds) are left out of the hash, and so is
 * the rate limiter's counters, and `user_directory.updated_at`: every authenticated caller is re-recorded at most every 5 minutes by design
 * (record-callers.ts), which is sign-in bookkeeping, not an effect of the request.
 */
import type { Knex } from 'knex';

export type Snapshot = Record<string, { rows: number; hash: string }>;

/**
 * Tables that change by design on any request, refused or not: the rate limiter's counters (on PostgreSQL, shared
 * by all instances; a refusal counts against the limit too), and bookkeeping that no request touches.
 */
const VOLATILE_TABLES = new Set(['knex_migrations_lock', 'rate_limit_counters']);
const VOLATILE_COLUMNS = new Set(['published_at', 'publish_attempts', 'last_error', 'claimed_at', 'claimed_by', 'locked_until', 'attempts', 'next_attempt_at', 'user_directory.updated_at']);

export async function listTables(knex: Knex): Promise<{ table: string; columns: string[] }[]> {
  const rows = (await knex.raw(
    `select table_name, string_agg(column_name, ',' order by ordinal_position) as columns
       from information_schema.columns where table_schema = current_schema() group by table_name order by table_name`,
  )) as { rows: { table_name: string; columns: string }[] };
  return rows.rows
    .filter((row) => !VOLATILE_TABLES.has(row.table_name))
    .map((row) => ({
      table: row.table_name,
      columns: row.columns.split(',').filter((column) => !VOLATILE_COLUMNS.has(column) && !VOLATILE_COLUMNS.has(`${row.table_name}.${column}`)),
    }));
}

/**
 * Every table's row count and hash in one statement (a UNION ALL of one aggregate per table): the fuzzer takes a
 * snapshot after every batch and several while it waits for the relay, so one round trip instead of one per table.
 */
export async function snapshot(knex: Knex, tables: { table: string; columns: string[] }[]): Promise<Snapshot> {
  const result: Snapshot = {};
  if (tables.length === 0) return result;
  const parts = tables.map(({ table, columns }) => {
    const row = `(${columns.map((c) => `t."${c}"`).join(', ')})::text`;
    return `select ?::text as t, count(*)::int as n, md5(coalesce(string_agg(${row}, '|' order by ${row}), '')) as h from "${table}" t`;
  });
  const answer = (await knex.raw(parts.join(' union all '), tables.map(({ table }) => table))) as { rows: { t: string; n: number; h: string }[] };
  for (const row of answer.rows) result[row.t] = { rows: row.n, hash: row.h };
  return result;
}

/** Tables whose count or hash differ, in words. */
export function differences(before: Snapshot, after: Snapshot): string[] {
  return Object.keys({ ...before, ...after })
    .filter((table) => before[table]?.hash !== after[table]?.hash || before[table]?.rows !== after[table]?.rows)
    .map((table) => `${table}: ${before[table]?.rows ?? 0} → ${after[table]?.rows ?? 0} rows${before[table]?.hash !== after[table]?.hash ? ' (content changed)' : ''}`);
}
