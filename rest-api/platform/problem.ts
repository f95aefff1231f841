/**
 * RFC 9457 problem details for the Permit Manager API. Every error answer is `application/problem+json` with
 * `{ type, title, status, detail, instance, correlationId }` plus extension members (e.g. `errors`,
 * `currentStatus`, `allowedActions`). `type` is a relative URI that resolves to the problem's section of the
 * rendered reference (`/api/docs#problem-<slug>`); `title` is fixed per type, `detail` explains this occurrence.
 */
import type { Response } from 'express';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** Every problem type the API answers, by slug: its status and fixed title. */
export const PROBLEM_TYPES = {
  'validation': { status: 400, title: 'Invalid request', help: 'A parameter, query value, header or body field is invalid; `errors[]` lists each one with its path.' },
  'malformed-body': { status: 400, title: 'Malformed request body', help: 'The body could not be read (not valid JSON, or an unreadable encoding).' },
  'unauthenticated': { status: 401, title: 'Authentication required', help: 'No bearer token, or one that does not verify (expired, wrong issuer or audience, bad signature). See `WWW-Authenticate`.' },
  'forbidden': { status: 403, title: 'Forbidden', help: 'The caller is authenticated but lacks the role or team membership the operation needs.' },
  'not-found': { status: 404, title: 'Not found', help: 'No such route, or no such resource visible to the caller.' },
  'method-not-allowed': { status: 405, title: 'Method not allowed', help: 'The path exists but not with this method; `Allow` lists the methods it takes.' },
  'conflict': { status: 409, title: 'Conflict', help: 'Someone else changed the resource first, or it already exists. Read it again and retry.' },
  'invalid-transition': { status: 409, title: 'Action not allowed in the current status', help: 'The permit (or egress request) is not in a status that allows this action; `currentStatus` and `allowedActions` say what is possible now.' },
  'gone': { status: 410, title: 'Gone', help: 'The resource existed and was removed for good (e.g. released files deleted with the permit\'s data at its closure); `detail` says when and by what.' },
  'precondition-failed': { status: 412, title: 'Precondition failed', help: '`If-Match` named a version that is no longer current. Read the resource again (new ETag) and retry.' },
  'idempotency-key-reused': { status: 422, title: 'Idempotency key reused for another request', help: 'The `Idempotency-Key` was already used by you, within 24 hours, for a request with a different body or route. Send a new key for a new request, or the exact same request to get its first answer again.' },
  'payload-too-large': { status: 413, title: 'Payload too large', help: 'The request body exceeds the configured limit (BODY_LIMIT).' },
  'unsupported-media-type': { status: 415, title: 'Unsupported media type', help: 'Send request bodies as `application/json`.' },
  'rate-limited': { status: 429, title: 'Too many requests', help: 'The caller exceeded RATE_LIMIT_PER_MINUTE; wait for `Retry-After` seconds.' },
  'internal': { status: 500, title: 'Internal server error', help: 'An unexpected failure; quote the `correlationId` when reporting it.' },
  'unavailable': { status: 503, title: 'Service unavailable', help: 'A dependency (database, process engine, broker) is unreachable; retry later.' },
} as const satisfies Record<string, { status: number; title: string; help: string }>;

export type ProblemSlug = keyof typeof PROBLEM_TYPES;

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  correlationId?: string;
  [extension: string]: unknown;
}

export function problemTypeUri(slug: ProblemSlug): string {
  return `/api/docs#problem-${slug}`;
}

/** Members an extension may not overwrite. */
const RESERVED = new Set(['type', 'title', 'status', 'detail', 'instance', 'correlationId']);

export function makeProblem(slug: ProblemSlug, detail: string, extensions: Record<string, unknown> = {}): Problem {
  const { status, title } = PROBLEM_TYPES[slug];
  const problem: Problem = { type: problemTypeUri(slug), title, status, detail };
  for (const [key, value] of Object.entries(extensions)) {
    if (!RESERVED.has(key) && value !== undefined) problem[key] = value;
  }
  return problem;
}

/** An HTTP-level refusal with no domain meaning (413, 415, 429, unknown route), thrown by platform middleware. */
export class HttpProblemError extends Error {
  constructor(
    readonly slug: ProblemSlug,
    readonly detail: string,
    readonly extensions: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(detail);
    this.name = 'HttpProblemError';
  }
}

export function sendProblem(res: Response, problem: Problem, headers: Record<string, string> = {}): void {
  const body: Problem = { ...problem };
  if (body.correlationId === undefined && typeof res.locals.correlationId === 'string') body.correlationId = res.locals.correlationId;
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  res.status(problem.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(body));
}
