/**
 * Migrated test schemas used again instead of migrated from empty (db/testing/test-databases.ts). Migrating a fresh
 * schema costs about 0.2 s of CPU on PGlite (and a round of DDL on PostgreSQL) per test; emptying one a test has
 * closed costs a few statements. A closed schema is recycled only when it is as the migrations left it (the same
 * tables, columns, indexes, triggers, functions and types as a freshly migrated one, compared on the catalog): the
 * tables holding rows are truncated (identities restarted; the empty ones are left alone), the rows the migrations
 * insert (e.g. the audit chain's genesis head) put back, every sequence set back to where the migrations left it,
 * and the schema renamed to a fresh name, so the next test gets an empty, migrated schema with a name nobody used
 * before. Anything else is dropped as before.
 */
import type { Knex } from 'knex';
import { MIGRATIONS_TABLE } from '../migrations/permit-migrations.js';

/** What a freshly migrated schema holds besides its empty tables, read once per process and dialect. */
export interface SchemaTemplate {
  /** The catalog's description of the schema (see `catalogFingerprint`). */
  fingerprint: string;
  /** The tables a reset empties: every table but the migrator's bookkeeping (which a recycled schema keeps as is). */
  tables: string[];
  /** Rows the migrations inserted, per table. */
  seeds: Array<{ table: string; rows: Record<string, unknown>[] }>;
  /** Every sequence's state after migrating. */
  sequences: Array<{ name: string; lastValue: string; isCalled: boolean }>;
}

const BOOKKEEPING = new Set([MIGRATIONS_TABLE, `${MIGRATIONS_TABLE}_lock`]);

const quoted = (name: string): string => `"${name.replaceAll('"', '""')}"`;

/** Tables, their columns and types, indexes, sequences, views, triggers, functions and types of `schema`, as one string. */
export async function catalogFingerprint(knex: Knex, schema: string): Promise<string> {
  const result = await knex.raw<{ rows: Array<{ part: string | null }> }>(
    `SELECT string_agg(c.relname::text || ':' || c.relkind::text || '(' || coalesce((
              SELECT string_agg(a.attname::text || ' ' || format_type(a.atttypid, a.atttypmod) || CASE WHEN a.attnotnull THEN '!' ELSE '' END, ',' ORDER BY a.attnum)
              FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped), '') || ')', ';' ORDER BY c.relname) AS part
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = ?
     UNION ALL
     SELECT string_agg(t.tgname::text || '@' || tc.relname::text, ',' ORDER BY t.tgname, tc.relname)
       FROM pg_trigger t JOIN pg_class tc ON tc.oid = t.tgrelid JOIN pg_namespace n ON n.oid = tc.relnamespace WHERE n.nspname = ? AND NOT t.tgisinternal
     UNION ALL
     SELECT string_agg(co.conname::text || '@' || co.contype::text, ',' ORDER BY co.conname, co.contype)
       FROM pg_constraint co JOIN pg_namespace n ON n.oid = co.connamespace WHERE n.nspname = ?
     UNION ALL
     SELECT string_agg(p.proname::text, ',' ORDER BY p.proname) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = ?
     UNION ALL
     SELECT string_agg(ty.typname::text, ',' ORDER BY ty.typname) FROM pg_type ty JOIN pg_namespace n ON n.oid = ty.typnamespace WHERE n.nspname = ?`,
    [schema, schema, schema, schema, schema],
  );
  return result.rows.map((row) => row.part ?? '').join('|');
}

/** Reads the template from a schema the migrations have just made (nothing else has touched it yet). */
export async function readTemplate(knex: Knex, schema: string): Promise<SchemaTemplate> {
  const fingerprint = await catalogFingerprint(knex, schema);
  const relations = await knex.raw<{ rows: Array<{ name: string; kind: string }> }>(
    `SELECT c.relname AS name, c.relkind AS kind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = ? AND c.relkind IN ('r', 'p', 'S') ORDER BY c.relname`,
    [schema],
  );
  const tables = relations.rows.filter((r) => r.kind !== 'S' && !BOOKKEEPING.has(r.name)).map((r) => r.name);
  const seeds: SchemaTemplate['seeds'] = [];
  for (const table of tables) {
    const rows = (await knex.raw<{ rows: Record<string, unknown>[] }>(`SELECT * FROM ${quoted(schema)}.${quoted(table)}`)).rows;
    if (rows.length > 0) seeds.push({ table, rows });
  }
  const sequences: SchemaTemplate['sequences'] = [];
  for (const { name } of relations.rows.filter((r) => r.kind === 'S')) {
    const state = (await knex.raw<{ rows: Array<{ last_value: string | number; is_called: boolean }> }>(`SELECT last_value, is_called FROM ${quoted(schema)}.${quoted(name)}`)).rows[0]!;
    sequences.push({ name, lastValue: String(state.last_value), isCalled: state.is_called });
  }
  return { fingerprint, tables, seeds, sequences };
}

/** The tables of `tables` (in `schema`) that hold at least one row, after locking all of them. */
async function tablesWithRows(trx: Knex.Transaction, schema: string, tables: string[]): Promise<string[]> {
  if (tables.length === 0) return [];
  const names = tables.map((t) => `${quoted(schema)}.${quoted(t)}`);
  await trx.raw(`LOCK TABLE ${names.join(', ')} IN ACCESS EXCLUSIVE MODE`);
  const probes = names.map((name) => `SELECT ?::text AS name WHERE EXISTS (SELECT 1 FROM ${name})`).join(' UNION ALL ');
  const result = await trx.raw<{ rows: Array<{ name: string }> }>(probes, tables);
  return result.rows.map((row) => row.name);
}

/**
 * Empties `schema` back to `template` and renames it to `newName`, when its catalog still matches the template.
 * Returns false (having changed nothing) when it does not; throws when a statement fails (the caller drops it then).
 */
export async function recycleSchema(knex: Knex, schema: string, template: SchemaTemplate, newName: string): Promise<boolean> {
  if ((await catalogFingerprint(knex, schema)) !== template.fingerprint) return false;
  await knex.transaction(async (trx) => {
    // A connection another test left in a transaction on these tables must not hold the reset up for long.
    await trx.raw(`SET LOCAL lock_timeout = '5s'`);
    // Only the tables that hold rows are truncated: a TRUNCATE gives each table and index a new file, which cost
    // most of a reset when it emptied all of them (most tests write to a few). Locked first, so no row can arrive
    // in a table between finding it empty and the rename. The sequences are all set back below either way.
    const used = await tablesWithRows(trx, schema, template.tables);
    if (used.length > 0) await trx.raw(`TRUNCATE ${used.map((t) => `${quoted(schema)}.${quoted(t)}`).join(', ')} RESTART IDENTITY CASCADE`);
    for (const seed of template.seeds) await trx.withSchema(schema).table(seed.table).insert(seed.rows);
    for (const sequence of template.sequences) {
      await trx.raw('SELECT setval(?::regclass, ?::bigint, ?)', [`${quoted(schema)}.${quoted(sequence.name)}`, sequence.lastValue, sequence.isCalled]);
    }
    await trx.raw(`ALTER SCHEMA ${quoted(schema)} RENAME TO ${quoted(newName)}`);
  });
  return true;
}
