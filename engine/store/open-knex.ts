/**
 * Opens the knex instance behind the store: PostgreSQL (node-postgres pool) when a database URL is given,
 * else embedded PGlite (one connection, through the knex-pglite client), on disk or in memory.
 *
 * Durability on PGlite. PGlite runs PostgreSQL single-user with `fsync=off` (`-F` in its start parameters),
 * and its Node filesystem (emscripten NODEFS) has no fsync either: every write PostgreSQL makes goes straight
 * to the operating system with `fs.writeSync`, nothing is buffered in the WebAssembly heap. A COMMIT writes
 * its WAL record before it returns (synchronous_commit is on), so once `commit()` resolves the batch is in
 * the OS page cache: it survives `kill -9` / a crash of the Node process (PostgreSQL replays the WAL when the
 * folder is opened again; `pglite-kill.integration.test.ts` proves it), but NOT a power loss or kernel crash.
 * Deployments that need that use PostgreSQL (`DATABASE_URL`).
 */
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import knexFactory, { type Knex } from 'knex';
import ClientPgLite from 'knex-pglite';
import { lockDataDir } from './data-dir-lock.js';

export interface OpenKnexOptions {
  databaseUrl?: string;
  dataDir?: string;
  /** PostgreSQL pool size (ignored for PGlite, which has exactly one connection). */
  poolMax?: number;
}

export interface OpenedKnex {
  knex: Knex;
  dialect: 'postgres' | 'pglite';
  /** Where the data lives, for logs (no credentials). */
  location: string;
  /** Releases what opening took (the data folder's lock); call after destroying knex. */
  release: () => void;
}

export function openKnex(options: OpenKnexOptions): OpenedKnex {
  if (options.databaseUrl) {
    const knex = knexFactory({
      client: 'pg',
      connection: options.databaseUrl,
      pool: {
        min: 0,
        max: options.poolMax ?? 4,
        // Make an acknowledged commit durable even where the server's default is relaxed.
        afterCreate: (conn: { query(sql: string, cb: (err: Error | null) => void): void }, done: (err: Error | null, conn: unknown) => void) => {
          conn.query('SET synchronous_commit = on', (err) => done(err, conn));
        },
      },
    });
    return { knex, dialect: 'postgres', location: redact(options.databaseUrl), release: () => undefined };
  }
  let pglite: PGlite;
  let location = 'memory';
  let release = (): void => undefined;
  if (options.dataDir) {
    const dir = resolve(options.dataDir);
    mkdirSync(dir, { recursive: true });
    release = lockDataDir(dir);
    pglite = new PGlite({ dataDir: dir });
    location = dir;
  } else {
    pglite = new PGlite();
  }
  const knex = knexFactory({
    client: ClientPgLite as unknown as typeof knexFactory.Client,
    // knex-pglite takes an already made PGlite instance through a connection function; it closes it on destroy().
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
    return 'postgres';
  }
}
