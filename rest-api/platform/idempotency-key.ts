/**
 * `Idempotency-Key` (draft-ietf-httpapi-idempotency-key-header) on the POSTs that create something, so a client
 * whose answer was lost can send the same request again without creating a second permit, output request or
 * amendment. Mounted after authentication and the JSON parser; only the routes listed in `IDEMPOTENT_ROUTES`.
 *
 * - No header: the request runs as always (the key is optional).
 * - A key is 1–255 visible ASCII characters, sent bare (`abc`) or as a structured-field string (`"abc"`); anything
 *   else is a 400.
 * - Scope: the caller (token `sub`) and the key. The request's fingerprint is the method, the path and the JSON body
 *   (keys sorted), hashed with SHA-256.
 * - First use: a row `in-progress` is inserted (the primary key makes concurrent duplicates lose), the request runs,
 *   and its answer (status, `Location`, `ETag`, `Content-Type`, body) is stored before it is sent. A 5xx answer, an
 *   answer that depends on the moment (401, 403, 408, 409, 412, 425, 429) or a request that ended without an answer
 *   removes the row, so the retry runs again.
 * - Same key, same fingerprint, answered: the first answer again, with `Idempotent-Replayed: true`; nothing runs.
 * - Same key, other fingerprint: 422 `idempotency-key-reused`. Same key still running: 409 with `Retry-After: 1`.
 * - Rows expire after 24 h (`expires_at`); an `in-progress` row older than the lease (a process that died mid-request)
 *   is taken over by the next retry.
 *
 * A create binds the key to what it creates in its own transaction (`idempotency_keys.resource_id`, through
 * `idempotencyScopeOf(res)`): a crash after the create committed and before its answer was stored leaves an
 * `in-progress` row that the next retry takes over after the lease, and that retry finds the record the key already
 * created instead of creating a second one (POST /api/permits; docs/rest-api.md, "Idempotency-Key").
 */
import { createHash } from 'node:crypto';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import { TABLES } from '../../db/types.js';
import { findCaller } from '../identity/caller.js';
import { HttpProblemError } from './problem.js';
import { ValidationError } from '../../shared/errors.js';

/** The creating POSTs (paths inside /api) where a repeat would duplicate a record. */
export const IDEMPOTENT_ROUTES: readonly RegExp[] = [/^\/permits\/?$/, /^\/permits\/[^/]+\/egress-requests\/?$/, /^\/permits\/[^/]+\/amendments\/?$/];

/**
 * The `Idempotency-Key` this request holds (claimed, not yet answered), for a create to bind to what it creates in
 * its own transaction (`idempotency_keys.resource_id`); undefined without a key.
 */
export function idempotencyScopeOf(res: Response): { caller: string; key: string } | undefined {
  const scope: unknown = res.locals.idempotencyKey;
  return scope && typeof scope === 'object' ? (scope as { caller: string; key: string }) : undefined;
}

/** Whether a route (method and `/api`-relative path, `{id}` placeholders allowed) takes the header. */
export function acceptsIdempotencyKey(method: string, path: string): boolean {
  return method.toUpperCase() === 'POST' && IDEMPOTENT_ROUTES.some((route) => route.test(path));
}

export const IDEMPOTENCY_KEY_HEADER = 'Idempotency-Key';
export const REPLAYED_HEADER = 'Idempotent-Replayed';

export interface IdempotencyKeyOptions {
  knex: Knex;
  logger: Logger;
  /** How long an answer is replayed (default 24 h). */
  ttlMs?: number;
  /** An `in-progress` row older than this belongs to a request that died and is taken over (default 60 s). */
  leaseMs?: number;
  routes?: readonly RegExp[];
}

interface KeyRow {
  fingerprint: string;
  status: 'in-progress' | 'done';
  response_status: number | null;
  response_headers: Record<string, string> | string | null;
  response_body: string | null;
  created_at: Date | string;
}

/** Answers that say something about the moment, not about the request: never replayed. */
const NOT_STORED = new Set([401, 403, 408, 409, 412, 425, 429]);
const REPLAYED_HEADERS = ['Content-Type', 'Location', 'ETag'];
const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

/** The key as sent: bare, or a structured-field string; undefined when the request has none. */
export function parseIdempotencyKey(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  const value = raw.trim();
  const unquoted = value.length >= 2 && value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1) : value;
  if (!KEY_PATTERN.test(unquoted) || unquoted.includes('"')) {
    throw new ValidationError(`${IDEMPOTENCY_KEY_HEADER} must be 1 to 255 visible ASCII characters (e.g. a UUID), optionally in double quotes; send a new key of that form.`, {
      errors: [{ path: `header.${IDEMPOTENCY_KEY_HEADER}`, message: 'must be 1 to 255 visible ASCII characters' }],
    });
  }
  return unquoted;
}

/** SHA-256 of the method, the path and the body with object keys sorted. */
export function requestFingerprint(method: string, path: string, body: unknown): string {
  return createHash('sha256').update(`${method.toUpperCase()} ${path}\n${canonicalJson(body ?? null)}`).digest('hex');
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

export function createIdempotencyKeyMiddleware(options: IdempotencyKeyOptions): RequestHandler {
  const { knex } = options;
  const ttlMs = options.ttlMs ?? 24 * 60 * 60_000;
  const leaseMs = options.leaseMs ?? 60_000;
  const routes = options.routes ?? IDEMPOTENT_ROUTES;
  const table = TABLES.idempotencyKeys;

  return (req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'POST' || !routes.some((route) => route.test(req.path))) return next();
    const caller = findCaller(res);
    if (!caller) return next(); // the route answers 401
    let key: string | undefined;
    try {
      key = parseIdempotencyKey(req.get(IDEMPOTENCY_KEY_HEADER));
    } catch (error) {
      return next(error);
    }
    if (key === undefined) return next();
    const scope = { caller: caller.userId, key };
    const fingerprint = requestFingerprint(req.method, req.path, req.body);
    const log = options.logger.child({ idempotencyKey: key, caller: caller.userId });

    const claim = async (): Promise<'claimed' | KeyRow> => {
      for (let round = 0; round < 3; round += 1) {
        await knex(table).where(scope).where('expires_at', '<=', knex.fn.now()).delete();
        const inserted = (await knex(table)
          .insert({ ...scope, method: req.method, path: req.path, fingerprint, status: 'in-progress', expires_at: new Date(Date.now() + ttlMs) })
          .onConflict(['caller', 'key'])
          .ignore()
          .returning('key')) as unknown[];
        if (inserted.length > 0) return 'claimed';
        const row = (await knex(table).where(scope).first()) as KeyRow | undefined;
        if (!row) continue; // expired or released meanwhile
        if (row.fingerprint === fingerprint && row.status === 'in-progress') {
          // A request that died mid-way (its process was killed) leaves its row; the lease hands it on.
          const taken = (await knex(table)
            .where({ ...scope, status: 'in-progress' })
            .where('created_at', '<=', new Date(Date.now() - leaseMs))
            .update({ created_at: knex.fn.now() })
            .returning('key')) as unknown[];
          if (taken.length > 0) return 'claimed';
        }
        return row;
      }
      throw new HttpProblemError('conflict', 'The Idempotency-Key is being released and claimed by other requests at this moment; send the request again.', {}, { 'Retry-After': '1' });
    };

    claim()
      .then((outcome) => {
        if (outcome === 'claimed') {
          res.locals.idempotencyKey = scope;
          return run();
        }
        if (outcome.fingerprint !== fingerprint) {
          throw new HttpProblemError(
            'idempotency-key-reused',
            `You already used this ${IDEMPOTENCY_KEY_HEADER} for a request with another body or route. Use a new key for a new request, or send exactly the first request to get its answer again.`,
          );
        }
        if (outcome.status === 'in-progress') {
          throw new HttpProblemError('conflict', `A request with this ${IDEMPOTENCY_KEY_HEADER} is still being processed; send it again in a moment to get its answer.`, {}, { 'Retry-After': '1' });
        }
        replay(outcome);
      })
      .catch(next);

    function replay(row: KeyRow): void {
      const headers = (typeof row.response_headers === 'string' ? JSON.parse(row.response_headers) : row.response_headers ?? {}) as Record<string, string>;
      for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
      res.setHeader(REPLAYED_HEADER, 'true');
      log.info({ status: row.response_status }, 'idempotent request replayed: the first answer is sent again');
      res.status(row.response_status ?? 200).end(row.response_body ?? '');
    }

    function run(): void {
      let settled = false;
      const release = () => {
        if (settled) return;
        settled = true;
        knex(table).where({ ...scope, status: 'in-progress' }).delete().catch((error: unknown) => log.error({ err: error }, 'could not release the Idempotency-Key; it is taken over after its lease'));
      };
      const originalSend = res.send.bind(res);
      res.send = ((body?: unknown) => {
        res.send = originalSend;
        if (settled || res.statusCode >= 500 || NOT_STORED.has(res.statusCode)) {
          release();
          return originalSend(body as never);
        }
        settled = true;
        const text = body === undefined || body === null ? '' : Buffer.isBuffer(body) ? body.toString('utf8') : typeof body === 'string' ? body : JSON.stringify(body);
        const headers: Record<string, string> = {};
        for (const name of REPLAYED_HEADERS) {
          const value = res.get(name);
          if (value) headers[name] = value;
        }
        knex(table)
          .where({ ...scope, status: 'in-progress' })
          .update({ status: 'done', response_status: res.statusCode, response_headers: JSON.stringify(headers), response_body: text })
          .catch((error: unknown) => log.error({ err: error }, 'could not store the answer of an idempotent request; a retry may run it again after the lease'))
          .finally(() => originalSend(body as never));
        return res;
      }) as Response['send'];
      res.on('finish', () => {
        if (!settled) release(); // answered without send (e.g. 204 via end)
      });
      res.on('close', () => {
        if (!res.writableFinished) release();
      });
      next();
    }
  };
}
