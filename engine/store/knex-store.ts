/**
 * The engine's durable store on knex: PostgreSQL when `databaseUrl` is set, else embedded PGlite (in
 * `dataDir`, or in memory when that is unset too), or a knex someone else opened and closes (`npm start` hands
 * the engine and the Permit Manager one embedded database). See shared/open-knex.ts for what "durable" means
 * on PGlite.
 *
 * Commits are serialised inside the store, so a later batch can never be overtaken by an earlier one on
 * another pooled connection. A batch of up to ROWS_PER_STATEMENT records is one statement; larger ones run
 * in one transaction. On PostgreSQL that one statement runs as a named prepared statement (runPrepared).
 */
import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import { pino, type Logger } from 'pino';
import { invalidArgument } from '../errors.js';
import type { EngineRecord, RecordKind } from '../runtime/records.js';
import { engineMigrationSource, MIGRATIONS_TABLE } from './engine-migrations.js';
import { openKnex } from '../../shared/open-knex.js';
import { ENGINE_LOCK } from './data-dir-lock.js';
import { buildSearchSql, type SqlFragment } from './search-sql.js';
import type { CommitBatch, EngineStore, LoadedState, SearchQuery, SearchResult } from './store.js';
import { commitStatements, HIGH_WATER } from './upsert-sql.js';

export interface KnexStoreOptions {
  /** PostgreSQL connection string; when absent, PGlite is used. */
  databaseUrl?: string;
  /** PGlite data folder (created if missing); when absent too, PGlite runs in memory. */
  dataDir?: string;
  /** PostgreSQL schema holding the tables (created if missing). Default `public`. */
  schema?: string;
  /** PostgreSQL pool size. Default 4. */
  poolMax?: number;
  /**
   * A database opened by the caller, shared with others (they live in other schemas): the store neither opens
   * nor closes it. Every statement names the store's schema, so its `search_path` does not matter.
   */
  shared?: { knex: Knex; dialect: 'postgres' | 'pglite'; location: string };
  logger?: Logger;
}

const SCHEMA_PATTERN = /^[a-z_][a-z0-9_]{0,62}$/;
const KEY_PATTERN = /^[0-9]{1,19}$/;

type Row = Record<string, unknown>;

/** A node-postgres connection from knex's pool. */
interface PooledConnection {
  query(config: { name: string; text: string; values: readonly unknown[] }): Promise<unknown>;
}

/** The EngineStore plus what tests and tooling need beyond it. */
export interface KnexEngineStore extends EngineStore {
  /** Reverts every engine migration (tests, uninstall). */
  rollbackAll(): Promise<void>;
}

export function createKnexStore(options: KnexStoreOptions = {}): KnexEngineStore {
  return new KnexStore(options);
}

const MAX_KEY = 9223372036854775807n;

class KnexStore implements KnexEngineStore {
  private readonly knex: Knex;
  private readonly schema: string;
  private readonly records: string;
  private readonly meta: string;
  private readonly log: Logger;
  private readonly dialect: 'postgres' | 'pglite';
  private readonly location: string;
  private readonly closeDatabase: () => Promise<void>;
  /** The high-water mark last read or written: an empty batch that does not move it needs no I/O. */
  private highWater: number | undefined;
  /** Commit statements prepared on PostgreSQL, by their knex text (see runPrepared). */
  private readonly prepared = new Map<string, { name: string; text: string }>();
  /** Tail of the commit chain (commits run one after another). */
  private commitTail: Promise<void> = Promise.resolve();

  constructor(options: KnexStoreOptions) {
    const schema = options.schema ?? 'public';
    if (!SCHEMA_PATTERN.test(schema)) {
      throw invalidArgument(`Schema name '${schema}' is not valid; use lower-case letters, digits and '_' (e.g. 'engine')`);
    }
    const opened = options.shared
      ? { ...options.shared, close: () => Promise.resolve() }
      : openKnex({
          ...options,
          poolMax: options.poolMax ?? 4,
          synchronousCommit: true,
          lock: ENGINE_LOCK,
        });
    this.knex = opened.knex;
    this.dialect = opened.dialect;
    this.location = opened.location;
    this.closeDatabase = opened.close;
    this.schema = schema;
    this.records = `"${schema}"."engine_records"`;
    this.meta = `"${schema}"."engine_meta"`;
    this.log = (options.logger ?? pino({ level: 'silent' })).child({ component: 'engine-store' });
    this.log.info({ dialect: opened.dialect, location: opened.location, schema }, 'engine store opened');
  }

  async migrate(): Promise<void> {
    try {
      await this.knex.raw(`CREATE SCHEMA IF NOT EXISTS "${this.schema}"`);
      const [batch, names] = (await this.knex.migrate.latest(this.migrationConfig())) as [number, string[]];
      if (names.length > 0) this.log.info({ batch, migrations: names }, 'engine store migrated');
    } catch (err) {
      const hint =
        this.dialect === 'postgres'
          ? 'Check that PostgreSQL is running and DATABASE_URL points at it, with rights to create the schema and tables.'
          : 'Check that the data folder is writable and not opened by another engine process at the same time.';
      throw new Error(`Could not prepare the engine database (${this.location}, schema ${this.schema}): ${(err as Error).message}. ${hint}`, { cause: err });
    }
  }

  async rollbackAll(): Promise<void> {
    await this.knex.migrate.rollback(this.migrationConfig(), true);
  }

  private migrationConfig(): Knex.MigratorConfig {
    return { migrationSource: engineMigrationSource(this.schema), tableName: MIGRATIONS_TABLE, schemaName: this.schema };
  }

  async loadActive(): Promise<LoadedState> {
    const rows = await this.rows({ sql: `SELECT data FROM ${this.records} WHERE active ORDER BY key`, bindings: [] });
    const meta = await this.rows({ sql: `SELECT value FROM ${this.meta} WHERE name = ?`, bindings: [HIGH_WATER] });
    const value = meta[0]?.value;
    const keyHighWater = typeof value === 'string' && value !== '' ? Number(value) : undefined;
    this.highWater = keyHighWater;
    return { records: rows.map((r) => r.data as EngineRecord), keyHighWater };
  }

  commit(batch: CommitBatch): Promise<void> {
    const run = this.commitTail.then(() => this.write(batch));
    // Keep the chain alive after a failure; the caller still sees the rejection through `run`.
    this.commitTail = run.catch(() => undefined);
    return run;
  }

  private async write(batch: CommitBatch): Promise<void> {
    const highWaterMoved = batch.keyHighWater !== this.highWater;
    if (batch.records.length === 0 && !highWaterMoved) return;
    const statements = commitStatements(this.records, this.meta, batch.records, highWaterMoved ? batch.keyHighWater : undefined);
    if (statements.length === 1 && this.dialect === 'postgres') {
      await this.runPrepared(statements[0]!);
    } else if (statements.length === 1) {
      await this.knex.raw(statements[0]!.sql, statements[0]!.bindings as Knex.RawBinding[]);
    } else {
      await this.knex.transaction(async (trx) => {
        for (const s of statements) await trx.raw(s.sql, s.bindings as Knex.RawBinding[]);
      });
    }
    this.highWater = batch.keyHighWater;
  }

  /**
   * One commit statement as a named prepared statement on one of knex's pooled connections (PostgreSQL): a
   * commit statement has one of two texts per schema, so the server parses and plans it once per connection
   * instead of at every group commit, and knex's query building is skipped.
   */
  private async runPrepared(fragment: SqlFragment): Promise<void> {
    let prepared = this.prepared.get(fragment.sql);
    if (!prepared) {
      let n = 0;
      const text = fragment.sql.replace(/\?/g, () => `$${++n}`);
      prepared = { name: `engine_commit_${createHash('sha256').update(text).digest('hex').slice(0, 24)}`, text };
      this.prepared.set(fragment.sql, prepared);
    }
    const client = this.knex.client as { acquireConnection(): Promise<PooledConnection>; releaseConnection(c: PooledConnection): Promise<unknown> };
    const connection = await client.acquireConnection();
    try {
      await connection.query({ name: prepared.name, text: prepared.text, values: fragment.bindings });
    } finally {
      await client.releaseConnection(connection);
    }
  }

  async search<K extends RecordKind>(kind: K, query: SearchQuery): Promise<SearchResult<Extract<EngineRecord, { kind: K }>>> {
    const { select, count } = buildSearchSql(this.records, kind, query);
    const rows = await this.rows(select);
    let total: number;
    if (rows.length > 0) total = Number(rows[0]!.total);
    else if (query.offset > 0) total = Number((await this.rows(count))[0]?.total ?? 0);
    else total = 0;
    return { items: rows.map((r) => r.data as Extract<EngineRecord, { kind: K }>), total };
  }

  async get<K extends RecordKind>(kind: K, key: string): Promise<Extract<EngineRecord, { kind: K }> | undefined> {
    if (!KEY_PATTERN.test(key) || BigInt(key) > MAX_KEY) return undefined;
    const rows = await this.rows({ sql: `SELECT data FROM ${this.records} WHERE key = ? AND kind = ?`, bindings: [key, kind] });
    return rows[0]?.data as Extract<EngineRecord, { kind: K }> | undefined;
  }

  async close(): Promise<void> {
    await this.commitTail;
    await this.closeDatabase();
  }

  private async rows(fragment: SqlFragment): Promise<Row[]> {
    const result = (await this.knex.raw(fragment.sql, fragment.bindings as Knex.RawBinding[])) as { rows: Row[] };
    return result.rows;
  }
}
