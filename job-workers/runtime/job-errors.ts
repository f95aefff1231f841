/**
 * The errors a job handler throws to tell the runtime how to acknowledge its job (house style rule 4):
 *
 * - `BusinessRuleError(code, message)`: a modelled business outcome → `job.error` (BPMN error caught by a boundary event).
 * - `TransientError`: a fault that goes away by itself (database or broker briefly away) → `job.fail` with one
 *   retry fewer and an exponential back-off.
 * - `NonRetryableError`: retrying cannot help (a missing header, a bad variable, a permit in a status the diagram
 *   did not expect) → `job.fail` with no retries left, so the engine opens an incident at once with the message.
 *
 * - `HoldJobError(message, backOffMs)`: the job must wait for something outside the process (a suspended permit to be
 *   resumed) → `job.fail` with the SAME retries and the given back-off, so it is tried again later and never
 *   becomes an incident by waiting.
 *
 * Anything else is unexpected and fails the job with one retry fewer; when the retries run out the engine opens an
 * incident whose message says what failed and what to do. `classifyJobError` holds the mapping.
 */

/** A modelled business outcome: the diagram has an error boundary event with this `errorCode`. */
export class BusinessRuleError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly variables: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'BusinessRuleError';
  }
}

/** A fault worth retrying after a pause. */
export class TransientError extends Error {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, options);
    this.name = 'TransientError';
  }
}

/** A fault no retry can fix: the job fails with zero retries and the engine raises an incident with this message. */
export class NonRetryableError extends Error {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, options);
    this.name = 'NonRetryableError';
  }
}

/** The job cannot run yet and must wait, without using up a retry (e.g. the permit is suspended). */
export class HoldJobError extends Error {
  constructor(
    message: string,
    readonly backOffMs: number,
  ) {
    super(message);
    this.name = 'HoldJobError';
  }
}
