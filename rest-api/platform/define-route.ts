/**
 * `defineRoute`: one declaration per endpoint that both validates the request and documents it in
 * `/api/openapi.json` and `/api/docs`. Feature routers export a `FeatureRouter` = `{ name, routes }` and the app
 * mounts every route under `/api`.
 *
 * Usage (in `rest-api/<feature>/<feature>-router.ts`):
 *
 *   import { z } from 'zod';
 *   import { defineRoute, type FeatureRouter } from '../platform/define-route.js';
 *   import { etagOf, ifMatchVersion } from '../platform/etag.js';
 *
 *   export function createPermitsRouter(deps: { service: PermitsService }): FeatureRouter {
 *     return {
 *       name: 'permits',
 *       routes: [
 *         defineRoute({
 *           method: 'get',
 *           path: '/permits/{id}',                       // OpenAPI style, relative to /api
 *           summary: 'Read one permit',
 *           tags: ['Permits'],
 *           auth: 'bearer',                              // or 'public'
 *           roles: ['researcher', 'hdab-reviewer'],      // optional: caller needs one of these token roles (else 403)
 *           request: { params: z.object({ id: z.uuid() }) },
 *           responses: { 200: { description: 'The permit', body: PermitSchema, headers: ['ETag'] } },
 *           problems: [404],                             // documented problem+json statuses besides the automatic ones
 *           handler: async ({ params }, { res, caller }) => {
 *             const permit = await deps.service.get(caller, params.id);
 *             res.set('ETag', etagOf(permit.version));
 *             return permit;                             // sent as JSON with the route's lowest 2xx status
 *           },
 *         }),
 *       ],
 *     };
 *   }
 *
 * Contract:
 * - `request.params/query/body` are zod schemas; the parsed (output) values arrive in the handler's first
 *   argument. A failed parse answers 400 problem+json with `errors: [{ path: 'body.title', message }]`.
 *   Query values arrive as strings (or string arrays): use `z.coerce.number()` etc. for numbers.
 * - Give reusable schemas an id with `.meta({ id: 'Permit' })`: they become `#/components/schemas/Permit`.
 * - `auth: 'bearer'` → `ctx.caller` is the verified caller (401 problem otherwise); `auth: 'public'` → `ctx.caller`
 *   is the caller if a valid token was sent, else undefined.
 * - Respond either by returning a value (sent with `res.status(<lowest 2xx in responses>).json(value)`; returning
 *   undefined sends an empty body with that status, e.g. 204), or by writing to `ctx.res` yourself (SSE, 201 with
 *   Location...). Throw `shared/errors.ts` errors; the error handler turns them into problem+json.
 * - `ifMatch: true` documents the optional `If-Match` header; read it with `ifMatchVersion(req)` from `etag.ts`.
 * - Unit-test a route without HTTP: `callRoute(route, { caller, params, query, body, headers })` from
 *   `./testing/call-route.js` answers `{ status, headers, body }` (errors mapped to their problem).
 * - Automatic problem responses in the document: 400 (any request schema or ifMatch), 401 (bearer), 403 (roles),
 *   412 (ifMatch), 413 and 415 (body), 429 and 500 (all routes); list others (404, 409...) in `problems`.
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import { z } from 'zod';
import { ForbiddenError, ValidationError, type Role } from '../../shared/index.js';
import { findUnstorableText } from '../../shared/storable-text.js';
import { findCaller, requireCaller, type Caller } from '../identity/caller.js';
import { fieldErrors } from './field-errors.js';
import { HttpProblemError } from './problem.js';
import { loggerOf } from './request-logging.js';

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';
export type RouteAuth = 'public' | 'bearer';

/** Response headers a route may document. */
export type DocumentedHeader = 'ETag' | 'Location' | 'Retry-After';

export interface ResponseSpec {
  description: string;
  /** Body schema; omit for an empty body (204, 202...). */
  body?: z.ZodType;
  /** Media type of the body; default `application/json`. */
  contentType?: string;
  headers?: readonly DocumentedHeader[];
}

type Schema = z.ZodType | undefined;
type Parsed<S extends Schema, Fallback> = S extends z.ZodType ? z.output<S> : Fallback;

export interface RouteInput<P extends Schema, Q extends Schema, B extends Schema> {
  params: Parsed<P, Record<string, string>>;
  query: Parsed<Q, Record<string, never>>;
  body: Parsed<B, undefined>;
}

export interface RouteContext<A extends RouteAuth> {
  req: Request;
  res: Response;
  /** The verified caller; on public routes only when a valid token was sent. */
  caller: A extends 'bearer' ? Caller : Caller | undefined;
  /** Request-scoped pino logger (carries the correlation id). */
  log: Logger;
}

export interface RouteSpec<P extends Schema, Q extends Schema, B extends Schema, A extends RouteAuth> {
  method: HttpMethod;
  /** OpenAPI-style path relative to `/api`, e.g. `/permits/{id}/members/{userId}`. */
  path: string;
  summary: string;
  description?: string;
  /** Defaults to `<method><Path in PascalCase>`. */
  operationId?: string;
  tags: readonly string[];
  auth: A;
  /** Token roles allowed to call (any of them); omit to allow every authenticated caller. */
  roles?: readonly Role[];
  /** Documents the optional `If-Match` request header (412 when stale). */
  ifMatch?: boolean;
  request?: { params?: P; query?: Q; body?: B };
  responses: Record<number, ResponseSpec>;
  /** Problem+json statuses to document besides the automatic ones (e.g. 404, 409, 412). */
  problems?: readonly number[];
  handler: (input: RouteInput<P, Q, B>, ctx: RouteContext<A>) => unknown;
}

/** A defined route: its spec (for the OpenAPI document) and the Express handler that validates and runs it. */
export interface Route {
  readonly spec: RouteSpec<Schema, Schema, Schema, RouteAuth>;
  /** Express path under `/api`, e.g. `/permits/:id`. */
  readonly expressPath: string;
  readonly successStatus: number;
  readonly handle: RequestHandler;
}

/** What each feature module hands to `createApp`. */
export interface FeatureRouter {
  name: string;
  routes: readonly Route[];
}

export function defineRoute<
  P extends Schema = undefined,
  Q extends Schema = undefined,
  B extends Schema = undefined,
  A extends RouteAuth = RouteAuth,
>(spec: RouteSpec<P, Q, B, A>): Route {
  if (!spec.path.startsWith('/')) throw new Error(`Route path "${spec.path}" must start with "/" (relative to /api).`);
  const successStatus = Object.keys(spec.responses)
    .map(Number)
    .filter((status) => status >= 200 && status < 300)
    .sort((a, b) => a - b)[0];
  if (successStatus === undefined) {
    throw new Error(`Route ${spec.method.toUpperCase()} ${spec.path} declares no 2xx response; add one to "responses".`);
  }
  const expressPath = toExpressPath(spec.path);
  const documentedParams = pathParamNames(spec.path);
  const paramsSchema = spec.request?.params;
  if (paramsSchema instanceof z.ZodObject) {
    const declared = Object.keys(paramsSchema.shape);
    const missing = documentedParams.filter((name) => !declared.includes(name));
    if (missing.length > 0) {
      throw new Error(`Route ${spec.method.toUpperCase()} ${spec.path}: params schema lacks ${missing.join(', ')}.`);
    }
  }

  const handle = async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    try {
      const caller = spec.auth === 'bearer' ? requireCaller(res) : findCaller(res);
      if (spec.roles && spec.roles.length > 0 && caller && !spec.roles.some((role) => caller.roles.includes(role))) {
        throw new ForbiddenError(`This operation needs one of the roles ${spec.roles.join(', ')}; you have ${caller.roles.join(', ') || 'none'}.`, {
          requiredRoles: spec.roles,
        });
      }
      if (spec.request?.body && hasBody(req) && !req.is('application/json')) {
        throw new HttpProblemError('unsupported-media-type', `Send the body as JSON with Content-Type: application/json (got ${req.get('content-type') ?? 'none'}).`);
      }
      rejectUnstorableText(req);
      const input = {
        params: parsePart('params', spec.request?.params, req.params),
        query: parsePart('query', spec.request?.query, req.query),
        body: parsePart('body', spec.request?.body, req.body),
      } as RouteInput<P, Q, B>;
      const ctx = { req, res, caller, log: loggerOf(res) } as RouteContext<A>;
      const result = await spec.handler(input, ctx);
      if (res.headersSent) return;
      if (result === undefined) res.status(successStatus).end();
      else res.status(successStatus).json(result);
    } catch (error) {
      next(error);
    }
  };

  return { spec: spec as unknown as Route['spec'], expressPath, successStatus, handle };
}

function parsePart(part: 'params' | 'query' | 'body', schema: Schema, value: unknown): unknown {
  if (!schema) return part === 'body' ? undefined : value;
  const input = part === 'body' && value === undefined ? undefined : value;
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const errors = fieldErrors(parsed.error.issues, part);
  const summary = errors.map((e) => `${e.path}: ${e.message}`).join('; ');
  throw new ValidationError(`The request ${part} is invalid: ${summary}`, { errors });
}

/**
 * Refuses, for every route at once, text the database cannot store (NUL, lone surrogates) anywhere in the path
 * parameters, the query or the JSON body, before the route's own schema or handler runs: a 400 naming each field.
 */
function rejectUnstorableText(req: Request): void {
  const errors = [
    ...findUnstorableText(req.params, 'params'),
    ...findUnstorableText(req.query, 'query'),
    ...findUnstorableText(req.body, 'body'),
  ];
  if (errors.length === 0) return;
  const summary = errors.map((e) => `${e.path}: ${e.message}`).join('; ');
  throw new ValidationError(`The request contains text that cannot be stored: ${summary}. Remove those characters and send it again.`, { errors });
}

function hasBody(req: Request): boolean {
  return req.get('transfer-encoding') !== undefined || Number(req.get('content-length') ?? 0) > 0;
}

/** `/permits/{id}` → `/permits/:id`. */
export function toExpressPath(path: string): string {
  return path.replace(/\{([A-Za-z_][A-Za-z0-9_]*)\}/g, ':$1');
}

export function pathParamNames(path: string): string[] {
  return [...path.matchAll(/\{([A-Za-z_][A-Za-z0-9_]*)\}/g)].map((m) => m[1] as string);
}
