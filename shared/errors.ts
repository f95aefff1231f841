/**
 * One error taxonomy for the domain. These never know HTTP; the REST API's error handler maps them to
 * problem+json (NotFound 404, Forbidden 403, Conflict 409, InvalidTransition 409, PreconditionFailed 412,
 * Validation 400, Gone 410) and job workers map them to job failures or BPMN errors.
 */
import type { PermitStatus } from './permit-status.js';

export abstract class DomainError extends Error {
  abstract readonly kind: 'not-found' | 'forbidden' | 'conflict' | 'invalid-transition' | 'precondition-failed' | 'validation' | 'unavailable' | 'gone';
  constructor(message: string, readonly details: Record<string, unknown> = {}) {
    super(message);
    this.name = new.target.name;
  }
}

export class NotFoundError extends DomainError {
  readonly kind = 'not-found';
}

export class ForbiddenError extends DomainError {
  readonly kind = 'forbidden';
}

/** Someone else changed the thing first, or it already exists. */
export class ConflictError extends DomainError {
  readonly kind = 'conflict';
}

/** The permit (or egress request) is not in a status that allows the change. */
export class InvalidTransitionError extends DomainError {
  readonly kind = 'invalid-transition';
  constructor(
    message: string,
    readonly currentStatus: string,
    readonly allowedActions: readonly string[] = [],
    details: Record<string, unknown> = {},
  ) {
    super(message, { ...details, currentStatus, allowedActions });
  }
}

/** An `If-Match` version did not match the current one. */
export class PreconditionFailedError extends DomainError {
  readonly kind = 'precondition-failed';
}

export class ValidationError extends DomainError {
  readonly kind = 'validation';
}

/** The thing existed and was removed for good (e.g. a permit's files deleted at its closure); asking again will not help. */
export class GoneError extends DomainError {
  readonly kind = 'gone';
}

/** A dependency (engine, database, broker) is unreachable; retry later. */
export class UnavailableError extends DomainError {
  readonly kind = 'unavailable';
}

export function isDomainError(error: unknown): error is DomainError {
  return error instanceof DomainError;
}

export type { PermitStatus };
