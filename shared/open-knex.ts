/**
 * The one way to open knex on PostgreSQL or PGlite, for the engine's store and the Permit Manager's database
 * alike: PostgreSQL (node-postgres pool) when a database URL is given, else embedded PGlite (one connection,
 * through the knex-pglite client) in a data folder, or in memory when no folder is given.
 *
 * One embedded database. `npm start` opens ONE PGlite and hands the same knex to the engine and the Permit
 * Manager, each in its own schema (the engine qualifies every table name; the Permit Manager's connection has its
 * schema as `search_path`), each through its own knex (`openSharedPglite`). A PGlite has exactly one session:
 * shared/pglite-session-gate.ts keeps each component's transactions whole (the other component waits).
 *
 * Memory. PostgreSQL's defaults are sized for a server (shared_buffers 128 MB, 100 connections); PGlite runs one
 * session for one process, so it is started with 16 MB of shared buffers and 4 connection slots, which cuts its
 * resident memory by about 120 MB (bench:start). A new data folder starts from a template made at install time
 * (`npm ci`: web/prepare.mjs → platform/make-pglite-template.ts) when one matches the installed PGlite: creating a
 * cluster (initdb) takes most of a first start and twice the memory of running one, and an in-memory PGlite (tests) loads the
 * same cluster from the template's tar archive (about a quarter of initdb's CPU).
 *
 * Durability on PGlite. PGlite runs PostgreSQL single-user with `fsync=off` (`-F` in its start parameters),
 * and its Node filesystem (emscripten NODEFS) has no fsync either: every write PostgreSQL makes goes straight
 * to the operating system with `fs.writeSync`, nothing is buffered in the WebAssembly heap. A COMMIT writes
 * its WAL record before it returns (synchronous_commit is on), so once `commit()` resolves the batch is in
 * the OS page cache: it survives `kill -9` / a crash of the Node process (PostgreSQL replays the WAL when the
 * folder is opened again; engine/store/pglite-kill.integration.test.ts proves it), but NOT a power loss or a
 * kernel crash. Deployments that need that use PostgreSQL (`DATABASE_URL`).
 *
 * PGlite and knex-pglite are loaded only when PGlite is used (a PostgreSQL deployment never loads the
 * WebAssembly build), and only in their CommonJS form, the one knex-pglite itself loads: one copy in memory.
 */
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import type { PGlite, PGliteOptions } from '@electric-sql/pglite';
import knexFactory, { type Knex } from 'knex';
import type { Logger } from 'pino';
import { lockDataDir, type DataDirLockOptions } from './data-dir-lock.js';
import { PgliteSessionGate } from './pglite-session-gate.js';

export interface OpenKnexOptions {
  /** PostgreSQL connection string; when absent, PGlite is used. */
  databaseUrl?: string;
  /** PGlite data folder (created if missing); when absent too, PGlite runs in memory. */
  dataDir?: string;
  /** The folder's lock: its file name and the words of the refusal (`shared/data-dir-lock.ts`). */
  lock?: DataDirLockOptions;
  /** Schemas of the connections' `search_path`, e.g. `['permits']`; default PostgreSQL's (`public`). */
  searchPath?: string[];
  /** PostgreSQL pool size (PGlite has exactly one connection). Default 10. */
  poolMax?: number;
  /** PostgreSQL: make every acknowledged commit durable even where the server's default is relaxed. */
  synchronousCommit?: boolean;
  /** knex's own warnings go here rather than to the console. */
  logger?: Logger;
}

export interface OpenedKnex {
  knex: Knex;
  dialect: 'postgres' | 'pglite';
  /** Where the data lives, for logs and messages (no credentials). */
  location: string;
  /** Destroys knex (and with it PGlite) and gives the data folder's lock back. */
  close(): Promise<void>;
}

/** Every opener of a PGlite folder uses this file name (with its own words), so any two exclude each other. */
export const DATABASE_LOCK_FILE = 'database.lock';

const DEFAULT_LOCK: DataDirLockOptions = {
  lockFile: DATABASE_LOCK_FILE,
  label: 'The database folder',
  whatToDo: 'Stop that process first, or use another data folder.',
  oncePerProcess: true,
};

/**
 * PGlite's start parameters: its own defaults (single user, no fsync, no parallel workers) plus memory for one
 * embedded session rather than a server.
 */
export const PGLITE_START_PARAMS: readonly string[] = [
  '--single', '-F', '-O', '-j',
  '-c', 'search_path=public',
  '-c', 'exit_on_error=false',
  '-c', 'log_checkpoints=false',
  '-c', 'max_worker_processes=0',
  '-c', 'max_parallel_workers=0',
  '-c', 'max_parallel_workers_per_gather=0',
  '-c', 'io_method=sync',
  '-c', 'max_parallel_maintenance_workers=0',
  '-c', 'shared_buffers=16MB',
  '-c', 'max_connections=4',
];

/** The same memory settings for a cluster created here (initdb), written into its postgresql.conf. */
export const PGLITE_INITDB_PARAMS: readonly string[] = ['--set', 'shared_buffers=16MB', '--set', 'max_connections=4'];

const requireHere = createRequire(import.meta.url);

/** The installed PGlite package's folder (its package.json is not among its exports: found from its entry). */
function pglitePackageDir(): string {
  let dir = dirname(requireHere.resolve('@electric-sql/pglite'));
  while (!existsSync(join(dir, 'package.json'))) dir = dirname(dir);
  return dir;
}

/** The folder `npm ci` fills with an empty cluster made by this PGlite version (platform/make-pglite-template.ts). */
export function pgliteTemplateDir(): string {
  return resolve(pglitePackageDir(), '..', '..', '.cache', 'spe-pglite-template');
}

/**
 * The template cluster as a gzipped tar archive in PGlite's dump format, for an in-memory PGlite to load: 4.5 MB
 * (the folder is 39 MB) for about 0.1 s more CPU per load than an uncompressed one.
 */
export const PGLITE_TEMPLATE_ARCHIVE = 'pgdata.tar.gz';

/** The installed PGlite's version (the template is only used when it was made by the same one). */
export function pgliteVersion(): string {
  return (JSON.parse(readFileSync(join(pglitePackageDir(), 'package.json'), 'utf8')) as { version: string }).version;
}

/** A new (empty) data folder gets a copy of the install-time template, when there is one for this PGlite. */
function seedFromTemplate(dir: string, logger: Logger | undefined): void {
  if (existsSync(join(dir, 'PG_VERSION')) || readdirSync(dir).some((name) => !name.endsWith('.lock'))) return;
  const template = pgliteTemplateDir();
  let made: string;
  try {
    made = readFileSync(join(template, 'PGLITE_VERSION'), 'utf8').trim();
  } catch {
    return; // no template (e.g. an install without the prepare step): PGlite creates the cluster itself
  }
  if (made !== pgliteVersion()) return;
  cpSync(join(template, 'pgdata'), dir, { recursive: true });
  logger?.info({ dir, template }, 'new database folder made from the install-time template');
}

/** The template as an archive an in-memory PGlite loads instead of running initdb, when one matches this PGlite. */
function templateArchive(): Blob | undefined {
  const template = pgliteTemplateDir();
  try {
    if (readFileSync(join(template, 'PGLITE_VERSION'), 'utf8').trim() !== pgliteVersion()) return undefined;
    return new Blob([readFileSync(join(template, PGLITE_TEMPLATE_ARCHIVE))]);
  } catch {
    return undefined; // no template, or one made before the archive was: PGlite creates the cluster itself
  }
}

function knexLog(logger: Logger | undefined): Knex.Config['log'] {
  if (!logger) return undefined;
  return {
    warn: (message: unknown) => logger.warn({ knex: message }, 'knex warning'),
    error: (message: unknown) => logger.error({ knex: message }, 'knex error'),
    deprecate: (method: string, alternative: string) => logger.warn({ method, alternative }, 'knex deprecation'),
    debug: (message: unknown) => logger.debug({ knex: message }, 'knex debug'),
  };
}

export function openKnex(options: OpenKnexOptions): OpenedKnex {
  const common: Partial<Knex.Config> = {
    ...(options.logger ? { log: knexLog(options.logger) } : {}),
    ...(options.searchPath ? { searchPath: options.searchPath } : {}),
  };
  if (options.databaseUrl) {
    const knex = knexFactory({
      ...common,
      client: 'pg',
      connection: options.databaseUrl,
      pool: {
        min: 0,
        max: options.poolMax ?? 10,
        ...(options.synchronousCommit
          ? {
              afterCreate: (conn: { query(sql: string, cb: (err: Error | null) => void): void }, done: (err: Error | null, conn: unknown) => void) => {
                conn.query('SET synchronous_commit = on', (err) => done(err, conn));
              },
            }
          : {}),
      },
    });
    return { knex, dialect: 'postgres', location: redact(options.databaseUrl), close: () => knex.destroy() };
  }

  const embedded = openPglite(options);
  const knex = knexFactory({
    ...common,
    client: pgliteClient(),
    // knex-pglite takes a ready-made PGlite through a connection function and closes it on destroy().
    connection: (() => ({ pglite: embedded.pglite })) as unknown as Knex.StaticConnectionConfig,
  });
  return {
    knex,
    dialect: 'pglite',
    location: embedded.location,
    close: async () => {
      try {
        await knex.destroy();
      } finally {
        embedded.release();
      }
    },
  };
}

/** knex-pglite, loaded when first needed. */
function pgliteClient(): typeof knexFactory.Client {
  return requireHere('knex-pglite') as typeof knexFactory.Client;
}

/** A PGlite in `dataDir` (locked, seeded from the template when new) or in memory. */
function openPglite(options: Pick<OpenKnexOptions, 'dataDir' | 'lock' | 'logger'>): { pglite: PGlite; location: string; release: () => void } {
  const { PGlite: PGliteClass } = requireHere('@electric-sql/pglite') as { PGlite: new (options: PGliteOptions) => PGlite };
  const pgliteOptions: PGliteOptions = { startParams: [...PGLITE_START_PARAMS], initDbStartParams: [...PGLITE_INITDB_PARAMS] };
  if (!options.dataDir) {
    const archive = templateArchive();
    return { pglite: new PGliteClass(archive ? { ...pgliteOptions, loadDataDir: archive } : pgliteOptions), location: 'memory', release: () => undefined };
  }
  const dir = resolve(options.dataDir);
  mkdirSync(dir, { recursive: true });
  const release = lockDataDir(dir, options.lock ?? DEFAULT_LOCK);
  try {
    seedFromTemplate(dir, options.logger);
    return { pglite: new PGliteClass({ ...pgliteOptions, dataDir: dir }), location: dir, release };
  } catch (err) {
    release();
    throw err;
  }
}

/** One PGlite several components use, each through its own knex (shared/pglite-session-gate.ts). */
export interface SharedPglite {
  dialect: 'pglite';
  location: string;
  /**
   * A knex for one component. `nestable`: no effect any more (the gate no longer nests one component's work in
   * another's transaction). `searchPath`: the session's search_path (one component only: the session has one).
   */
  knexFor(name: string, options?: { nestable?: boolean; searchPath?: string[] }): Knex;
  /** Destroys every component's knex, closes PGlite and gives the folder's lock back. */
  close(): Promise<void>;
}

export function openSharedPglite(options: Pick<OpenKnexOptions, 'dataDir' | 'lock' | 'logger'>): SharedPglite {
  const embedded = openPglite(options);
  const gate = new PgliteSessionGate(embedded.pglite, options.logger);
  const opened: Knex[] = [];
  return {
    dialect: 'pglite',
    location: embedded.location,
    knexFor(name, knexOptions = {}) {
      const handle = gate.handle(name, knexOptions.nestable ? { nestable: true } : {});
      const knex = knexFactory({
        ...(options.logger ? { log: knexLog(options.logger.child({ database: name })) } : {}),
        ...(knexOptions.searchPath ? { searchPath: knexOptions.searchPath } : {}),
        client: pgliteClient(),
        connection: (() => ({ pglite: handle })) as unknown as Knex.StaticConnectionConfig,
      });
      opened.push(knex);
      return knex;
    },
    async close() {
      try {
        for (const knex of opened.splice(0)) await knex.destroy();
        await embedded.pglite.close();
      } finally {
        embedded.release();
      }
    },
  };
}

/** A connection string without its password, for logs. */
export function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres (unparsable URL)';
  }
}
