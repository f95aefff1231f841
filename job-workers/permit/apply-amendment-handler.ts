/**
 * `permit.apply-amendment`: applies an approved amendment (variable `amendment`: a new `validUntil`, members to add,
 * members to remove) to the permit, with an audit entry and the domain event of header `event` (default
 * `permit.amended`), in one transaction, once per job (the audit entry's idempotency key marks it done).
 */
import { z } from 'zod';
import { EVENTS, TASK_HEADERS } from '../../shared/index.js';
import { optionalHeader, readHeaders, readVariables } from '../runtime/job-input.js';
import { PROCESS_VARIABLES } from '../../shared/process-variables.js';
import { jobIdempotencyKey, processActor, type JobHandler } from '../runtime/worker-job.js';
import { AmendmentSchema } from './amendment-schema.js';
import { eventName, readPermitId } from './permit-job-input.js';
import type { PermitStore } from './permit-store.js';

const Headers = z.object({ [TASK_HEADERS.event]: optionalHeader(eventName) });
const Variables = z.object({ [PROCESS_VARIABLES.amendment]: AmendmentSchema });

export function createApplyAmendmentHandler(deps: { permits: PermitStore }): JobHandler {
  return async (job, logger) => {
    const { event = EVENTS.amended } = readHeaders(job, Headers);
    const permitId = readPermitId(job);
    const { amendment } = readVariables(job, Variables);
    const { applied } = await deps.permits.applyAmendment({
      permitId,
      amendment,
      actor: processActor(job),
      event,
      processInstanceKey: job.processInstanceKey,
      idempotencyKey: jobIdempotencyKey(job, permitId),
    });
    const fields = {
      validUntil: amendment.validUntil,
      added: amendment.addMembers?.length ?? 0,
      removed: amendment.removeMembers?.length ?? 0,
    };
    if (applied) logger.info(fields, 'amendment applied');
    else logger.info(fields, 'amendment was already applied by an earlier delivery');
  };
}
