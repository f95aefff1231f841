/**
 * Per-caller rate limit: RATE_LIMIT_PER_MINUTE requests per one-minute window, keyed by the authenticated
 * caller's user id, else by client IP (IPv6 by /56 subnet). Runs after `identify`, so a token that verifies
 * counts against its user wherever the request comes from. Over the limit: 429 problem+json with `Retry-After`
 * and the IETF `RateLimit`/`RateLimit-Policy` headers (draft 8), as express-rate-limit writes them. Liveness and
 * readiness probes are not limited. The counters live in memory by default (one process, one budget); with `store`
 * (PostgreSQL: pg-rate-limit-store.ts) every instance on the database counts against the same budget.
 *
 * Our own middleware over express-rate-limit's `Store` interface rather than its `rateLimit()`: that one awaits six
 * times per request (skip, key, store, limit, identifier…) and hashes the key for the policy header each time, about
 * a seventh of a `GET /api/permits/{id}`'s CPU (issue 17). Here a store that answers at once (memory, or a lease of
 * the PostgreSQL store) lets the request pass synchronously, and a key's partition hash is remembered.
 */
import { createHash } from 'node:crypto';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { ipKeyGenerator, type ClientRateLimitInfo, type Options, type Store } from 'express-rate-limit';
import { findCaller } from '../identity/caller.js';
import { createMemoryRateLimitStore } from './memory-rate-limit-store.js';
import { HttpProblemError } from './problem.js';

export interface RateLimitOptions {
  perMinute: number;
  /** Paths (under the mount point) never limited. */
  exempt?: readonly string[];
  /** Where the counters live; default in this process. */
  store?: Store;
}

const WINDOW_MS = 60_000;
const POLICY_NAME = 'per-caller';
const PARTITION_KEYS_KEPT = 10_000;

export function createRateLimit(options: RateLimitOptions): RequestHandler {
  const exempt = new Set(options.exempt ?? []);
  const limit = options.perMinute;
  const store = options.store ?? createMemoryRateLimitStore();
  const windowSeconds = Math.ceil(WINDOW_MS / 1000);
  void Promise.resolve(store.init?.({ windowMs: WINDOW_MS, limit } as Options));
  const partitionKeys = new Map<string, string>();

  /** The draft-8 partition key: the first 12 hex digits of the key's SHA-256, base64 (express-rate-limit's). */
  function partitionKeyOf(key: string): string {
    let partition = partitionKeys.get(key);
    if (partition === undefined) {
      partition = Buffer.from(createHash('sha256').update(key).digest('hex').slice(0, 12)).toString('base64');
      if (partitionKeys.size >= PARTITION_KEYS_KEPT) partitionKeys.clear();
      partitionKeys.set(key, partition);
    }
    return partition;
  }

  function decide(req: Request, res: Response, next: NextFunction, key: string, info: ClientRateLimitInfo): void {
    const resetSeconds = info.resetTime ? Math.max(0, Math.ceil((info.resetTime.getTime() - Date.now()) / 1000)) : windowSeconds;
    if (!res.headersSent) {
      res.setHeader('RateLimit', `"${POLICY_NAME}"; r=${Math.max(limit - info.totalHits, 0)}; t=${resetSeconds}`);
      res.setHeader('RateLimit-Policy', `"${POLICY_NAME}"; q=${limit}; w=${windowSeconds}; pk=:${partitionKeyOf(key)}:`);
    }
    if (info.totalHits <= limit) {
      next();
      return;
    }
    if (!res.headersSent) res.setHeader('Retry-After', String(resetSeconds));
    const caller = findCaller(res);
    const who = caller ? `user ${caller.userId}` : `address ${req.ip ?? 'unknown'}`;
    next(
      new HttpProblemError('rate-limited', `Too many requests from ${who}: the limit is ${limit} per minute. Retry after ${resetSeconds} seconds.`, {
        limitPerMinute: limit,
      }),
    );
  }

  return (req: Request, res: Response, next: NextFunction) => {
    if (exempt.has(req.path)) {
      next();
      return;
    }
    const caller = findCaller(res);
    const key = caller ? `user:${caller.userId}` : `ip:${ipKeyGenerator(req.ip ?? 'unknown')}`;
    let counted: ClientRateLimitInfo | Promise<ClientRateLimitInfo>;
    try {
      counted = store.increment(key);
    } catch (error) {
      next(error);
      return;
    }
    if (counted instanceof Promise) counted.then((info) => decide(req, res, next, key, info), next);
    else decide(req, res, next, key, counted);
  };
}
