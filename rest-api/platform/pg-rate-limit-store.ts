/**
 * An express-rate-limit store in PostgreSQL, so every Permit Manager instance on one database counts against the
 * same budget: one row per caller key (`rate_limit_counters`, UNLOGGED), incremented by one atomic upsert that
 * starts a new window once the old one has passed. Expired rows are swept now and then. With PGlite (one
 * instance) the in-memory store stays: nothing to share.
 *
 * Far from the limit an instance takes a few hits at once (a lease: one upsert adds `n` to the shared counter,
 * and the next `n - 1` requests of that key in this instance are counted against it without a round trip);
 * `n` is a sixteenth of what is left of the budget, at most 64, and 1 near the limit, where every request asks
 * the database again. A lease only ever counts hits before they happen, so no caller gets more than the limit
 * across all instances; the cost is that hits leased but unused at the end of a window are lost (a caller busy
 * on several instances may be refused up to 63 requests per instance early). Concurrent requests of one key share
 * one reservation.
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
  /** Most hits one upsert leases; default 64 (1 turns leases off: one upsert per request). */
  maxLease?: number;
}

/** Hits this instance has counted in the database but not used yet: totals `next` … `last` of the window. */
interface Lease {
  next: number;
  last: number;
  resetTime: Date;
}

interface CounterRow {
  hits: number | string;
  reset_at: Date | string;
}

const info = (row: CounterRow | undefined): ClientRateLimitInfo | undefined =>
  row ? { totalHits: Number(row.hits), resetTime: new Date(row.reset_at) } : undefined;

/** How many hits to lease when `used` of `limit` are counted already (1 near the limit or without a fixed limit). */
export function leaseSize(limit: number | undefined, used: number, maxLease: number): number {
  if (limit === undefined) return 1;
  return Math.max(1, Math.min(maxLease, Math.floor((limit - used) / 16)));
}

export function createPgRateLimitStore(options: PgRateLimitStoreOptions): Store {
  const { knex } = options;
  const table = TABLES.rateLimitCounters;
  const maxLease = options.maxLease ?? 64;
  let windowMs = 60_000;
  let limit: number | undefined;
  let sweeper: NodeJS.Timeout | undefined;
  const leases = new Map<string, Lease>();
  const reserving = new Map<string, Promise<unknown>>();
  /** The shared total each key had after this instance's last reservation (sizes the next lease). */
  const lastTotals = new Map<string, ClientRateLimitInfo>();

  /** One hit from this key's lease, if it has one left in a window that is still running. */
  function takeLeased(key: string): ClientRateLimitInfo | undefined {
    const lease = leases.get(key);
    if (!lease) return undefined;
    if (lease.resetTime.getTime() <= Date.now()) {
      leases.delete(key);
      return undefined;
    }
    const totalHits = lease.next++;
    if (lease.next > lease.last) leases.delete(key);
    return { totalHits, resetTime: lease.resetTime };
  }

  /** Adds `n` hits to the shared counter; answers the total after them and when the window ends. */
  async function reserve(key: string, n: number): Promise<ClientRateLimitInfo> {
    const { rows } = (await knex.raw(
      `INSERT INTO ${table} AS c (key, hits, reset_at) VALUES (?, ?, now() + make_interval(secs => ?))
       ON CONFLICT (key) DO UPDATE SET
         hits = CASE WHEN c.reset_at <= now() THEN EXCLUDED.hits ELSE c.hits + EXCLUDED.hits END,
         reset_at = CASE WHEN c.reset_at <= now() THEN EXCLUDED.reset_at ELSE c.reset_at END
       RETURNING hits, reset_at`,
      [key, n, windowMs / 1000],
    )) as { rows: CounterRow[] };
    return info(rows[0])!;
  }

  /** The slow path of `increment`: reserve a lease (or wait for the one being reserved) and take its first hit. */
  async function reserveAndTake(key: string): Promise<ClientRateLimitInfo> {
    for (;;) {
      const leased = takeLeased(key);
      if (leased) return leased;
      const running = reserving.get(key);
      if (running) {
        // Someone is reserving for this key: take from what they reserve (or reserve again if it is used up).
        await running.catch(() => undefined);
        continue;
      }
      const last = lastTotals.get(key);
      const n = leaseSize(limit, last && last.resetTime && last.resetTime.getTime() > Date.now() ? last.totalHits : 0, maxLease);
      const reservation = reserve(key, n);
      reserving.set(key, reservation);
      try {
        const { totalHits, resetTime } = await reservation;
        lastTotals.set(key, { totalHits, resetTime });
        // This request takes the first of the n hits; the rest wait in the lease.
        if (n > 1) leases.set(key, { next: totalHits - n + 2, last: totalHits, resetTime: resetTime! });
        return { totalHits: totalHits - n + 1, resetTime };
      } finally {
        reserving.delete(key);
      }
    }
  }

  return {
    // Counters live in the database, not in this process: the limiter must not treat keys as local.
    localKeys: false,
    prefix: 'rl:',
    init(limiterOptions: Options) {
      windowMs = limiterOptions.windowMs;
      limit = typeof limiterOptions.limit === 'number' ? limiterOptions.limit : undefined;
      sweeper = setInterval(() => {
        knex(table).where('reset_at', '<', knex.fn.now()).delete().catch(() => undefined);
        for (const [key, lease] of leases) if (lease.resetTime.getTime() <= Date.now()) leases.delete(key);
        for (const [key, last] of lastTotals) if ((last.resetTime?.getTime() ?? 0) <= Date.now()) lastTotals.delete(key);
      }, options.sweepMs ?? 60_000);
      sweeper.unref();
    },
    async get(key) {
      const row = (await knex(table).where({ key }).where('reset_at', '>', knex.fn.now()).first('hits', 'reset_at')) as CounterRow | undefined;
      return info(row);
    },
    // A hit from this instance's lease is answered at once (no promise): the request passes the limiter in the
    // same turn of the event loop (rate-limit.ts).
    increment(key) {
      return takeLeased(key) ?? reserveAndTake(key);
    },
    async decrement(key) {
      await knex(table).where({ key }).where('hits', '>', 0).decrement('hits', 1);
    },
    async resetKey(key) {
      leases.delete(key);
      lastTotals.delete(key);
      await knex(table).where({ key }).delete();
    },
    async resetAll() {
      leases.clear();
      lastTotals.clear();
      await knex(table).delete();
    },
    shutdown() {
      clearInterval(sweeper);
    },
  };
}
