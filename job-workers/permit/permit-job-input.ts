/** Inputs every permit worker shares: the `permitId` variable and how status-machine refusals are reported. */
import { z } from 'zod';
import { EVENTS, InvalidTransitionError } from '../../shared/index.js';
import { formDateToInstant } from '../../shared/form-values/index.js';
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

/**
 * An end of validity: a date-time in any shape a Camunda form's datetime field submits (`2027-06-30T23:59Z`,
 * `…T23:59+01:00`, `…T23:59` read as UTC) or full ISO 8601, or a calendar date (the end of that day, UTC); see
 * shared/form-values/form-dates.ts.
 */
export const validityEnd = z.string().transform((value, context) => {
  const instant = formDateToInstant(value);
  if (instant) return instant;
  context.addIssue({ code: 'custom', message: 'must be an ISO 8601 date-time such as 2027-01-31T23:59Z or 2027-01-31T23:59:59+01:00, or a date such as 2027-01-31' });
  return z.NEVER;
});

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
