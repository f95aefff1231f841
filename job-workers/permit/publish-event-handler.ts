/**
 * `permit.publish-event`: puts the domain event of header `event` into the outbox for the permit, for outcomes
 * that change no status (`permit.setup.rejected`, `permit.preparation.completed`, `permit.data.deleted`). The
 * event id is derived from the job's element instance, so a second delivery of the job enqueues nothing.
 */
import { z } from 'zod';
import { TASK_HEADERS } from '../../shared/index.js';
import { derivedUuid } from '../runtime/derived-uuid.js';
import { readHeaders } from '../runtime/job-input.js';
import { processActor, type JobHandler } from '../runtime/worker-job.js';
import { eventName, readPermitId } from './permit-job-input.js';
import type { PermitWorkerStore } from './permit-worker-store.js';

const Headers = z.object({ [TASK_HEADERS.event]: eventName });

export function createPublishEventHandler(deps: { permits: PermitWorkerStore; clock?: () => Date }): JobHandler {
  const now = deps.clock ?? (() => new Date());
  return async (job, logger) => {
    const { event } = readHeaders(job, Headers);
    const permitId = readPermitId(job);
    const id = derivedUuid('permit.publish-event', permitId, job.elementInstanceKey, event);
    const payload = {
      permitId,
      actor: processActor(job),
      processInstanceKey: job.processInstanceKey,
      occurredAt: now().toISOString(),
    };
    const { enqueued } = await deps.permits.publishEvent({ id, name: event, permitId, payload });
    if (enqueued) logger.info({ event, eventId: id }, `event ${event} enqueued`);
    else logger.info({ event, eventId: id }, `event ${event} was already enqueued by an earlier delivery`);
  };
}
