/**
 * `permit.set-status`: moves the permit to the status of header `status`, with the optional domain event of header
 * `event` and the reason of header `reason`, in one transaction with its history row, audit entry and outbox
 * events (`transitionPermit`). The actor is `process:<bpmnProcessId>`. A permit already in that status is left
 * alone (a second delivery of the job changes nothing); a change the status machine forbids raises an incident.
 *
 * Two rules keep processes from overriding what happened to the permit meanwhile:
 * - A SUSPENDED permit is only resumed by `permit.restore-status`. Any process that wants to move it on to an
 *   active status waits (the job is held, retried every minute without using up retries) until it is resumed.
 * - An output review that finishes sets ANALYSIS_ACTIVE only when no other output request of the permit still
 *   waits for a decision; otherwise the permit stays EGRESS_REVIEW_PENDING.
 */
import { z } from 'zod';
import { ISSUED_ACTIVE_STATUSES, PERMIT_STATUSES, TASK_HEADERS } from '../../shared/index.js';
import { HoldJobError } from '../runtime/job-errors.js';
import { optionalHeader, readHeaders } from '../runtime/job-input.js';
import { jobIdempotencyKey, processActor, type JobHandler } from '../runtime/worker-job.js';
import { eventName, readPermitId, reportRefusedTransition } from './permit-job-input.js';
import type { PermitWorkerStore } from './permit-worker-store.js';

const Headers = z.object({
  [TASK_HEADERS.status]: z.enum(PERMIT_STATUSES),
  [TASK_HEADERS.event]: optionalHeader(eventName),
  [TASK_HEADERS.reason]: optionalHeader(z.string()),
});

/** How long a job waits before asking again whether its suspended permit was resumed. */
export const SUSPENSION_HOLD_MS = 60_000;

export function createSetStatusHandler(deps: { permits: PermitWorkerStore }): JobHandler {
  return async (job, logger) => {
    const { status, event, reason } = readHeaders(job, Headers);
    const permitId = readPermitId(job);
    const current = await deps.permits.currentStatus(permitId);
    if (current === 'SUSPENDED' && ISSUED_ACTIVE_STATUSES.includes(status)) {
      throw new HoldJobError(`permit ${permitId} is SUSPENDED; ${status} will be set once it is resumed`, SUSPENSION_HOLD_MS);
    }
    if (status === 'ANALYSIS_ACTIVE' && current === 'EGRESS_REVIEW_PENDING') {
      const egressRequestId = typeof job.variables.egressRequestId === 'string' ? job.variables.egressRequestId : undefined;
      const stillOpen = await deps.permits.openEgressRequests(permitId, egressRequestId);
      if (stillOpen.length > 0) {
        logger.info({ stillOpen }, `permit stays EGRESS_REVIEW_PENDING: ${stillOpen.length} other output request(s) await a decision`);
        return;
      }
    }
    const result = await deps.permits
      .transition({
        permitId,
        // The status read above: if someone moves the permit meanwhile, the change is retried against the new one.
        expectedStatus: current,
        to: status,
        actor: processActor(job),
        reason,
        event,
        processInstanceKey: job.processInstanceKey,
        idempotencyKey: jobIdempotencyKey(job, permitId),
      })
      .catch(reportRefusedTransition);
    if (result.changed) logger.info({ to: status, event, version: result.version }, `permit status set to ${status}`);
    else logger.info({ status }, `permit already ${status}; nothing to change`);
  };
}
