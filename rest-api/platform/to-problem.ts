/**
 * The one place that turns any thrown value into a problem: shared/errors.ts DomainErrors by kind, zod errors,
 * body-parser failures, 401s from the authenticator and the platform's own HttpProblemErrors. Anything else is
 * a 500 whose detail reveals nothing (the error handler logs it with its stack).
 */
import { z } from 'zod';
import { isDomainError, type DomainError } from '../../shared/index.js';
import { UnauthenticatedError } from '../identity/unauthenticated-error.js';
import { fieldErrors } from './field-errors.js';
import { HttpProblemError, makeProblem, type Problem, type ProblemSlug } from './problem.js';

export interface MappedProblem {
  problem: Problem;
  headers: Record<string, string>;
  /** True when this was not a refusal we know: log it as an error. */
  unexpected: boolean;
}

const SLUG_BY_KIND = {
  'not-found': 'not-found',
  'forbidden': 'forbidden',
  'conflict': 'conflict',
  'invalid-transition': 'invalid-transition',
  'precondition-failed': 'precondition-failed',
  'validation': 'validation',
  'unavailable': 'unavailable',
  'gone': 'gone',
} as const satisfies Record<DomainError['kind'], ProblemSlug>;

/** Errors raised by body-parser (`express.json`) carry `type` and `status`. */
interface BodyParserError {
  type: string;
  status: number;
  message: string;
  limit?: number;
}

function isBodyParserError(err: unknown): err is BodyParserError {
  return (
    typeof err === 'object' && err !== null && 'type' in err && 'status' in err &&
    typeof (err as { type: unknown }).type === 'string' && typeof (err as { status: unknown }).status === 'number'
  );
}

export function toProblem(err: unknown, options: { instance?: string; realm?: string } = {}): MappedProblem {
  const known = (slug: ProblemSlug, detail: string, extensions: Record<string, unknown> = {}, headers: Record<string, string> = {}) => ({
    problem: { ...makeProblem(slug, detail, extensions), ...(options.instance ? { instance: options.instance } : {}) },
    headers,
    unexpected: false,
  });

  if (isDomainError(err)) {
    const headers: Record<string, string> = {};
    const retryAfter = err.details.retryAfterSeconds;
    if (err.kind === 'unavailable' && typeof retryAfter === 'number') headers['Retry-After'] = String(Math.ceil(retryAfter));
    return known(SLUG_BY_KIND[err.kind], err.message, err.details, headers);
  }
  if (err instanceof z.ZodError) {
    const errors = fieldErrors(err.issues);
    return known('validation', `The input is invalid: ${errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`, { errors });
  }
  if (err instanceof UnauthenticatedError) {
    return known('unauthenticated', err.description, {}, { 'WWW-Authenticate': err.challenge(options.realm ?? 'spe-api') });
  }
  if (err instanceof HttpProblemError) return known(err.slug, err.detail, err.extensions, err.headers);
  if (isBodyParserError(err)) {
    switch (err.type) {
      case 'entity.parse.failed':
        return known('malformed-body', `The request body is not valid JSON (${err.message}). Send a JSON document with Content-Type: application/json.`);
      case 'entity.too.large':
        return known('payload-too-large', `The request body is larger than the limit of ${err.limit ?? 'the configured'} bytes; send a smaller body.`, { limitBytes: err.limit });
      case 'encoding.unsupported':
      case 'charset.unsupported':
        return known('unsupported-media-type', `${err.message}. Send UTF-8 JSON without a content encoding.`);
      default:
        if (err.status >= 400 && err.status < 500) return known('malformed-body', `The request body could not be read: ${err.message}.`);
    }
  }
  if (err instanceof URIError && (err as URIError & { status?: number }).status === 400) {
    // Express could not percent-decode a path parameter.
    return known('validation', `${err.message}: the URL is not validly percent-encoded.`);
  }
  return {
    problem: {
      ...makeProblem('internal', 'Unexpected error while handling the request; the server log has the details under this correlationId.'),
      ...(options.instance ? { instance: options.instance } : {}),
    },
    headers: {},
    unexpected: true,
  };
}
