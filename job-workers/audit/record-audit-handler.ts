/**
 * `audit.record`: writes the audit trail entry of header `action` (e.g. `setup.reviewed`) for the permit, once per
 * job. When header `stage` is a review stage (`REVIEW_STAGES`), the entry is about the review that just ended: the
 * decision listener (`review.check-decision`) recorded it in `review_decisions` when it accepted the completion,
 * with the user task's assignee as reviewer. This handler takes that record (the latest of the stage for this
 * process instance), never a process variable: the entry's actor is the recorded reviewer, and the job completes
 * with the stage's reviewer variable (`REVIEW_VARIABLES[stage].reviewer`) set to it, so the notifications that
 * follow name the decider. A review stage without a recorded review is an incident: its user task completed
 * without the decision listener (a diagram deployed without it).
 */
import { z } from 'zod';
import { REVIEW_STAGES, REVIEW_VARIABLES, TASK_HEADERS, TASK_TYPES, WORKSPACE_PHASES, type ReviewStage } from '../../shared/index.js';
import { optionalHeader, readHeaders } from '../runtime/job-input.js';
import { NonRetryableError } from '../runtime/job-errors.js';
import { jobIdempotencyKey, processActor, type JobHandler } from '../runtime/worker-job.js';
import { readPermitId } from '../permit/permit-job-input.js';
import type { AuditRecordStore } from './audit-record-store.js';

const Headers = z.object({
  [TASK_HEADERS.action]: z.string().min(1, 'must not be empty'),
  [TASK_HEADERS.stage]: optionalHeader(z.enum([...REVIEW_STAGES, ...WORKSPACE_PHASES])),
});

export function createRecordAuditHandler(deps: { audit: AuditRecordStore; clock?: () => Date }): JobHandler {
  return async (job, logger) => {
    const { action, stage } = readHeaders(job, Headers);
    const permitId = readPermitId(job);
    const review = isReviewStage(stage) ? await deps.audit.latestReview({ permitId, processInstanceKey: job.processInstanceKey, stage }) : undefined;
    if (isReviewStage(stage) && !review) {
      throw new NonRetryableError(
        `No ${stage} review is recorded for process instance ${job.processInstanceKey} of permit ${permitId}. The decision listener (${TASK_TYPES.reviewCheckDecision}) records every review when it accepts the completion; deploy the diagrams with their listeners, then resolve this incident.`,
      );
    }
    const details: Record<string, unknown> = {
      stage,
      bpmnProcessId: job.bpmnProcessId,
      processInstanceKey: job.processInstanceKey,
      elementId: job.elementId,
      ...(review && {
        reviewDecisionId: review.id,
        decision: review.decision,
        comment: review.comment,
        submittedBy: review.submittedBy,
        egressRequestId: review.egressRequestId,
        userTaskKey: review.userTaskKey,
        reviewer: review.reviewer,
      }),
    };
    const actor = review ? review.reviewer : processActor(job);
    const result = await deps.audit.record({ audit: { actor, action, permitId, details, idempotencyKey: jobIdempotencyKey(job, permitId) } });
    logger.info({ action, stage, decision: review?.decision, reviewer: review?.reviewer, ...result }, result.auditRecorded ? `audit entry ${action} recorded` : `audit entry ${action} was already recorded`);
    if (review && isReviewStage(stage)) return { variables: { [REVIEW_VARIABLES[stage].reviewer]: review.reviewer } };
  };
}

function isReviewStage(stage: string | undefined): stage is ReviewStage {
  return (REVIEW_STAGES as readonly (string | undefined)[]).includes(stage);
}
