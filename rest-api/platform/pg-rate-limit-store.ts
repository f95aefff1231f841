/**
 * An express-rate-limit store in PostgreSQL, so every Permit Manager instance on one database counts against the
 * same budget: one row per caller key (`rate_limit_counters`, UNLOGGED), incremented by one atomic upsert that
 * starts a new window once the old one has passed. Expired rows are swept now and then. With PGlite (one
 * instance) the in-memory store stays: nothing to share.
 *
 *   rateLimit({ ..., store: createPgRateLimitStore({ knex }) })
 */
import type { Knex } from 'knex';
import type { ClientRateLimitInfo, Options, Store } from 'express-rate-limit';
import { TABLES } from '../../db/index.js';

export interface PgRateLimitStoreOptions {
  knex: Knex;
  /** How often expired rows are deleted; default 60 s. */
  sweepMs?: number;
}

interface CounterRow {
  hits: number | string;
  reset_at: Date | string;
}

const info = (row: CounterRow | undefined): ClientRateLimitInfo | undefined =>
  row ? { totalHits: Number(row.hits), resetTime: new Date(row.reset_at) } : undefined;

export function createPgRateLimitStore(options: PgRateLimitStoreOptions): Store {
  const { knex } = options;
  const table = TABLES.rateLimitCounters;
  let windowMs = 60_000;
  let sweeper: NodeJS.Timeout | undefined;

  return {
    // Counters live in the database, not in this process: the limiter must not treat keys as local.
    localKeys: false,
    prefix: 'rl:',
    init(limiterOptions: Options) {
      windowMs = limiterOptions.windowMs;
      sweeper = setInterval(() => {
        knex(table).where('reset_at', '<', knex.fn.now()).delete().catch(() => undefined);
      }, options.sweepMs ?? 60_000);
      sweeper.unref();
    },
    async get(key) {
      const row = (await knex(table).where({ key }).where('reset_at', '>', knex.fn.now()).first('hits', 'reset_at')) as CounterRow | undefined;
      return info(row);
    },
    async increment(key) {
      const { rows } = (await knex.raw(
        `INSERT INTO ${table} AS c (key, hits, reset_at) VALUES (?, 1, now() + make_interval(secs => ?))
         ON CONFLICT (key) DO UPDATE SET
           hits = CASE WHEN c.reset_at <= now() THEN 1 ELSE c.hits + 1 END,
           reset_at = CASE WHEN c.reset_at <= now() THEN EXCLUDED.reset_at ELSE c.reset_at END
         RETURNING hits, reset_at`,
        [key, windowMs / 1000],
      )) as { rows: CounterRow[] };
      return info(rows[0])!;
    },
    async decrement(key) {
      await knex(table).where({ key }).where('hits', '>', 0).decrement('hits', 1);
    },
    async resetKey(key) {
      await knex(table).where({ key }).delete();
    },
    async resetAll() {
      await knex(table).delete();
    },
    shutdown() {
      clearInterval(sweeper);
    },
  };
}
