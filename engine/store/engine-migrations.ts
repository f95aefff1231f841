/**
 * The engine's schema as knex migrations held in code. Migrations are immutable once merged: change the
 * schema by appending a new migration (with `up` and `down`), never by editing one below.
 *
 * Every migration takes the target PostgreSQL schema, so parallel test runs can each use their own.
 */
import type { Knex } from 'knex';

export interface EngineMigration {
  name: string;
  up(knex: Knex, schema: string): Promise<void>;
  down(knex: Knex, schema: string): Promise<void>;
}

/** Knex's bookkeeping table for these migrations; engine-specific so other components can share the database. */
export const MIGRATIONS_TABLE = 'engine_knex_migrations';

const q = (schema: string, name: string): string => `"${schema}"."${name}"`;

const initialSchema: EngineMigration = {
  name: '0001-engine-records',
  async up(knex, schema) {
    const records = q(schema, 'engine_records');
    await knex.raw(`
      CREATE TABLE ${records} (
        key bigint PRIMARY KEY,
        kind text NOT NULL,
        process_instance_key bigint NULL,
        active boolean NOT NULL,
        data jsonb NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await knex.raw(`CREATE INDEX engine_records_kind_active_idx ON ${records} (kind, active)`);
    await knex.raw(`CREATE INDEX engine_records_kind_pi_idx ON ${records} (kind, process_instance_key)`);
    // loadActive(): the runtime state, in key order (partial: only active rows are in it).
    await knex.raw(`CREATE INDEX engine_records_active_key_idx ON ${records} (key) WHERE active`);
    // Searches beyond the process instance, each limited to the kind it serves: expression indexes on `data`
    // over all rows would make every write maintain them (measured: about half the write throughput).
    await knex.raw(`CREATE INDEX engine_records_instance_definition_idx ON ${records} ((data->>'processDefinitionId')) WHERE kind = 'processInstance'`);
    await knex.raw(`CREATE INDEX engine_records_variable_scope_idx ON ${records} ((data->>'scopeKey')) WHERE kind = 'variable'`);
    await knex.raw(`CREATE INDEX engine_records_user_task_state_idx ON ${records} ((data->>'state'), (data->>'assignee')) WHERE kind = 'userTask'`);
    await knex.raw(`
      CREATE TABLE ${q(schema, 'engine_meta')} (
        name text PRIMARY KEY,
        value text NOT NULL
      )`);
  },
  async down(knex, schema) {
    await knex.raw(`DROP TABLE IF EXISTS ${q(schema, 'engine_meta')}`);
    await knex.raw(`DROP TABLE IF EXISTS ${q(schema, 'engine_records')}`);
  },
};

/** All migrations in order. Append only. */
export const ENGINE_MIGRATIONS: readonly EngineMigration[] = [initialSchema];

/** A knex migration source over ENGINE_MIGRATIONS, bound to one schema. */
export function engineMigrationSource(schema: string): Knex.MigrationSource<EngineMigration> {
  return {
    getMigrations: () => Promise.resolve([...ENGINE_MIGRATIONS]),
    getMigrationName: (m) => m.name,
    getMigration: (m) =>
      Promise.resolve({
        up: (knex: Knex) => m.up(knex, schema),
        down: (knex: Knex) => m.down(knex, schema),
      }),
  };
}
