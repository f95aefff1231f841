/**
 * One mapping from what a handler threw to how its job is acknowledged:
 *
 * | thrown | acknowledgement |
 * | --- | --- |
 * | `BusinessRuleError(code)` | `job.error({ errorCode: code })` |
 * | `HoldJobError(backOffMs)` | `job.fail` with the same retries and that back-off: wait, never an incident |
 * | `TransientError`, `UnavailableError`, `ConflictError`, lost database/network connections | `job.fail` with one retry fewer and back-off |
 * | `NonRetryableError`, `InvalidTransitionError`, `NotFoundError`, `ValidationError`, `ForbiddenError`, `PreconditionFailedError` | `job.fail` with 0 retries: incident now |
 * | anything else | `job.fail` with one retry fewer and back-off; incident when none are left |
 *
 * Why an illegal transition is an incident and not a retry: the diagram asked for a status the permit cannot
 * take from where it is (a modelling bug, or the permit was changed behind the process's back). Retrying gives
 * the same answer; an operator has to look, fix the data or the diagram, raise the retries and resolve it.
 */
import { isDomainError } from '../../shared/errors.js';
import { BusinessRuleError, HoldJobError, NonRetryableError, TransientError } from './job-errors.js';
import { DEFAULT_RETRY_BACK_OFF, retryBackOffMs, type RetryBackOffOptions } from './retry-back-off.js';

export type JobAcknowledgement =
  | { kind: 'error'; errorCode: string; errorMessage: string; variables: Record<string, unknown> }
  | { kind: 'fail'; retries: number; retryBackOff: number; errorMessage: string; reason: 'held' | 'transient' | 'non-retryable' | 'unexpected' };

export interface ClassifyContext {
  /** `permit.set-status (element "X" of spe-…)`, prefixed to every message. */
  label: string;
  /** Retries the job has left now (before this failure). */
  retries: number;
  backOff?: RetryBackOffOptions;
}

const WHAT_TO_DO = 'Fix the cause, then raise the job retries and resolve the incident.';

export function classifyJobError(error: unknown, context: ClassifyContext): JobAcknowledgement {
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof BusinessRuleError) {
    return { kind: 'error', errorCode: error.code, errorMessage: message, variables: error.variables };
  }
  if (error instanceof HoldJobError) {
    return { kind: 'fail', retries: context.retries, retryBackOff: error.backOffMs, errorMessage: `${context.label}: ${message}`, reason: 'held' };
  }
  if (isNonRetryable(error)) {
    return { kind: 'fail', retries: 0, retryBackOff: 0, errorMessage: `${context.label}: ${message}. ${WHAT_TO_DO}`, reason: 'non-retryable' };
  }
  const retries = Math.max(0, context.retries - 1);
  const reason = isTransient(error) ? 'transient' : 'unexpected';
  const retryBackOff = retries > 0 ? retryBackOffMs(context.retries, context.backOff ?? DEFAULT_RETRY_BACK_OFF) : 0;
  const errorMessage =
    retries > 0
      ? `${context.label}: ${message}`
      : `${context.label} failed and has no retries left: ${message}. ${WHAT_TO_DO}`;
  return { kind: 'fail', retries, retryBackOff, errorMessage, reason };
}

function isNonRetryable(error: unknown): boolean {
  if (error instanceof NonRetryableError) return true;
  if (!isDomainError(error)) return false;
  return ['invalid-transition', 'not-found', 'validation', 'forbidden', 'precondition-failed'].includes(error.kind);
}

/** PostgreSQL SQLSTATEs that mean "try again": connection lost, serialization failure, deadlock, shutdown, too many clients. */
const TRANSIENT_SQLSTATE = /^(08...|40001|40P01|57P0[123]|53300)$/;
const TRANSIENT_ERRNO = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'EHOSTUNREACH']);

export function isTransient(error: unknown): boolean {
  if (error instanceof TransientError) return true;
  if (isDomainError(error)) return error.kind === 'unavailable' || error.kind === 'conflict';
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && (TRANSIENT_SQLSTATE.test(code) || TRANSIENT_ERRNO.has(code))) return true;
  return error.name === 'KnexTimeoutError';
}
