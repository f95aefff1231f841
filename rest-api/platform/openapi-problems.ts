/**
 * The problem+json side of the OpenAPI document: the `Problem` schema and the error responses every operation
 * documents (automatic ones by route shape, plus the route's own `problems`).
 */
import { z } from 'zod';
import type { Route } from './define-route.js';
import { acceptsIdempotencyKey } from './idempotency-key.js';
import { PROBLEM_CONTENT_TYPE, PROBLEM_TYPES } from './problem.js';

export const problemSchema = z
  .object({
    type: z.string().describe('URI reference of the problem type; resolves to its section of /api/docs.'),
    title: z.string().describe('Short summary of the problem type; the same for every occurrence.'),
    status: z.number().int(),
    detail: z.string().describe('What went wrong this time and what to do about it.'),
    instance: z.string().optional().describe('The request path.'),
    correlationId: z.string().optional().describe('The request correlation id (also in the `x-correlation-id` header and every log line).'),
    errors: z
      .array(z.object({ path: z.string(), message: z.string() }))
      .optional()
      .describe('Validation problems only: one entry per invalid field, e.g. `{ "path": "body.title", "message": "..." }`.'),
    currentStatus: z.string().optional().describe('Invalid-transition problems only: the status the resource is in.'),
    allowedActions: z.array(z.string()).optional().describe('Invalid-transition problems only: what can be done in that status.'),
  })
  .loose()
  .meta({ id: 'Problem', description: 'RFC 9457 problem details; more extension members may appear.' });

type RouteSpec = Route['spec'];

/** Problem statuses a route documents: automatic ones by its shape plus its own `problems`. */
export function problemStatuses(spec: RouteSpec): number[] {
  const statuses = new Set<number>(spec.problems ?? []);
  const request = spec.request ?? {};
  if (request.params || request.query || request.body || spec.ifMatch) statuses.add(400);
  if (request.body) {
    statuses.add(413);
    statuses.add(415);
  }
  if (spec.auth === 'bearer') {
    statuses.add(401);
    if (spec.roles?.length) statuses.add(403);
  }
  if (spec.ifMatch) statuses.add(412);
  if (acceptsIdempotencyKey(spec.method, spec.path)) {
    statuses.add(400); // a malformed key
    statuses.add(409); // the same key still running
    statuses.add(422); // the same key with another request
  }
  statuses.add(429);
  statuses.add(500);
  return [...statuses].sort((a, b) => a - b);
}

export function problemResponses(spec: RouteSpec, declared: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const status of problemStatuses(spec)) {
    if (declared[String(status)]) continue;
    const titles = Object.values(PROBLEM_TYPES).filter((t) => t.status === status).map((t) => t.title);
    out[String(status)] = {
      description: titles.length ? titles.join(' / ') : `Error ${status}`,
      ...(status === 401 ? { headers: { 'WWW-Authenticate': { description: 'Bearer challenge (RFC 6750) naming the error.', schema: { type: 'string' } } } } : {}),
      ...(status === 429 ? { headers: { 'Retry-After': { description: 'Seconds until the limit resets.', schema: { type: 'integer' } } } } : {}),
      content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: '#/components/schemas/Problem' } } },
    };
  }
  return out;
}
