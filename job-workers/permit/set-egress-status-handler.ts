/**
 * `permit.set-egress-status`: moves the egress request of variable `egressRequestId` to the status of header
 * `status` (its own machine, `EGRESS_TRANSITIONS`), with an audit entry and the optional domain event of header
 * `event`, in one transaction. A request already in that status is left alone; a forbidden change raises an incident.
 */
import { z } from 'zod';
import { EGRESS_STATUSES, TASK_HEADERS } from '../../shared/index.js';
import { optionalHeader, readHeaders, readVariables } from '../runtime/job-input.js';
import { PROCESS_VARIABLES } from '../../shared/process-variables.js';
import { jobIdempotencyKey, processActor, type JobHandler } from '../runtime/worker-job.js';
import { eventName, readPermitId, reportRefusedTransition } from './permit-job-input.js';
import type { PermitWorkerStore } from './permit-worker-store.js';

const Headers = z.object({
  [TASK_HEADERS.status]: z.enum(EGRESS_STATUSES),
  [TASK_HEADERS.event]: optionalHeader(eventName),
});

const Variables = z.object({ [PROCESS_VARIABLES.egressRequestId]: z.string().min(1, 'must not be empty') });

export function createSetEgressStatusHandler(deps: { permits: PermitWorkerStore }): JobHandler {
  return async (job, logger) => {
    const { status, event } = readHeaders(job, Headers);
    const permitId = readPermitId(job);
    const { egressRequestId } = readVariables(job, Variables);
    const result = await deps.permits
      .setEgressStatus({
        permitId,
        egressRequestId,
        to: status,
        actor: processActor(job),
        event,
        processInstanceKey: job.processInstanceKey,
        idempotencyKey: jobIdempotencyKey(job, permitId),
      })
      .catch(reportRefusedTransition);
    const fields = { egressRequestId, status: result.status, event };
    if (result.changed) logger.info(fields, `egress request set to ${status}`);
    else logger.info(fields, `egress request already ${status}; nothing to change`);
  };
}
