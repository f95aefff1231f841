/**
 * Per-caller rate limit: RATE_LIMIT_PER_MINUTE requests per one-minute window, keyed by the authenticated
 * caller's user id, else by client IP (IPv6 by /56 subnet). Runs after `identify`, so a token that verifies
 * counts against its user wherever the request comes from. Over the limit: 429 problem+json with `Retry-After`
 * and the IETF `RateLimit`/`RateLimit-Policy` headers (draft 8). Liveness and readiness probes are not limited.
 * The counters live in memory by default (one process, one budget); with `store` (PostgreSQL: pg-rate-limit-store.ts)
 * every instance on the database counts against the same budget.
 */
import type { Request, RequestHandler, Response } from 'express';
import { ipKeyGenerator, rateLimit, type Store } from 'express-rate-limit';
import { findCaller } from '../identity/caller.js';
import { HttpProblemError } from './problem.js';

export interface RateLimitOptions {
  perMinute: number;
  /** Paths (under the mount point) never limited. */
  exempt?: readonly string[];
  /** Where the counters live; default in this process. */
  store?: Store;
}

export function createRateLimit(options: RateLimitOptions): RequestHandler {
  const exempt = new Set(options.exempt ?? []);
  return rateLimit({
    windowMs: 60_000,
    limit: options.perMinute,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    identifier: 'per-caller',
    ...(options.store ? { store: options.store } : {}),
    skip: (req: Request) => exempt.has(req.path),
    keyGenerator: (req: Request, res: Response) => {
      const caller = findCaller(res);
      return caller ? `user:${caller.userId}` : `ip:${ipKeyGenerator(req.ip ?? 'unknown')}`;
    },
    handler: (req: Request, res: Response, next) => {
      const who = findCaller(res) ? `user ${findCaller(res)?.userId}` : `address ${req.ip ?? 'unknown'}`;
      const retryAfter = res.getHeader('Retry-After');
      next(
        new HttpProblemError(
          'rate-limited',
          `Too many requests from ${who}: the limit is ${options.perMinute} per minute. Retry after ${String(retryAfter ?? 60)} seconds.`,
          { limitPerMinute: options.perMinute },
        ),
      );
    },
  });
}
