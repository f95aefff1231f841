/**
 * Where an in-process test engine keeps its records when the test is about something else than the store (its
 * doors, a client of it): on PostgreSQL when DATABASE_URL is set (CI), in a schema of its own that `dispose()`
 * drops, else in a fresh in-memory PGlite as `startEngine` does by default. An engine start on a fresh in-memory
 * PGlite costs about 1.9 s of CPU, on PostgreSQL about 0.1 s.
 *
 *   const stores = engineTestStores();
 *   afterAll(() => stores.dispose());
 *   const engine = await startEngine({ port: 0, ...stores.next() });
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';

export interface EngineTestStores {
  /** `startEngine` options for one engine: `{ databaseUrl, schema }` with a new schema, or none (in-memory PGlite). */
  next(): { databaseUrl?: string; schema?: string };
  /** Drops every schema `next()` handed out. */
  dispose(): Promise<void>;
}

export function engineTestStores(env: { DATABASE_URL?: string } = process.env): EngineTestStores {
  const databaseUrl = env.DATABASE_URL?.trim() || undefined;
  const schemas: string[] = [];
  return {
    next() {
      if (!databaseUrl) return {};
      const schema = `engine_test_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
      schemas.push(schema);
      return { databaseUrl, schema };
    },
    async dispose() {
      if (!databaseUrl || schemas.length === 0) return;
      const client = new pg.Client({ connectionString: databaseUrl });
      await client.connect();
      try {
        for (const schema of schemas.splice(0)) await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      } finally {
        await client.end();
      }
    },
  };
}
