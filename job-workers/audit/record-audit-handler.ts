/**
 * `audit.record`: writes the audit trail entry of header `action` (e.g. `setup.reviewed`) for the permit. When
 * header `stage` is a review stage (`REVIEW_STAGES`), the review that just ended is also stored in
 * `review_decisions` from that stage's variables (`REVIEW_VARIABLES`: decision, comment, checklist, reviewer;
 * plus who submitted what was reviewed, and the egress request for EGRESS). Both writes happen once: the review
 * per job (and per user task when the REST API passed `reviewTaskKey`), the audit entry per job.
 *
 * A review without a reviewer variable (a task completed in Camunda Tasklist, whose forms do not carry one) is
 * stored with reviewer `unknown` and a warning, rather than stopping the process. The job completes with
 * `reviewTaskKey: null` when it read one, so the key cannot stick to a later review of the same instance.
 */
import { z } from 'zod';
import {
  MESSAGE_CONTRACTS,
  REVIEW_STAGES,
  REVIEW_VARIABLES,
  STAGE_DECISIONS,
  TASK_HEADERS,
  WORKSPACE_PHASES,
  type MessageName,
  type ReviewStage,
} from '../../shared/index.js';
import { derivedUuid } from '../runtime/derived-uuid.js';
import { optionalHeader, readHeaders, readVariables } from '../runtime/job-input.js';
import { PROCESS_VARIABLES } from '../../shared/process-variables.js';
import { jobIdempotencyKey, processActor, type JobHandler, type WorkerJob } from '../runtime/worker-job.js';
import { readPermitId } from '../permit/permit-job-input.js';
import type { AuditStore, ReviewRecord } from './audit-store.js';

const Headers = z.object({
  [TASK_HEADERS.action]: z.string().min(1, 'must not be empty'),
  [TASK_HEADERS.stage]: optionalHeader(z.enum([...REVIEW_STAGES, ...WORKSPACE_PHASES])),
});

type MessageVariable = (typeof MESSAGE_CONTRACTS)[MessageName]['variables'][number];

/** The variable naming who submitted what a stage reviews (carried by that stage's message). */
const SUBMITTER_VARIABLE = {
  APPLICATION: 'submittedBy',
  SETUP: 'setupSubmittedBy',
  EGRESS: 'egressSubmittedBy',
  AMENDMENT: 'amendmentRequestedBy',
} as const satisfies Record<ReviewStage, MessageVariable>;

export const UNKNOWN_REVIEWER = 'unknown';

export function createRecordAuditHandler(deps: { audit: AuditStore; clock?: () => Date }): JobHandler {
  const now = deps.clock ?? (() => new Date());
  return async (job, logger) => {
    const { action, stage } = readHeaders(job, Headers);
    const permitId = readPermitId(job);
    const review = isReviewStage(stage) ? readReview(job, stage, permitId, now()) : undefined;
    if (review?.reviewer === UNKNOWN_REVIEWER) {
      logger.warn({ stage }, `no ${REVIEW_VARIABLES[review.stage].reviewer} variable; the review is stored with reviewer "${UNKNOWN_REVIEWER}"`);
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
      }),
    };
    const actor = review && review.reviewer !== UNKNOWN_REVIEWER ? review.reviewer : processActor(job);
    const result = await deps.audit.record({
      audit: { actor, action, permitId, details, idempotencyKey: jobIdempotencyKey(job, permitId) },
      review,
    });
    logger.info({ action, stage, decision: review?.decision, ...result }, result.auditRecorded ? `audit entry ${action} recorded` : `audit entry ${action} was already recorded`);
    // The task key belongs to the review just recorded: clear it, so a later review of this instance completed
    // elsewhere (Tasklist sets no key) is not mistaken for this one.
    if (review?.userTaskKey !== undefined) return { variables: { [PROCESS_VARIABLES.reviewTaskKey]: null } };
  };
}

function isReviewStage(stage: string | undefined): stage is ReviewStage {
  return (REVIEW_STAGES as readonly (string | undefined)[]).includes(stage);
}

const optionalText = z.string().nullish().transform((value) => (value ? value : undefined));

function readReview(job: WorkerJob, stage: ReviewStage, permitId: string, decidedAt: Date): ReviewRecord {
  const names = REVIEW_VARIABLES[stage];
  const Variables = z.object({
    [names.decision]: z.enum(STAGE_DECISIONS[stage]),
    [names.comment]: optionalText,
    [names.checklist]: z.unknown().optional(),
    [names.reviewer]: optionalText,
    [SUBMITTER_VARIABLE[stage]]: optionalText,
    [PROCESS_VARIABLES.egressRequestId]: optionalText,
    [PROCESS_VARIABLES.reviewTaskKey]: z.union([z.string(), z.number()]).nullish(),
  });
  const variables = readVariables(job, Variables) as Record<string, unknown>;
  const text = (name: string) => variables[name] as string | undefined;
  const taskKey = variables[PROCESS_VARIABLES.reviewTaskKey] as string | number | null | undefined;
  return {
    id: derivedUuid('audit.record/review', permitId, job.elementInstanceKey),
    permitId,
    stage,
    decision: variables[names.decision] as string,
    comment: text(names.comment),
    checklist: variables[names.checklist] ?? undefined,
    reviewer: text(names.reviewer) ?? UNKNOWN_REVIEWER,
    submittedBy: text(SUBMITTER_VARIABLE[stage]),
    egressRequestId: stage === 'EGRESS' ? text(PROCESS_VARIABLES.egressRequestId) : undefined,
    userTaskKey: taskKey === null || taskKey === undefined ? undefined : String(taskKey),
    decidedAt,
  };
}
