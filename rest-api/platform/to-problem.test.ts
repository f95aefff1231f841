import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  ConflictError,
  ForbiddenError,
  InvalidTransitionError,
  NotFoundError,
  PreconditionFailedError,
  UnavailableError,
  GoneError,
  ValidationError,
} from '../../shared/index.js';
import { UnauthenticatedError } from '../identity/unauthenticated-error.js';
import { HttpProblemError } from './problem.js';
import { toProblem } from './to-problem.js';

describe('toProblem', () => {
  it.each([
    [new NotFoundError('Permit p1 not found'), 404, 'not-found'],
    [new ForbiddenError('Not on the team'), 403, 'forbidden'],
    [new ConflictError('Someone moved first'), 409, 'conflict'],
    [new InvalidTransitionError('Cannot submit', 'CLOSED'), 409, 'invalid-transition'],
    [new PreconditionFailedError('Stale'), 412, 'precondition-failed'],
    [new ValidationError('Bad'), 400, 'validation'],
    [new UnavailableError('Engine down'), 503, 'unavailable'],
    [new GoneError('Deleted at closure'), 410, 'gone'],
  ])('maps %s to %i', (error, status, slug) => {
    const { problem, unexpected } = toProblem(error, { instance: '/api/permits/p1' });
    expect(unexpected).toBe(false);
    expect(problem).toMatchObject({ type: `/api/docs#problem-${slug}`, status, detail: error.message, instance: '/api/permits/p1' });
  });

  it('carries currentStatus and allowedActions of an invalid transition', () => {
    const error = new InvalidTransitionError('A DRAFT permit cannot be suspended.', 'DRAFT', ['submit', 'withdraw']);
    expect(toProblem(error).problem).toMatchObject({ status: 409, currentStatus: 'DRAFT', allowedActions: ['submit', 'withdraw'] });
  });

  it('carries the details of a domain error as extension members without overwriting the standard ones', () => {
    const error = new ConflictError('taken', { permitId: 'p1', status: 999, type: 'evil' });
    const { problem } = toProblem(error);
    expect(problem).toMatchObject({ status: 409, permitId: 'p1', type: '/api/docs#problem-conflict' });
  });

  it('sets Retry-After for an unavailable dependency that says when to retry', () => {
    expect(toProblem(new UnavailableError('down', { retryAfterSeconds: 4.2 })).headers).toEqual({ 'Retry-After': '5' });
  });

  it('maps zod errors to 400 with errors[]', () => {
    const result = z.object({ title: z.string(), tags: z.array(z.string()) }).safeParse({ title: 1, tags: ['a', 2] });
    if (result.success) throw new Error('expected a failure');
    const { problem } = toProblem(result.error);
    expect(problem).toMatchObject({
      status: 400,
      errors: [
        { path: 'title', message: expect.any(String) },
        { path: 'tags.1', message: expect.any(String) },
      ],
    });
  });

  it('maps a 401 to a Bearer challenge naming the error', () => {
    const { problem, headers } = toProblem(new UnauthenticatedError('invalid_token', 'The token expired at 2025-01-01T00:00:00.000Z; get a new one.'), { realm: 'spe-api' });
    expect(problem).toMatchObject({ status: 401, type: '/api/docs#problem-unauthenticated', detail: expect.stringMatching(/expired/) });
    expect(headers['WWW-Authenticate']).toBe(
      'Bearer realm="spe-api", error="invalid_token", error_description="The token expired at 2025-01-01T00:00:00.000Z; get a new one."',
    );
  });

  it('sends no error code when the request had no credentials (RFC 6750 §3.1)', () => {
    expect(toProblem(UnauthenticatedError.missing(), { realm: 'spe-api' }).headers['WWW-Authenticate']).toBe('Bearer realm="spe-api"');
  });

  it('maps body-parser failures', () => {
    expect(toProblem({ type: 'entity.parse.failed', status: 400, message: 'Unexpected token' }).problem).toMatchObject({ status: 400, type: '/api/docs#problem-malformed-body' });
    expect(toProblem({ type: 'entity.too.large', status: 413, message: 'too large', limit: 100 }).problem).toMatchObject({ status: 413, limitBytes: 100 });
    expect(toProblem({ type: 'encoding.unsupported', status: 415, message: 'unsupported content encoding "gzip"' }).problem.status).toBe(415);
  });

  it('passes platform problems through with their headers', () => {
    const { problem, headers } = toProblem(new HttpProblemError('method-not-allowed', 'nope', {}, { Allow: 'GET' }));
    expect(problem.status).toBe(405);
    expect(headers).toEqual({ Allow: 'GET' });
  });

  it('maps a path parameter Express could not decode to 400', () => {
    const error = Object.assign(new URIError("Failed to decode param '%E0%A4%A'"), { status: 400 });
    expect(toProblem(error)).toMatchObject({ problem: { status: 400, type: '/api/docs#problem-validation' }, unexpected: false });
  });

  it('hides unexpected errors behind a 500 and flags them for logging', () => {
    const { problem, unexpected } = toProblem(new Error('password=hunter2'));
    expect(unexpected).toBe(true);
    expect(problem.status).toBe(500);
    expect(JSON.stringify(problem)).not.toContain('hunter2');
  });
});
