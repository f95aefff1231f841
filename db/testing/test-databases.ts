/**
 * Databases for integration tests: PGlite always, PostgreSQL too when DATABASE_URL is set. Each `open()`
 * gives a migrated database in a fresh schema; its `close()` drops the schema.
 *
 * PGlite takes seconds to start, so one in-memory PGlite serves a whole test file (`dispose()` it in
 * afterAll): each open() creates a schema in it and points its one connection's search_path there. Only one
 * database of a PGlite target may be open at a time. Migrating takes seconds on PGlite too, so a closed schema is
 * emptied and used again by the next open() when its catalog is still exactly as migrated (reusable-schema.ts);
 * a test that changed it (a trigger disabled, a migration reverted) gets a fresh one.
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
import { MIGRATIONS_TABLE } from '../migrations/permit-migrations.js';
import { resetToMigrated, snapshotMigrated, type MigratedSnapshot } from './reusable-schema.js';

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
  /** A closed, migrated schema the next open() may empty and use again. */
  let idle: { schema: string; snapshot: MigratedSnapshot } | undefined;
  const migrationTables = [MIGRATIONS_TABLE, `${MIGRATIONS_TABLE}_lock`];

  async function reuseIdle(knex: Database['knex']): Promise<string | undefined> {
    const candidate = idle;
    idle = undefined;
    if (!candidate) return undefined;
    if (await resetToMigrated(knex, candidate.schema, candidate.snapshot).catch(() => false)) return candidate.schema;
    await knex.raw(`DROP SCHEMA IF EXISTS "${candidate.schema}" CASCADE`);
    return undefined;
  }

  return {
    name: 'PGlite',
    async open(options = {}) {
      if (openSchema) throw new Error(`A PGlite test database (schema ${openSchema}) is still open: close it first.`);
      base ??= createDatabase({ logger: silent });
      const shared = await base;
      const migrate = options.migrate !== false;
      const candidate = idle;
      const reused = migrate ? await reuseIdle(shared.knex) : undefined;
      const schema = reused ?? randomSchema();
      // The catalog as migrated, taken once per schema (its triggers name its own functions).
      let snapshot: MigratedSnapshot | undefined = reused ? candidate?.snapshot : undefined;
      openSchema = schema;
      const migrator = createMigrator(shared.knex, schema);
      // Only a schema migrated all the way up by open() itself, and never migrated by the test, is reused.
      let reusable = migrate;
      try {
        if (!reused) await shared.knex.raw(`CREATE SCHEMA "${schema}"`);
        await shared.knex.raw(`SET search_path TO "${schema}"`);
        if (migrate && !reused) {
          await migrator.latest();
          snapshot = await snapshotMigrated(shared.knex, schema, migrationTables);
        }
      } catch (error) {
        openSchema = undefined;
        throw error;
      }
      return {
        knex: shared.knex,
        dialect: 'pglite',
        schema,
        location: shared.location,
        migrateLatest: () => ((reusable = false), migrator.latest()),
        migrateDown: (all = false) => ((reusable = false), migrator.down(all)),
        async close() {
          await shared.knex.raw('SET search_path TO public');
          if (reusable && snapshot) idle = { schema, snapshot };
          else await shared.knex.raw(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
          openSchema = undefined;
        },
      };
    },
    async dispose() {
      idle = undefined;
      if (base) await (await base).close();
      base = undefined;
    },
  };
}
