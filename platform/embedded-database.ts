/**
 * `npm start`'s one embedded database: a single PGlite in one folder (DATABASE_DIR, default `./data/database`)
 * holding the engine (schema `engine`) and the Permit Manager (schema `permits`), each with its own migrations.
 * One PostgreSQL in WebAssembly instead of two halves the memory and the time a first start spends creating
 * databases (shared/open-knex.ts says how the two share its one session).
 *
 * Data folders made before (one PGlite in PERMIT_DATA_DIR, one in ENGINE_DATA_DIR) are not opened: the platform
 * refuses to start and says what to do, rather than starting empty beside them and seeming to have lost every
 * permit.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import { DATABASE_LOCK_FILE, openSharedPglite, type SharedPglite } from '../shared/open-knex.js';

export const EMBEDDED_SCHEMAS = { engine: 'engine', permits: 'permits' } as const;

/** The one folder: DATABASE_DIR when given, else `database` beside the Permit Manager's folder; '' = in memory. */
export function embeddedDatabaseDir(databaseDir: string | undefined, permitDataDir: string): string {
  if (databaseDir !== undefined) return databaseDir;
  return permitDataDir === '' ? '' : join(dirname(permitDataDir), 'database');
}

/** A data folder that holds a PGlite cluster. */
function holdsCluster(dir: string | undefined): dir is string {
  return dir !== undefined && dir !== '' && existsSync(join(dir, 'PG_VERSION'));
}

/**
 * Refuses when the Permit Manager's database of an earlier version exists and the one database does not; the
 * message says what to do. An engine database alone is not enough: `npm run engine` on its own keeps its PGlite in
 * ENGINE_DATA_DIR, and that folder is no reason to refuse `npm start`.
 */
export function refuseEarlierLayout(dir: string, earlier: { permitDataDir?: string; engineDataDir?: string }): void {
  if (dir === '' || holdsCluster(dir) || !holdsCluster(earlier.permitDataDir)) return;
  const found = [earlier.permitDataDir, earlier.engineDataDir].filter(holdsCluster).map((d) => resolve(d));
  throw new EmbeddedDatabaseLayoutError(
    `This data folder was made by an earlier version of the platform, which kept two embedded databases (${found.join(', ')}); ` +
      `this version keeps one, in ${resolve(dir)}, and does not read the old ones. ` +
      'To start afresh, move the old databases away (for the default folders: mv data data.before && npm start; the engine credential in data/engine/credentials.env is made anew). ' +
      'To keep the permits and processes in them, keep running the earlier version on this folder until they are closed (docs/operations.md, "Upgrading a data folder").',
  );
}

/** The platform cannot use the data folder as it is (the message says why and what to do). */
export class EmbeddedDatabaseLayoutError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EmbeddedDatabaseLayoutError';
  }
}

export function openEmbeddedDatabase(options: { dir: string; permitDataDir?: string; engineDataDir?: string; logger: Logger }): SharedPglite {
  refuseEarlierLayout(options.dir, options);
  return openSharedPglite({
    ...(options.dir ? { dataDir: options.dir } : {}),
    lock: {
      lockFile: DATABASE_LOCK_FILE,
      label: "The platform's database folder",
      whatToDo: 'Stop that platform first (npm start holds the folder while it runs), or set DATABASE_DIR to another folder.',
      oncePerProcess: true,
    },
    logger: options.logger.child({ component: 'embedded-database' }),
  });
}

/** The engine's view of the shared database: its own knex (its transactions and the Permit Manager's take turns). */
export function engineDatabase(shared: SharedPglite): { knex: Knex; dialect: 'pglite'; location: string } {
  return { knex: shared.knexFor('engine'), dialect: shared.dialect, location: shared.location };
}

/** The Permit Manager's view: its own knex, its schema as the session's search_path (plain table names). */
export function permitDatabase(shared: SharedPglite): { knex: Knex; dialect: 'pglite'; location: string } {
  return { knex: shared.knexFor('permits', { searchPath: [EMBEDDED_SCHEMAS.permits] }), dialect: shared.dialect, location: shared.location };
}
