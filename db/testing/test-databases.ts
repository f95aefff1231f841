/**
 * Databases for integration tests: PGlite always, PostgreSQL too when DATABASE_URL is set. Each `open()`
 * gives a migrated database in a fresh schema; its `close()` drops the schema.
 *
 * PGlite takes seconds to start, so one in-memory PGlite serves a whole test file (`dispose()` it in
 * afterAll): each open() creates a schema in it and points its one connection's search_path there. Only one
 * database of a PGlite target may be open at a time.
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
  /** Releases what the target holds across opens (the shared PGlite). */
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

function pgliteTarget(): TestDatabaseTarget {
  let base: Promise<Database> | undefined;
  let openSchema: string | undefined;
  return {
    name: 'PGlite',
    async open(options = {}) {
      if (openSchema) throw new Error(`A PGlite test database (schema ${openSchema}) is still open: close it first.`);
      base ??= createDatabase({ logger: silent });
      const shared = await base;
      const schema = randomSchema();
      openSchema = schema;
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
          await shared.knex.raw(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
          await shared.knex.raw('SET search_path TO public');
          openSchema = undefined;
        },
      };
    },
    async dispose() {
      if (base) await (await base).close();
      base = undefined;
    },
  };
}
