/**
 * `permit.set-egress-status`: moves the egress request of variable `egressRequestId` to the status of header
 * `status` (its own machine, `EGRESS_TRANSITIONS`), with an audit entry and the optional domain event of header
 * `event`, in one transaction. A request already in that status is left alone; a forbidden change raises an incident.
 * Moving a request to IN_REVIEW also records what the HDAB's output release policy decided for the round (variable
 * `egressReleasePolicy`, the result of BPMN 5's business rule task: `{ requiredReviews: 1 | 2, reason }`), when the
 * process has it (instances of BPMN 5 from before the policy have not).
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

const ReleasePolicy = z.object({
  requiredReviews: z.union([z.literal(1), z.literal(2)], { error: 'must be 1 or 2 (the output release policy decides one or two independent reviews)' }),
  reason: z.string().trim().min(1, 'must not be empty'),
});

const Variables = z.object({
  [PROCESS_VARIABLES.egressRequestId]: z.string().min(1, 'must not be empty'),
  [PROCESS_VARIABLES.egressReleasePolicy]: ReleasePolicy.nullish(),
});

export function createSetEgressStatusHandler(deps: { permits: PermitWorkerStore }): JobHandler {
  return async (job, logger) => {
    const { status, event } = readHeaders(job, Headers);
    const permitId = readPermitId(job);
    const { egressRequestId, egressReleasePolicy } = readVariables(job, Variables);
    const releasePolicy = status === 'IN_REVIEW' && egressReleasePolicy ? egressReleasePolicy : undefined;
    const result = await deps.permits
      .setEgressStatus({
        permitId,
        egressRequestId,
        to: status,
        actor: processActor(job),
        event,
        processInstanceKey: job.processInstanceKey,
        idempotencyKey: jobIdempotencyKey(job, permitId),
        ...(releasePolicy ? { releasePolicy } : {}),
      })
      .catch(reportRefusedTransition);
    const fields = { egressRequestId, status: result.status, event, ...(releasePolicy ? { requiredReviews: releasePolicy.requiredReviews } : {}) };
    if (result.changed) logger.info(fields, `egress request set to ${status}`);
    else logger.info(fields, `egress request already ${status}; nothing to change`);
  };
}
