/**
 * Opens the Permit Manager database: PostgreSQL (node-postgres pool) when `databaseUrl` is set, else PGlite
 * (PostgreSQL in WebAssembly, one connection) in `dataDir`, or in memory when that is unset too.
 *
 * With `schema`, the schema is created if missing and becomes the connections' `search_path`, so every query
 * (and every migration) uses plain table names: `knex('permits')`. Without it, PostgreSQL's default applies
 * (`public`). PGlite keeps its data in a folder only one process may open: a lock file guards it.
 *
 * Values as the drivers return them: timestamptz → Date; jsonb → parsed JSON; bigint/bigserial → string on
 * PostgreSQL but number on PGlite (the mappers in types.ts turn both into numbers); integer → number.
 */
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import knexFactory, { type Knex } from 'knex';
import ClientPgLite from 'knex-pglite';
import type { Logger } from 'pino';
import { lockDataDir } from './data-dir-lock.js';
import { MIGRATIONS_TABLE, permitMigrationSource } from './migrations/permit-migrations.js';

export interface CreateDatabaseOptions {
  /** PostgreSQL connection string; when absent, PGlite is used. */
  databaseUrl?: string;
  /** PGlite data folder (created if missing); when absent too, PGlite runs in memory (data is lost on close). */
  dataDir?: string;
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
  const common: Partial<Knex.Config> = {
    // knex's own warnings (e.g. a failed pool acquire) go to our logger, not to the console.
    log: {
      warn: (message: unknown) => log.warn({ knex: message }, 'knex warning'),
      error: (message: unknown) => log.error({ knex: message }, 'knex error'),
      deprecate: (method: string, alternative: string) => log.warn({ method, alternative }, 'knex deprecation'),
      debug: (message: unknown) => log.debug({ knex: message }, 'knex debug'),
    },
    ...(options.schema ? { searchPath: [options.schema] } : {}),
  };
  const opened = options.databaseUrl ? openPostgres(options.databaseUrl, common, options.poolMax) : openPglite(options.dataDir, common);
  try {
    if (options.schema) await opened.knex.raw(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
    else await opened.knex.raw('SELECT 1');
  } catch (err) {
    await opened.knex.destroy().catch(() => undefined);
    opened.release();
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
    async close() {
      await opened.knex.destroy();
      opened.release();
    },
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

interface Opened {
  knex: Knex;
  dialect: 'postgres' | 'pglite';
  location: string;
  release: () => void;
}

function openPostgres(databaseUrl: string, common: Partial<Knex.Config>, poolMax = 10): Opened {
  const knex = knexFactory({ ...common, client: 'pg', connection: databaseUrl, pool: { min: 0, max: poolMax } });
  return { knex, dialect: 'postgres', location: redact(databaseUrl), release: () => undefined };
}

function openPglite(dataDir: string | undefined, common: Partial<Knex.Config>): Opened {
  let pglite: PGlite;
  let location = 'memory';
  let release = (): void => undefined;
  if (dataDir) {
    const dir = resolve(dataDir);
    mkdirSync(dir, { recursive: true });
    release = lockDataDir(dir);
    try {
      pglite = new PGlite({ dataDir: dir });
    } catch (err) {
      release();
      throw err;
    }
    location = dir;
  } else {
    pglite = new PGlite();
  }
  const knex = knexFactory({
    ...common,
    client: ClientPgLite as unknown as typeof knexFactory.Client,
    // knex-pglite takes a ready-made PGlite through a connection function and closes it on destroy().
    connection: (() => ({ pglite })) as unknown as Knex.StaticConnectionConfig,
  });
  return { knex, dialect: 'pglite', location, release };
}

function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres (unparsable URL)';
  }
}
