/**
 * Reviews: the research team submits its workspace setup for review, and an HDAB reviewer on the permit decides
 * on a stage (application, setup, egress, amendment) by completing that stage's open user task. Rules:
 * - the decision must be one the stage accepts (STAGE_DECISIONS); a comment is required unless approving;
 * - the caller must be an hdab-reviewer on the permit's HDAB team, and never the author of the submission;
 * - with two required egress reviews, the second must come from a different reviewer;
 * - when two reviewers decide at once, the engine completes the task for exactly one of them; the other gets 409.
 * These are quick answers where they cost no engine call; the rule is the decision listener (`review.check-decision`):
 * the task is assigned to the caller and then completed, as Tasklist does, and a denial comes back as 403 or 400 with
 * the listener's reason (the task given back). A reviewer deciding on their own submission is refused up front only
 * for output requests (whose submitter is in the database, read anyway); for the other stages the listener refuses it.
 *
 * Per decision that is three engine calls (the task search, its assignment, its completion) and, besides the
 * listener's writes, two reads of the Permit Manager's database (the permit, then the decision the listener recorded).
 */
import { randomUUID } from 'node:crypto';
import { CANDIDATE_GROUPS, ForbiddenError, InvalidTransitionError, MESSAGES, NotFoundError, REVIEW_VARIABLES, STAGE_DECISIONS, ValidationError, type ReviewStage } from '../../shared/index.js';
import type { RecordedReviewDecision, StageDecision } from '../../db/index.js';
import { completeAsAssignee } from '../engine/complete-as-assignee.js';
import type { EnginePort, EngineUserTask } from '../engine/engine-port.js';
import type { EgressStore } from '../egress/egress-store.js';
import type { Caller } from '../identity/caller.js';
import type { PermitAccess, PermitContext, PermitView } from '../permits/permit-access.js';
import { processNotWaiting } from '../permits/permit-actions.js';
import { createActionRunner } from '../permits/permit-action-runner.js';
import type { PermitStore } from '../permits/permit-store.js';
import { STAGE_REVIEWS } from './review-stages.js';
import type { ReviewsStore } from './reviews-store.js';


export interface ReviewInput {
  stage: ReviewStage;
  decision: string;
  comment?: string | undefined;
  checklist?: unknown;
  egressRequestId?: string | undefined;
}

export interface ReviewsServiceDeps {
  access: PermitAccess;
  engine: EnginePort;
  permits: Pick<PermitStore, 'audit' | 'runOnce'>;
  store: ReviewsStore;
  egress: Pick<EgressStore, 'find'>;
  newId?: () => string;
}

export type ReviewsService = ReturnType<typeof createReviewsService>;

function invalid(path: string, message: string): ValidationError {
  return new ValidationError(`The review is invalid: ${path} ${message}`, { errors: [{ path, message }] });
}

export function createReviewsService(deps: ReviewsServiceDeps) {
  const newId = deps.newId ?? randomUUID;
  const run = createActionRunner({ access: deps.access, engine: deps.engine, store: deps.permits });

  function validate(input: ReviewInput): { decision: StageDecision; comment: string | null } {
    const allowed = STAGE_DECISIONS[input.stage] as readonly string[];
    if (!allowed.includes(input.decision)) throw invalid('body.decision', `must be one of ${allowed.join(', ')} for stage ${input.stage}`);
    const comment = input.comment?.trim() ? input.comment.trim() : null;
    if (input.decision !== 'APPROVED' && comment === null) throw invalid('body.comment', `is required for ${input.decision}: tell the team what to change or why`);
    if (input.stage === 'EGRESS' && !input.egressRequestId) throw invalid('body.egressRequestId', 'is required for stage EGRESS');
    if (input.stage !== 'EGRESS' && input.egressRequestId) throw invalid('body.egressRequestId', 'is only for stage EGRESS');
    return { decision: input.decision as StageDecision, comment };
  }

  /** The open review task of the stage (for EGRESS: of that request), optionally a specific one. */
  async function findTask(context: PermitContext, caller: Caller, input: ReviewInput, userTaskKey?: string): Promise<EngineUserTask> {
    const stage = STAGE_REVIEWS[input.stage];
    const tasks = await deps.engine.searchUserTasks({
      permitId: context.permit.id,
      candidateGroup: CANDIDATE_GROUPS.hdabReviewers,
      processDefinitionId: stage.processId,
      ...(input.egressRequestId ? { variables: { egressRequestId: input.egressRequestId } } : {}),
    });
    const task = userTaskKey === undefined ? tasks[0] : tasks.find((t) => t.userTaskKey === userTaskKey);
    if (!task) throw processNotWaiting(stage.action, context.permit, caller, context.membership);
    return task;
  }

  /** Who submitted what the task reviews, as the process recorded it (only when the listener recorded no decision). */
  async function submitterFromProcess(input: ReviewInput, task: EngineUserTask): Promise<string | null> {
    const value = await deps.engine.getProcessVariable(task.processInstanceKey, STAGE_REVIEWS[input.stage].submitter.variable);
    return typeof value === 'string' ? value : null;
  }

  /**
   * With two required reviews, whoever approved this round already may not give the second approval. Returns who
   * submitted the request (null when the request does not say).
   */
  async function assertIndependentEgressReview(caller: Caller, permitId: string, egressRequestId: string): Promise<string | null> {
    const request = await deps.egress.find(permitId, egressRequestId);
    if (!request) throw new NotFoundError(`Permit ${permitId} has no egress request ${egressRequestId}.`, { permitId, egressRequestId });
    if (request.status !== 'IN_REVIEW') {
      throw new InvalidTransitionError(`Egress request ${egressRequestId} is ${request.status}, not IN_REVIEW.`, request.status, [], { egressRequestId });
    }
    const decisions = await deps.store.forEgressRequest(egressRequestId);
    const lastRework = decisions.map((d) => d.decision).lastIndexOf('REWORK_REQUESTED');
    const thisRound = decisions.slice(lastRework + 1);
    if (thisRound.some((d) => d.reviewer === caller.userId && d.decision === 'APPROVED')) {
      throw new ForbiddenError(`You already approved egress request ${egressRequestId}; its second review must come from another reviewer.`, { egressRequestId });
    }
    return request.submittedBy ?? null;
  }

  /**
   * `task.userTaskKey`: decide on exactly that task (the task inbox path); `task.formVariables`: further form
   * fields (already checked against the form) to set with the decision, e.g. the approved `validUntil`.
   */
  async function review(
    caller: Caller,
    permitId: string,
    input: ReviewInput,
    expectedVersion?: number,
    task?: { userTaskKey?: string; formVariables?: Record<string, unknown> },
  ): Promise<RecordedReviewDecision> {
    const { decision, comment } = validate(input);
    const stage = STAGE_REVIEWS[input.stage];
    const context = await deps.access.forAction(caller, permitId, stage.action, expectedVersion);
    const egressSubmitter = input.stage === 'EGRESS' && input.egressRequestId ? await assertIndependentEgressReview(caller, permitId, input.egressRequestId) : null;
    const open = await findTask(context, caller, input, task?.userTaskKey);
    if (egressSubmitter === caller.userId) {
      throw new ForbiddenError(`You submitted what is under review on permit ${permitId}; another HDAB reviewer must decide on it.`, { permitId, stage: input.stage });
    }
    const names = REVIEW_VARIABLES[input.stage];
    // The reviewer is the task's assignee, which the decision listener records; no variable names them.
    const variables: Record<string, unknown> = {
      ...task?.formVariables,
      [names.decision]: decision,
      [names.comment]: comment,
    };
    if (input.checklist !== undefined) variables[names.checklist] = input.checklist;
    await completeAsAssignee(deps.engine, {
      task: open,
      assignee: caller.userId,
      variables,
      what: `the ${input.stage} review of permit ${permitId}`,
      details: { permitId, stage: input.stage },
    });
    // The decision listener recorded the review when it accepted (same user task key): this returns that row.
    const recorded = await deps.store.forUserTask(open.userTaskKey);
    if (recorded) return recorded;
    // A decision task always carries the listener (bpmnlint spe/decision-task-guard); should it not have recorded
    // this one, it is recorded here, with the submitter the process holds.
    const written = await deps.store.record({
      id: newId(),
      permitId,
      stage: input.stage,
      decision,
      comment,
      checklist: input.checklist ?? null,
      reviewer: caller.userId,
      submittedBy: egressSubmitter ?? (await submitterFromProcess(input, open)),
      egressRequestId: input.egressRequestId ?? null,
      userTaskKey: open.userTaskKey,
    });
    return written.decision;
  }

  return {
    review,

    async list(caller: Caller, permitId: string): Promise<RecordedReviewDecision[]> {
      await deps.access.load(caller, permitId);
      return deps.store.list(permitId);
    },

    submitSetup(caller: Caller, permitId: string, input: { note?: string | undefined }, expectedVersion?: number): Promise<PermitView> {
      return run({
        caller,
        permitId,
        action: 'submit-setup-for-review',
        expectedVersion,
        message: MESSAGES.setupSubmitted,
        variables: { setupSubmittedBy: caller.userId, setupSubmissionNote: input.note ?? null },
      });
    },
  };
}
