/**
 * `permit.restore-status`: resumes a suspended permit into the status it had before its latest suspension (read
 * from `permit_status_history`), with the optional domain event of header `event` (`permit.resumed`). A permit
 * that is already back in that status is left alone (second delivery); one that is neither suspended nor there
 * (revoked, say) raises an incident, as does a permit that was never suspended.
 */
import { z } from 'zod';
import { TASK_HEADERS } from '../../shared/index.js';
import { NonRetryableError } from '../runtime/job-errors.js';
import { optionalHeader, readHeaders } from '../runtime/job-input.js';
import { jobIdempotencyKey, processActor, type JobHandler } from '../runtime/worker-job.js';
import { eventName, readPermitId, reportRefusedTransition } from './permit-job-input.js';
import type { PermitWorkerStore } from './permit-worker-store.js';

const Headers = z.object({
  [TASK_HEADERS.event]: optionalHeader(eventName),
  [TASK_HEADERS.reason]: optionalHeader(z.string()),
});

export function createRestoreStatusHandler(deps: { permits: PermitWorkerStore }): JobHandler {
  return async (job, logger) => {
    const { event, reason } = readHeaders(job, Headers);
    const permitId = readPermitId(job);
    const target = await deps.permits.statusBeforeLatestSuspension(permitId);
    if (!target) {
      throw new NonRetryableError(`permit ${permitId} has never been suspended, so there is no status to restore`);
    }
    const current = await deps.permits.currentStatus(permitId);
    if (current === target) {
      logger.info({ status: target }, `permit already back in ${target}; nothing to change`);
      return;
    }
    if (current !== 'SUSPENDED') {
      throw new NonRetryableError(`permit ${permitId} is ${current}, not SUSPENDED, so it cannot be resumed into ${target}`);
    }
    const result = await deps.permits
      .transition({
        permitId,
        to: target,
        expectedStatus: 'SUSPENDED',
        actor: processActor(job),
        reason: reason ?? `Resumed into ${target}, the status before the suspension`,
        event,
        processInstanceKey: job.processInstanceKey,
        idempotencyKey: jobIdempotencyKey(job, permitId),
      })
      .catch(reportRefusedTransition);
    logger.info({ from: current, to: target, event, version: result.version }, `permit resumed into ${target}`);
  };
}
