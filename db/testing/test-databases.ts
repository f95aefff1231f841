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
 * Migrating a schema from empty costs about 0.2 s of CPU on PGlite per test, so a closed schema that is still as
 * the migrations left it is emptied, renamed and handed to the next open() instead (db/testing/schema-recycler.ts):
 * every test still gets an empty, migrated schema of its own name. On PGlite a recycled schema waits for the
 * worker's next file too; on PostgreSQL `dispose()` drops the ones waiting, so none outlives its file.
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
import type { Knex } from 'knex';
import { createDatabase, createMigrator, type Database } from '../create-database.js';
import { readTemplate, recycleSchema, type SchemaTemplate } from './schema-recycler.js';

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

/** Migrated, empty schemas waiting for the next open() of one target, and what a fresh one looks like. */
interface Recycler {
  template: SchemaTemplate | undefined;
  spares: string[];
}

/** A migrated schema for open(): a recycled one when one waits, else `schema` created by the caller and migrated now. */
async function migratedSchema(recycler: Recycler, knex: Knex, schema: string, migrate: () => Promise<unknown>): Promise<void> {
  await migrate();
  recycler.template ??= await readTemplate(knex, schema);
}

/**
 * What close() does with a test's schema: recycled (emptied and renamed into the spares) when it was migrated,
 * nothing migrated it down, and its catalog still matches the template; else dropped.
 */
async function closeSchema(recycler: Recycler, knex: Knex, schema: string, reusable: boolean): Promise<void> {
  if (reusable && recycler.template) {
    const spare = randomSchema();
    const recycled = await recycleSchema(knex, schema, recycler.template, spare).catch(() => false);
    if (recycled) {
      recycler.spares.push(spare);
      return;
    }
  }
  await knex.raw(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
}

function postgresTarget(databaseUrl: string): TestDatabaseTarget {
  const recycler: Recycler = { template: undefined, spares: [] };
  return {
    name: 'PostgreSQL',
    async open(options = {}) {
      const migrate = options.migrate !== false;
      const spare = migrate ? recycler.spares.pop() : undefined;
      const schema = spare ?? randomSchema();
      const db = await createDatabase({ databaseUrl, schema, logger: silent, poolMax: 8 });
      if (migrate && !spare) await migratedSchema(recycler, db.knex, schema, () => db.migrateLatest());
      let reusable = migrate;
      return {
        ...db,
        migrateDown: (all) => {
          reusable = false;
          return db.migrateDown(all);
        },
        async close() {
          try {
            await closeSchema(recycler, db.knex, schema, reusable);
          } finally {
            await db.close();
          }
        },
      };
    },
    async dispose() {
      // The spares of this file go with it: nothing is left in the PostgreSQL database after the file.
      const spares = recycler.spares.splice(0);
      if (spares.length === 0) return;
      const db = await createDatabase({ databaseUrl, logger: silent, poolMax: 1 });
      try {
        for (const spare of spares) await db.knex.raw(`DROP SCHEMA IF EXISTS "${spare}" CASCADE`);
      } finally {
        await db.close();
      }
    },
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

/** The PGlite's recycled schemas: the PGlite and they stay for the worker's next file. */
const pgliteRecycler: Recycler & { for?: Database } = { template: undefined, spares: [] };

function pgliteTarget(): TestDatabaseTarget {
  return {
    name: 'PGlite',
    async open(options = {}) {
      if (openSchema) throw new Error(`A PGlite test database (schema ${openSchema}) is still open: close it first.`);
      const migrate = options.migrate !== false;
      let schema = randomSchema();
      openSchema = schema;
      try {
        const shared = await sharedPglite();
        // A PGlite started again (a test closed its connection) has none of the spares: its template is read anew.
        if (shared !== pgliteRecycler.for) Object.assign(pgliteRecycler, { for: shared, template: undefined, spares: [] });
        const spare = migrate ? pgliteRecycler.spares.pop() : undefined;
        if (spare) schema = openSchema = spare;
        else await shared.knex.raw(`CREATE SCHEMA "${schema}"`);
        await shared.knex.raw(`SET search_path TO "${schema}"`);
        const migrator = createMigrator(shared.knex, schema);
        if (migrate && !spare) await migratedSchema(pgliteRecycler, shared.knex, schema, () => migrator.latest());
        let reusable = migrate;
        return {
          knex: shared.knex,
          dialect: 'pglite',
          schema,
          location: shared.location,
          migrateLatest: () => migrator.latest(),
          migrateDown: (all = false) => {
            reusable = false;
            return migrator.down(all);
          },
          async close() {
            try {
              await shared.knex.raw('SET search_path TO public');
              await closeSchema(pgliteRecycler, shared.knex, schema, reusable);
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
