/**
 * `permit.set-status`: moves the permit to the status of header `status`, with the optional domain event of header
 * `event` and the reason of header `reason`, in one transaction with its history row, audit entry and outbox
 * events (`transitionPermit`). The actor is `process:<bpmnProcessId>`. A permit already in that status is left
 * alone (a second delivery of the job changes nothing); a change the status machine forbids raises an incident.
 */
import { z } from 'zod';
import { PERMIT_STATUSES, TASK_HEADERS } from '../../shared/index.js';
import { optionalHeader, readHeaders } from '../runtime/job-input.js';
import { jobIdempotencyKey, processActor, type JobHandler } from '../runtime/worker-job.js';
import { eventName, readPermitId, reportRefusedTransition } from './permit-job-input.js';
import type { PermitStore } from './permit-store.js';

const Headers = z.object({
  [TASK_HEADERS.status]: z.enum(PERMIT_STATUSES),
  [TASK_HEADERS.event]: optionalHeader(eventName),
  [TASK_HEADERS.reason]: optionalHeader(z.string()),
});

export function createSetStatusHandler(deps: { permits: PermitStore }): JobHandler {
  return async (job, logger) => {
    const { status, event, reason } = readHeaders(job, Headers);
    const permitId = readPermitId(job);
    const result = await deps.permits
      .transition({
        permitId,
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
