/**
 * A migrated test schema used again by the next test instead of migrating a new one (migrating takes seconds on
 * PGlite; emptying the tables takes milliseconds). After a test, the schema is reused only when its catalog is
 * exactly as migrated: the fingerprint of its tables, columns, defaults, constraints, triggers (with whether they
 * are enabled) and functions is compared to the one taken right after migrating, so a test that disabled a
 * trigger, created one, or migrated down leaves a schema that is dropped rather than reused. Reuse empties every
 * table but the migration bookkeeping (TRUNCATE … RESTART IDENTITY), puts back the rows the migrations wrote
 * (e.g. the audit chain's genesis head) and sets standalone sequences back to where migrating left them.
 */
import type { Knex } from 'knex';

export interface MigratedSnapshot {
  fingerprint: string;
  /** Tables to empty (not the migration tables). */
  tables: string[];
  /** Rows the migrations wrote, per table. */
  rows: Map<string, Record<string, unknown>[]>;
  /** Sequences not owned by a column: name → [last_value, is_called]. */
  sequences: Map<string, [number, boolean]>;
}

const q = (name: string): string => `"${name.replace(/"/g, '""')}"`;

/** One md5 over the schema's catalog entries (sorted), so any change to its structure changes it. */
export async function catalogFingerprint(knex: Knex, schema: string): Promise<string> {
  // Definitions print table names qualified or not by the search_path: fix it to the schema for the query.
  return knex.transaction(async (trx) => {
    await trx.raw(`SET LOCAL search_path TO ${q(schema)}`);
    return fingerprintQuery(trx, schema);
  });
}

async function fingerprintQuery(knex: Knex, schema: string): Promise<string> {
  const result = (await knex.raw(
    `SELECT md5(coalesce(string_agg(item, '|' ORDER BY item), '')) AS fingerprint FROM (
       SELECT 'rel ' || c.relname || ' ' || c.relkind::text || ' ' || c.relrowsecurity::text AS item
         FROM pg_class c WHERE c.relnamespace = ?::regnamespace
       UNION ALL
       SELECT 'col ' || c.relname || '.' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod) || ' ' || a.attnotnull::text || ' ' || coalesce(pg_get_expr(d.adbin, d.adrelid), '')
         FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
         LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
         WHERE c.relnamespace = ?::regnamespace AND a.attnum > 0 AND NOT a.attisdropped
       UNION ALL
       SELECT 'trg ' || c.relname || '.' || t.tgname || ' ' || t.tgenabled::text || ' ' || t.tgfoid::text
         FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid WHERE c.relnamespace = ?::regnamespace
       UNION ALL
       SELECT 'con ' || conname || ' ' || pg_get_constraintdef(oid) FROM pg_constraint WHERE connamespace = ?::regnamespace
       UNION ALL
       SELECT 'fn ' || p.proname || ' ' || md5(p.prosrc) FROM pg_proc p WHERE p.pronamespace = ?::regnamespace
     ) items`,
    [schema, schema, schema, schema, schema],
  )) as { rows: { fingerprint: string }[] };
  return result.rows[0]?.fingerprint ?? '';
}

/** What a freshly migrated schema looks like: its fingerprint, tables, seed rows and standalone sequences. */
export async function snapshotMigrated(knex: Knex, schema: string, migrationTables: readonly string[]): Promise<MigratedSnapshot> {
  const tableRows = (await knex.raw(`SELECT tablename FROM pg_tables WHERE schemaname = ? ORDER BY tablename`, [schema])) as { rows: { tablename: string }[] };
  const tables = tableRows.rows.map((r) => r.tablename).filter((t) => !migrationTables.includes(t));
  const rows = new Map<string, Record<string, unknown>[]>();
  for (const table of tables) {
    const found = (await knex.raw(`SELECT * FROM ${q(schema)}.${q(table)}`)) as { rows: Record<string, unknown>[] };
    if (found.rows.length > 0) rows.set(table, found.rows);
  }
  const sequences = new Map<string, [number, boolean]>();
  const standalone = (await knex.raw(
    `SELECT c.relname AS name FROM pg_class c
       WHERE c.relnamespace = ?::regnamespace AND c.relkind = 'S'
         AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype IN ('a', 'i'))`,
    [schema],
  )) as { rows: { name: string }[] };
  for (const { name } of standalone.rows) {
    const value = (await knex.raw(`SELECT last_value, is_called FROM ${q(schema)}.${q(name)}`)) as { rows: { last_value: number | string; is_called: boolean }[] };
    const row = value.rows[0];
    if (row) sequences.set(name, [Number(row.last_value), row.is_called]);
  }
  return { fingerprint: await catalogFingerprint(knex, schema), tables, rows, sequences };
}

/** Empties the schema back to `snapshot` when its catalog is unchanged; answers false (nothing done) otherwise. */
export async function resetToMigrated(knex: Knex, schema: string, snapshot: MigratedSnapshot): Promise<boolean> {
  if ((await catalogFingerprint(knex, schema)) !== snapshot.fingerprint) return false;
  await knex.transaction(async (trx) => {
    if (snapshot.tables.length > 0) {
      await trx.raw(`TRUNCATE TABLE ${snapshot.tables.map((t) => `${q(schema)}.${q(t)}`).join(', ')} RESTART IDENTITY CASCADE`);
    }
    for (const [table, rows] of snapshot.rows) {
      for (const row of rows) {
        const columns = Object.keys(row);
        await trx.raw(
          `INSERT INTO ${q(schema)}.${q(table)} (${columns.map(q).join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`,
          columns.map((c) => {
            const value = row[c];
            return value !== null && typeof value === 'object' && !(value instanceof Date) && !Buffer.isBuffer(value) ? JSON.stringify(value) : value;
          }) as Knex.RawBinding[],
        );
      }
    }
    for (const [name, [value, called]] of snapshot.sequences) {
      await trx.raw(`SELECT setval(?, ?, ?)`, [`${q(schema)}.${q(name)}`, value, called]);
    }
  });
  return true;
}
