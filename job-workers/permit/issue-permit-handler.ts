/**
 * `permit.issue`: issues the permit. Sets its validity window (from now, or the time it was issued on a second
 * delivery, until the `validUntil` variable) and moves it to APPROVED with the domain event of header `event`
 * (default `permit.analysis.approved`), all in one transaction. A permit already APPROVED is left alone.
 *
 * `validUntil` is what the assessment form submitted, in any shape its datetime field produces (`2027-06-30T23:59Z`,
 * `…+01:00`, no seconds) or a calendar date; the job completes with it as a UTC instant (`2027-06-30T23:59:00.000Z`),
 * so the processes' timers (`date and time(validUntil)`) read the same end as the permit row.
 */
import { z } from 'zod';
import { EVENTS, TASK_HEADERS } from '../../shared/index.js';
import { NonRetryableError } from '../runtime/job-errors.js';
import { optionalHeader, readHeaders, readVariables } from '../runtime/job-input.js';
import { PROCESS_VARIABLES } from '../../shared/process-variables.js';
import { jobIdempotencyKey, processActor, type JobHandler } from '../runtime/worker-job.js';
import { eventName, readPermitId, reportRefusedTransition, validityEnd } from './permit-job-input.js';
import type { PermitWorkerStore } from './permit-worker-store.js';

const Headers = z.object({
  [TASK_HEADERS.event]: optionalHeader(eventName),
  [TASK_HEADERS.reason]: optionalHeader(z.string()),
});

const Variables = z.object({ [PROCESS_VARIABLES.validUntil]: validityEnd });

export function createIssuePermitHandler(deps: { permits: PermitWorkerStore; clock?: () => Date }): JobHandler {
  const now = deps.clock ?? (() => new Date());
  return async (job, logger) => {
    const { event = EVENTS.analysisApproved, reason } = readHeaders(job, Headers);
    const permitId = readPermitId(job);
    const { validUntil } = readVariables(job, Variables);
    const validFrom = now();
    if (validUntil <= validFrom) {
      throw new NonRetryableError(`variable validUntil (${validUntil.toISOString()}) is not after the time of issue (${validFrom.toISOString()})`);
    }
    const result = await deps.permits
      .issue({
        permitId,
        to: 'APPROVED',
        validFrom,
        validUntil,
        actor: processActor(job),
        reason: reason ?? 'Permit issued',
        event,
        payload: { validUntil: validUntil.toISOString() },
        processInstanceKey: job.processInstanceKey,
        idempotencyKey: jobIdempotencyKey(job, permitId),
      })
      .catch(reportRefusedTransition);
    if (result.changed) logger.info({ validUntil, event, version: result.version }, 'permit issued');
    else logger.info('permit already issued; nothing to change');
    return { variables: { [PROCESS_VARIABLES.validUntil]: validUntil.toISOString() } };
  };
}
