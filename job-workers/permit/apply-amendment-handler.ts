/**
 * `permit.apply-amendment`: applies an approved amendment (variable `amendment`: a new `validUntil`, members to add,
 * members to remove) to the permit, with an audit entry and the domain event of header `event` (default
 * `permit.amended`), in one transaction, once per job (the audit entry's idempotency key marks it done). When it
 * really adds or removes someone, the same transaction writes `permit.members.changed` (as a team change through
 * the API does), which the workspace service follows to update the access list at once.
 * A new end date is then published as `permit.validity-changed` (time to live 0: only a running analysis, waiting
 * in "Analysis in progress", takes it and re-arms its expiry timer and warnings; nobody else is waiting for it).
 */
import { z } from 'zod';
import { EVENTS, MESSAGES, TASK_HEADERS } from '../../shared/index.js';
import { optionalHeader, readHeaders, readVariables } from '../runtime/job-input.js';
import { PROCESS_VARIABLES } from '../../shared/process-variables.js';
import { jobIdempotencyKey, processActor, type JobHandler } from '../runtime/worker-job.js';
import { AmendmentSchema } from './amendment-schema.js';
import { eventName, readPermitId } from './permit-job-input.js';
import type { PermitWorkerStore } from './permit-worker-store.js';

const Headers = z.object({ [TASK_HEADERS.event]: optionalHeader(eventName) });
const Variables = z.object({ [PROCESS_VARIABLES.amendment]: AmendmentSchema });

/** Publishes a message to the engine (the platform's Camunda client; absent in tests that do not need it). */
export interface MessagePublisher {
  publish(message: { name: string; correlationKey: string; variables: Record<string, unknown>; messageId: string }): Promise<void>;
}

export function createApplyAmendmentHandler(deps: { permits: PermitWorkerStore; messages?: MessagePublisher }): JobHandler {
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
    // Also when redelivered: the earlier delivery may have stopped between applying and publishing.
    if (amendment.validUntil !== undefined && deps.messages) {
      const validUntil = new Date(amendment.validUntil).toISOString();
      await deps.messages.publish({ name: MESSAGES.validityChanged, correlationKey: permitId, variables: { validUntil }, messageId: `validity-changed/${jobIdempotencyKey(job, permitId)}` });
      logger.info({ validUntil }, 'new end date published to the running analysis');
    }
  };
}
