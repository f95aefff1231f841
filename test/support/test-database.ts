/**
 * Where an integration test keeps its engine data. With DATABASE_URL set (as in CI) every test gets its own
 * fresh PostgreSQL schema, dropped afterwards; without it the test uses an embedded PGlite database in a
 * temporary folder, removed afterwards. Either way tests never see each other's data.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

export type TestDatabase =
  | { kind: 'postgres'; databaseUrl: string; schema: string; drop(): Promise<void> }
  | { kind: 'pglite'; dataDir: string; drop(): Promise<void> };

/** The PostgreSQL URL integration tests should use, or undefined when none is configured. */
export function configuredDatabaseUrl(): string | undefined {
  const url = process.env.DATABASE_URL?.trim();
  return url ? url : undefined;
}

/** A unique, SQL-safe schema name such as `durability_3f9a1c2b`. */
export function uniqueSchemaName(prefix: string): string {
  const safe = prefix.toLowerCase().replace(/[^a-z0-9_]/g, '_').slice(0, 40);
  return `${safe}_${randomBytes(4).toString('hex')}`;
}

export async function createTestDatabase(prefix: string): Promise<TestDatabase> {
  const databaseUrl = configuredDatabaseUrl();
  if (databaseUrl) return createPostgresSchema(databaseUrl, prefix);
  const dataDir = await mkdtemp(join(tmpdir(), `${prefix}-`));
  return { kind: 'pglite', dataDir, drop: () => rm(dataDir, { recursive: true, force: true }) };
}

/** A fresh, empty schema in the given PostgreSQL database; `drop()` removes it with everything in it. */
export async function createPostgresSchema(
  databaseUrl: string,
  prefix: string,
): Promise<Extract<TestDatabase, { kind: 'postgres' }>> {
  const schema = uniqueSchemaName(prefix);
  await withClient(databaseUrl, (client) => client.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`));
  return {
    kind: 'postgres',
    databaseUrl,
    schema,
    drop: () => withClient(databaseUrl, (client) => client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)),
  };
}

async function withClient(databaseUrl: string, run: (client: pg.Client) => Promise<unknown>): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await run(client);
  } finally {
    await client.end();
  }
}
