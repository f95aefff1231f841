/**
 * Request validation with zod. Bodies are strict objects: an unknown key, a wrong type or a missing required
 * field is a 400 INVALID_ARGUMENT whose detail names the field. Shared field schemas live here so that every
 * router accepts the same shapes the 8.8 client sends (int64 fields may arrive as numbers or, when the client
 * validates requests strictly, as digit strings).
 */
import { z } from 'zod';
import { invalidArgument } from '../errors.js';
import { TENANT } from '../runtime/records.js';

/** int64 as sent by the client: a JSON integer or a string of digits. Parsed to a JS number. */
export const int64 = z
  .union([z.number().int(), z.string().regex(/^-?\d+$/, 'expected an integer')])
  .transform((v) => (typeof v === 'number' ? v : Number(v)));

/** A Camunda key in a body: a string of digits (numbers are accepted and turned into strings). */
export const keyString = z
  .union([z.string().regex(/^\d{1,25}$/, 'expected a key (a string of digits)'), z.number().int().nonnegative()])
  .transform((v) => String(v));

export const variablesObject = z.record(z.string(), z.unknown());

/** Optional tenant: only the default tenant exists (multi-tenancy is disabled). */
export const tenantId = z.string().refine((t) => t === TENANT, {
  message: `multi-tenancy is disabled; use '${TENANT}' or omit tenantId`,
});

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') {
    const where = issue.path.length ? ` in '${issue.path.join('.')}'` : '';
    return `unknown propert${issue.keys.length > 1 ? 'ies' : 'y'} ${issue.keys.map((k) => `'${k}'`).join(', ')}${where}; remove ${issue.keys.length > 1 ? 'them' : 'it'}`;
  }
  const where = issue.path.length ? `'${issue.path.join('.')}'` : 'body';
  return `${where}: ${issue.message}`;
}

/** Parses `value` with `schema` or throws INVALID_ARGUMENT naming every offending field. */
export function parseWith<S extends z.ZodType>(schema: S, value: unknown, what = 'request body'): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const details = result.error.issues.map(describeIssue).join('; ');
  throw invalidArgument(`Invalid ${what}: ${details}`);
}

/**
 * What the routes read of a request: its JSON body (json-body.ts) and path parameters. An Express request is
 * one; hot-routes.ts makes one of a plain Node request.
 */
export interface RouteRequest {
  body?: unknown;
  params: Record<string, string | string[] | undefined>;
}

/** The JSON body, `{}` when the request had none (the client sends no body for optional-body calls). */
export function bodyOf(req: Pick<RouteRequest, 'body'>): unknown {
  return req.body === undefined || req.body === null ? {} : req.body;
}

export function parseBody<S extends z.ZodType>(schema: S, req: Pick<RouteRequest, 'body'>): z.output<S> {
  return parseWith(schema, bodyOf(req));
}

/** A key in the URL path: digits only, else 400 naming the parameter. */
export function keyParam(req: Pick<RouteRequest, 'params'>, name: string): string {
  const raw = req.params[name];
  const value = typeof raw === 'string' ? raw : '';
  if (!/^\d{1,25}$/.test(value)) {
    throw invalidArgument(`Path parameter '${name}' must be a key (a string of digits), got '${value}'`);
  }
  return value;
}
