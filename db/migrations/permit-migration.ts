/**
 * The shape of one Permit Manager migration. Migrations are TypeScript modules listed in
 * `permit-migrations.ts` (no directory scan), so they run the same under tsx, vitest and a bundler.
 *
 * Rules: a merged migration is never edited — change the schema by appending a new one. Every migration
 * has `up` and `down`. Table names are unqualified: the connection's `search_path` points at the target
 * schema (see create-database.ts). Raw SQL here must not contain `?` (knex would read it as a binding).
 */
import type { Knex } from 'knex';

export interface PermitMigration {
  /** Recorded in the migrations table; never rename. */
  readonly name: string;
  up(knex: Knex): Promise<void>;
  down(knex: Knex): Promise<void>;
}

/** Runs SQL statements one after another (PGlite's extended protocol takes one statement per query). */
export async function runStatements(knex: Knex, statements: readonly string[]): Promise<void> {
  for (const sql of statements) await knex.raw(sql);
}
