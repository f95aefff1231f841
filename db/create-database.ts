/**
 * Opens the Permit Manager database: PostgreSQL (node-postgres pool) when `databaseUrl` is set, else PGlite
 * (PostgreSQL in WebAssembly, one connection) in `dataDir`, or in memory when that is unset too; or takes a
 * database the caller opened and shares with the engine (`shared`: `npm start`'s one embedded database). All
 * three go through the one opener, shared/open-knex.ts.
 *
 * With `schema`, the schema is created if missing and becomes the connections' `search_path`, so every query
 * (and every migration) uses plain table names: `knex('permits')`. Without it, PostgreSQL's default applies
 * (`public`). A shared database must have been opened with that `search_path` (`openKnex({ searchPath })`).
 * PGlite keeps its data in a folder only one process may open: a lock file guards it.
 *
 * Values as the drivers return them: timestamptz → Date; jsonb → parsed JSON; bigint/bigserial → string on
 * PostgreSQL but number on PGlite (the mappers in types.ts turn both into numbers); integer → number.
 */
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import { openKnex, type OpenedKnex } from '../shared/open-knex.js';
import { PERMIT_DB_LOCK } from './data-dir-lock.js';
import { MIGRATIONS_TABLE, permitMigrationSource } from './migrations/permit-migrations.js';

export interface CreateDatabaseOptions {
  /** PostgreSQL connection string; when absent, PGlite is used. */
  databaseUrl?: string;
  /** PGlite data folder (created if missing); when absent too, PGlite runs in memory (data is lost on close). */
  dataDir?: string;
  /**
   * A database the caller opened and closes, shared with others in other schemas; its `search_path` must be
   * `[schema]`. `close()` then leaves it open.
   */
  shared?: Pick<OpenedKnex, 'knex' | 'dialect' | 'location'>;
  /** Schema holding the tables (created if missing), e.g. `permits`. Default: PostgreSQL's `public`. */
  schema?: string;
  /** PostgreSQL pool size. Default 10. Ignored on PGlite (one connection). */
  poolMax?: number;
  logger: Logger;
}

export interface Database {
  knex: Knex;
  dialect: 'postgres' | 'pglite';
  /** The schema the tables live in. */
  schema: string;
  /** Where the data lives, for logs (no credentials). */
  location: string;
  /** Applies every pending migration; returns the names applied (empty when up to date). */
  migrateLatest(): Promise<string[]>;
  /** Reverts the last batch of migrations, or all of them with `all`; returns the names reverted. */
  migrateDown(all?: boolean): Promise<string[]>;
  /** Closes the pool (or PGlite) and gives back the data folder's lock. */
  close(): Promise<void>;
}

const SCHEMA_PATTERN = /^[a-z_][a-z0-9_]{0,62}$/;

export async function createDatabase(options: CreateDatabaseOptions): Promise<Database> {
  const schema = options.schema ?? 'public';
  if (!SCHEMA_PATTERN.test(schema)) {
    throw new Error(`Schema name '${schema}' is not valid: use lower-case letters, digits and '_', starting with a letter or '_' (e.g. 'permits').`);
  }
  const log = options.logger.child({ component: 'permit-db' });
  const opened: Pick<OpenedKnex, 'knex' | 'dialect' | 'location' | 'close'> = options.shared
    ? { ...options.shared, close: () => Promise.resolve() }
    : openKnex({
        ...(options.databaseUrl ? { databaseUrl: options.databaseUrl } : {}),
        ...(options.dataDir ? { dataDir: options.dataDir } : {}),
        ...(options.schema ? { searchPath: [options.schema] } : {}),
        ...(options.poolMax ? { poolMax: options.poolMax } : {}),
        lock: PERMIT_DB_LOCK,
        logger: log,
      });
  try {
    if (options.schema) await opened.knex.raw(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
    else await opened.knex.raw('SELECT 1');
  } catch (err) {
    await opened.close().catch(() => undefined);
    const hint =
      opened.dialect === 'postgres'
        ? 'Check that PostgreSQL is running, that DATABASE_URL points at it and that the user may create the schema.'
        : 'Check that the data folder is writable.';
    throw new Error(`Could not open the Permit Manager database (${opened.location}, schema ${schema}): ${(err as Error).message}. ${hint}`, { cause: err });
  }
  log.info({ dialect: opened.dialect, location: opened.location, schema }, 'permit database opened');

  const migrations = createMigrator(opened.knex, schema);
  return {
    knex: opened.knex,
    dialect: opened.dialect,
    schema,
    location: opened.location,
    async migrateLatest() {
      try {
        const names = await migrations.latest();
        if (names.length > 0) log.info({ migrations: names }, 'permit database migrated');
        return names;
      } catch (err) {
        throw new Error(`Could not migrate the Permit Manager database (${opened.location}, schema ${schema}): ${(err as Error).message}`, { cause: err });
      }
    },
    async migrateDown(all = false) {
      const names = await migrations.down(all);
      if (names.length > 0) log.info({ migrations: names }, 'permit database migrations reverted');
      return names;
    },
    close: () => opened.close(),
  };
}

/** Knex migrator settings for this component's migrations, with their bookkeeping tables in `schema`. */
export function migratorConfig(schema: string): Knex.MigratorConfig {
  return { migrationSource: permitMigrationSource(), tableName: MIGRATIONS_TABLE, schemaName: schema };
}

/** Migrations of this component on any knex whose search_path points at `schema`. */
export function createMigrator(knex: Knex, schema: string): { latest(): Promise<string[]>; down(all: boolean): Promise<string[]> } {
  const config = migratorConfig(schema);
  return {
    async latest() {
      const [, names] = (await knex.migrate.latest(config)) as [number, string[]];
      return names;
    },
    async down(all) {
      const [, names] = (await knex.migrate.rollback(config, all)) as [number, string[]];
      return names;
    },
  };
}
