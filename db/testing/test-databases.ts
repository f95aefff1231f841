/**
 * Databases for integration tests: PGlite always, PostgreSQL too when DATABASE_URL is set. Each `open()`
 * gives a migrated database in a fresh schema; its `close()` drops the schema.
 *
 * PGlite takes about a second of CPU to start, so one in-memory PGlite serves every file a test worker runs (the
 * integration files share their worker's modules: `isolate: false` in vitest.config.ts): each open() creates a
 * schema in it and points its one connection's search_path there. Only one PGlite database may be open at a
 * time in a process. `dispose()` (in afterAll) drops what the file left open and leaves the PGlite to the next
 * file; it goes with the worker.
 *
 *   const targets = testDatabaseTargets();
 *   describe.each(targets)('on $name', (target) => {
 *     let db: Database;
 *     beforeEach(async () => { db = await target.open(); });
 *     afterEach(() => db.close());
 *     afterAll(() => target.dispose());
 *   });
 */
import { randomBytes } from 'node:crypto';
import { pino } from 'pino';
import { createDatabase, createMigrator, type Database } from '../create-database.js';

export interface TestDatabaseTarget {
  name: 'PGlite' | 'PostgreSQL';
  /** A database in a fresh schema, migrated unless `migrate: false`. */
  open(options?: { migrate?: boolean }): Promise<Database>;
  /** Drops a database the file left open (the PGlite itself stays for the next file of the worker). */
  dispose(): Promise<void>;
}

const silent = pino({ level: 'silent' });

/** A fresh schema name, so tests sharing one PostgreSQL database never collide. */
export function randomSchema(prefix = 'permit_test'): string {
  return `${prefix}_${randomBytes(6).toString('hex')}`;
}

export function testDatabaseTargets(env: { DATABASE_URL?: string } = process.env): TestDatabaseTarget[] {
  const targets = [pgliteTarget()];
  if (env.DATABASE_URL) targets.push(postgresTarget(env.DATABASE_URL));
  return targets;
}

function postgresTarget(databaseUrl: string): TestDatabaseTarget {
  return {
    name: 'PostgreSQL',
    async open(options = {}) {
      const schema = randomSchema();
      const db = await createDatabase({ databaseUrl, schema, logger: silent, poolMax: 8 });
      if (options.migrate !== false) await db.migrateLatest();
      return {
        ...db,
        async close() {
          await db.knex.raw(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
          await db.close();
        },
      };
    },
    dispose: () => Promise.resolve(),
  };
}

/** The worker's one in-memory PGlite (see the top of this file), started on the first open(). */
let processPglite: Promise<Database> | undefined;
/** The schema of the PGlite database open now, if any. */
let openSchema: string | undefined;

/** The worker's PGlite, started again if a test left it unusable (its connection closed). */
async function sharedPglite(): Promise<Database> {
  if (processPglite) {
    const shared = await processPglite.catch(() => undefined);
    if (shared && (await shared.knex.raw('SELECT 1').then(() => true, () => false))) return shared;
  }
  processPglite = createDatabase({ logger: silent });
  processPglite.catch(() => (processPglite = undefined));
  return processPglite;
}

function pgliteTarget(): TestDatabaseTarget {
  return {
    name: 'PGlite',
    async open(options = {}) {
      if (openSchema) throw new Error(`A PGlite test database (schema ${openSchema}) is still open: close it first.`);
      const schema = randomSchema();
      openSchema = schema;
      try {
        const shared = await sharedPglite();
        await shared.knex.raw(`CREATE SCHEMA "${schema}"`);
        await shared.knex.raw(`SET search_path TO "${schema}"`);
        const migrator = createMigrator(shared.knex, schema);
        if (options.migrate !== false) await migrator.latest();
        return {
          knex: shared.knex,
          dialect: 'pglite',
          schema,
          location: shared.location,
          migrateLatest: () => migrator.latest(),
          migrateDown: (all = false) => migrator.down(all),
          async close() {
            try {
              await shared.knex.raw(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
              await shared.knex.raw('SET search_path TO public');
            } finally {
              if (openSchema === schema) openSchema = undefined;
            }
          },
        };
      } catch (error) {
        openSchema = undefined;
        throw error;
      }
    },
    async dispose() {
      // A database the file left open is dropped, so the next file starts with none open.
      const left = openSchema;
      if (!left || !processPglite) return;
      const shared = await processPglite;
      try {
        await shared.knex.raw(`DROP SCHEMA IF EXISTS "${left}" CASCADE`);
        await shared.knex.raw('SET search_path TO public');
      } finally {
        openSchema = undefined;
      }
    },
  };
}
