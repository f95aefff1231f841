/** Inputs every permit worker shares: the `permitId` variable and how status-machine refusals are reported. */
import { z } from 'zod';
import { EVENTS, InvalidTransitionError } from '../../shared/index.js';
import { NonRetryableError } from '../runtime/job-errors.js';
import { readVariables } from '../runtime/job-input.js';
import { PROCESS_VARIABLES } from '../../shared/process-variables.js';
import type { WorkerJob } from '../runtime/worker-job.js';

const PermitVariables = z.object({ [PROCESS_VARIABLES.permitId]: z.string().min(1, 'must not be empty') });

export function readPermitId(job: WorkerJob): string {
  return readVariables(job, PermitVariables).permitId;
}

/** Header schema of a domain event name (`EVENTS`). */
export const eventName = z.enum(EVENTS);

/** An ISO 8601 date-time (with offset) or a calendar date (taken as the end of that day, UTC). */
export const validityEnd = z.union([
  z.iso.datetime({ offset: true }).transform((value) => new Date(value)),
  z.iso.date().transform((value) => new Date(`${value}T23:59:59.999Z`)),
], { error: 'must be an ISO 8601 date-time such as 2027-01-31T23:59:59Z, or a date such as 2027-01-31' });

/**
 * An illegal transition asked for by a diagram is a model or data problem: turn it into an incident now (no
 * retries) whose message says so. Everything else is rethrown for the runtime to classify.
 */
export function reportRefusedTransition(error: unknown): never {
  if (error instanceof InvalidTransitionError) {
    throw new NonRetryableError(
      `${error.message.replace(/\.$/, '')}; the status machine refuses this change, so the diagram and the permit's data disagree (a model or data problem)`,
      { cause: error },
    );
  }
  throw error;
}
