/**
 * `review.check-decision`: the completing task listener of every decision user task (`DECISION_TASKS`). Whoever
 * completes the task, through the portal, Tasklist or the engine's `/v2`, the completion goes through only when
 *
 * - the task is assigned: the assignee is the decider (never a process variable);
 * - the assignee may decide there (`DECISION_RULES`: on the permit's HDAB team, or an administrator for operator
 *   tasks), is not on the permit's research team, is not a data holder of it, did not create the permit and did not
 *   write or submit what is decided; for the second output review, did not give the first review of that round;
 * - the completion leaves `permitId` and what is decided (e.g. `egressRequestId`) as the process instance holds them;
 * - the values are valid for the task's form, field by field (`validateFormValues`, other process variables ignored);
 * - an approval has every checklist the form marks `requiredForApproval` ticked in full (`approval-checklists.ts`).
 *
 * Otherwise the completion is denied with a reason for the person deciding (`DECISION_DENIALS` says which kind), and
 * the task stays open. When it is accepted, the decision is recorded with the assignee as decider (a stage review in
 * `review_decisions`, other tasks an audit entry), once per user task: a second delivery of the job records nothing.
 * Identity facts come from the Permit Manager's database; a database or engine outage fails the job with retries.
 */
import {
  DECISION_DENIALS,
  PROCESS_VARIABLES,
  REVIEW_VARIABLES,
  TASK_TYPES,
  decisionTask,
  decisionTaskId,
  type DecisionDenialKind,
  type DecisionTask,
} from '../../shared/index.js';
import { formFieldKeys, validateFormValues, type FormFieldError } from '../../shared/form-values/index.js';
import { canonicalJson } from '../../db/index.js';
import { readPermitId } from '../permit/permit-job-input.js';
import { derivedUuid } from '../runtime/derived-uuid.js';
import { NonRetryableError } from '../runtime/job-errors.js';
import type { JobHandler, JobResult, ListenedUserTask, WorkerJob } from '../runtime/worker-job.js';
import { unconfirmedApprovalChecklists } from './approval-checklists.js';
import { DECISION_RULES, type TaskRules } from './decision-rules.js';
import type { DecisionRecord, DecisionStore } from './decision-store.js';
import type { TaskLookups } from './task-lookups.js';

export interface CheckDecisionDeps {
  decisions: DecisionStore;
  lookups: TaskLookups;
}

type Validate = (schema: unknown, values: Record<string, unknown>) => FormFieldError[];
const validate: Validate = (schema, values) => validateFormValues(schema, values, { unknownFields: 'ignore', pathPrefix: '' });

/**
 * Listener jobs handled at once: each holds a caller's task completion open (the REST API's, Tasklist's) until its
 * verdict, so as many as there are people deciding at once, not the 8 of a service task type.
 */
export const REVIEW_LISTENER_PARALLEL_JOBS = 64;

export function createCheckDecisionHandler(deps: CheckDecisionDeps): JobHandler {
  return async (job, logger) => {
    const task = listenedTask(job);
    const id = decisionTaskId(job.bpmnProcessId, job.elementId);
    if (!id) {
      throw new NonRetryableError(
        `${job.bpmnProcessId}/${job.elementId} carries the ${TASK_TYPES.reviewCheckDecision} listener but is not in DECISION_TASKS (shared/decision-tasks.ts); add it there and its rules to job-workers/review/decision-rules.ts.`,
      );
    }
    const spec = decisionTask(id);
    const rules: TaskRules = DECISION_RULES[id];
    const permitId = readPermitId(job);

    const deny = (kind: DecisionDenialKind, text: string): JobResult => {
      const deniedReason = `${DECISION_DENIALS[kind]}${text}`;
      logger.warn({ userTaskKey: task.userTaskKey, assignee: task.assignee ?? null, task: id, deniedReason }, `decision on "${spec.name}" denied`);
      return { listener: { denied: true, deniedReason } };
    };

    // The engine and database reads do not depend on each other: all start at once, and are looked at in the order
    // of the checks below (a failed read counts only where the check it serves is reached).
    const decider = task.assignee;
    const changedRead = settle(changedSubjects(deps.lookups, job, rules));
    const problemsRead = decider ? settle(ruleProblems(deps.decisions, { job, spec, rules, permitId, decider, userTaskKey: task.userTaskKey })) : undefined;
    const formRead = settle(deps.lookups.form(task.userTaskKey, task.formKey));

    const changed = await outcome(changedRead);
    if (changed.length > 0) {
      return deny('invalidValues', `only the form's fields may be set when deciding on "${spec.name}"; this completion changes ${changed.join(', ')}. Submit the form's values only.`);
    }

    if (!decider || !problemsRead) {
      return deny('notAllowed', `assign the task "${spec.name}" to yourself before deciding (the assignee is recorded as the decider), then complete it again.`);
    }

    const problems = await outcome(problemsRead);
    if (problems.problems.length > 0) {
      return deny('notAllowed', `${problems.problems.join(' ')} Unassign the task so that someone who may decide can take it.`);
    }

    const form = await outcome(formRead);
    if (!form) throw new NonRetryableError(`User task ${task.userTaskKey} ("${spec.name}") has no form, so its values cannot be checked; deploy its form ${spec.formId}.`);
    const errors = validate(form.schema, job.variables);
    if (errors.length > 0) {
      return deny('invalidValues', `${errors.map((e) => `${e.path || 'the form'} ${e.message}`).join('; ')}. Correct the form and complete the task again.`);
    }
    const unconfirmed = unconfirmedApprovalChecklists(form.schema, job.variables);
    if (unconfirmed.length > 0) {
      return deny('invalidValues', `${unconfirmed.join('; ')}. Tick every item you checked and approve again, or choose another decision.`);
    }

    const { recorded } = await deps.decisions.record(recordOf(job, spec, { permitId, decider, userTaskKey: task.userTaskKey, formId: form.formId, schema: form.schema, submittedBy: problems.submittedBy }));
    logger.info({ userTaskKey: task.userTaskKey, decider, task: id, recorded }, recorded ? `decision on "${spec.name}" accepted and recorded` : `decision on "${spec.name}" accepted (already recorded)`);
    return { listener: { denied: false } };
  };
}

function listenedTask(job: WorkerJob): ListenedUserTask {
  const task = job.userTask;
  if (!task || task.eventType.toUpperCase() !== 'COMPLETING' || !task.userTaskKey) {
    throw new NonRetryableError(
      `${TASK_TYPES.reviewCheckDecision} is a completing user task listener, but job ${job.jobKey} of ${job.bpmnProcessId}/${job.elementId} is ${task ? `a ${task.eventType} listener job` : 'not a task listener job'}; declare it as <zeebe:taskListener eventType="completing">.`,
    );
  }
  return task;
}

type Settled<T> = Promise<{ ok: true; value: T } | { ok: false; error: unknown }>;

/** A read started now whose failure is kept (not an unhandled rejection) until `outcome` looks at it. */
function settle<T>(read: Promise<T>): Settled<T> {
  return read.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
}

async function outcome<T>(settled: Settled<T>): Promise<T> {
  const result = await settled;
  if (!result.ok) throw result.error;
  return result.value;
}

/** Names of `permitId` and the subject variables whose value in the job differs from what the instance holds. */
async function changedSubjects(lookups: TaskLookups, job: WorkerJob, rules: TaskRules): Promise<string[]> {
  const names = [PROCESS_VARIABLES.permitId, ...rules.subjectVariables];
  const stored = await Promise.all(names.map((name) => lookups.storedVariable(job.processInstanceKey, name)));
  return names.filter((name, index) => stored[index] !== undefined && canonicalJson(stored[index]) !== canonicalJson(job.variables[name] ?? null));
}

interface RuleInput {
  job: WorkerJob;
  spec: DecisionTask;
  rules: TaskRules;
  permitId: string;
  decider: string;
  userTaskKey: string;
}

/** Every rule the decider breaks, in words; and who submitted what is decided (most recent author). */
async function ruleProblems(store: DecisionStore, input: RuleInput): Promise<{ problems: string[]; submittedBy: string | null }> {
  const { job, spec, rules, permitId, decider } = input;
  const egressRequestId = textVariable(job, PROCESS_VARIABLES.egressRequestId);
  // Each read is one query; they are independent, so they run at once. Authors named by audit actions come with the
  // permit's parties (one query for both).
  const auditActions = rules.authors.flatMap((source) => (source.kind === 'audit-actions' ? source.actions : []));
  const subject = { ...(egressRequestId ? { egressRequestId } : {}), amendment: job.variables[PROCESS_VARIABLES.amendment] };
  const [parties, otherAuthorLists, roles] = await Promise.all([
    store.parties(permitId, auditActions),
    Promise.all(rules.authors.map((source) => (source.kind === 'audit-actions' ? Promise.resolve([]) : store.authors(permitId, source, subject)))),
    rules.decider === 'admin' ? store.directoryRoles(decider) : Promise.resolve([]),
  ]);
  if (!parties) throw new NonRetryableError(`Permit ${permitId} of user task ${input.userTaskKey} is not in the Permit Manager's database.`);
  const firstAudit = rules.authors.findIndex((source) => source.kind === 'audit-actions');
  const authorLists = otherAuthorLists.map((list, index) => (index === firstAudit ? [...parties.auditActors] : list));
  const teams = parties.members.filter((m) => m.userId === decider).map((m) => m.teamRole);
  const problems: string[] = [];

  if (rules.decider === 'hdab-team' && !teams.includes('HDAB_TEAM')) {
    problems.push(`${decider} is not on the HDAB team of permit ${permitId}, and only its HDAB team decides on "${spec.name}".`);
  }
  if (rules.decider === 'admin' && !roles.includes('admin')) {
    problems.push(`${decider} is not a platform administrator, and "${spec.name}" is for the platform's operators (role admin).`);
  }
  if (teams.includes('RESEARCH_TEAM')) problems.push(`${decider} is on the research team of permit ${permitId}, whose work this decides on.`);
  if (teams.includes('DATA_HOLDER')) problems.push(`${decider} is a data holder of permit ${permitId}; data holders do not decide on permits they supply data to.`);
  if (parties.createdBy === decider) problems.push(`${decider} created permit ${permitId} and cannot decide on it.`);

  const authors = authorLists.flat();
  if (authors.includes(decider)) problems.push(`${decider} wrote or submitted what "${spec.name}" decides on; another reviewer must decide.`);

  if (spec.secondReview) {
    if (!egressRequestId) throw new NonRetryableError(`The second output review of permit ${permitId} has no ${PROCESS_VARIABLES.egressRequestId} variable.`);
    const reviews = await store.egressReviews(egressRequestId);
    const lastRework = reviews.map((r) => r.decision).lastIndexOf('REWORK_REQUESTED');
    const firstReviewers = reviews.slice(lastRework + 1).filter((r) => r.decision === 'APPROVED' && r.userTaskKey !== input.userTaskKey).map((r) => r.reviewer);
    if (firstReviewers.includes(decider)) problems.push(`${decider} gave the first review of output request ${egressRequestId}; the second review must come from another HDAB reviewer.`);
  }
  return { problems, submittedBy: authors.at(-1) ?? null };
}

function textVariable(job: WorkerJob, name: string): string | undefined {
  const value = job.variables[name];
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

function recordOf(
  job: WorkerJob,
  spec: DecisionTask,
  at: { permitId: string; decider: string; userTaskKey: string; formId: string; schema: unknown; submittedBy: string | null },
): DecisionRecord {
  const base = { userTaskKey: at.userTaskKey, permitId: at.permitId, processInstanceKey: job.processInstanceKey, elementId: job.elementId, formId: at.formId, decider: at.decider };
  if (spec.stage) {
    const names = REVIEW_VARIABLES[spec.stage];
    const comment = job.variables[names.comment];
    return {
      ...base,
      review: {
        id: derivedUuid(TASK_TYPES.reviewCheckDecision, at.permitId, at.userTaskKey),
        stage: spec.stage,
        decision: String(job.variables[names.decision]),
        comment: typeof comment === 'string' && comment.trim() ? comment.trim() : null,
        checklist: job.variables[names.checklist] ?? null,
        submittedBy: at.submittedBy,
        egressRequestId: spec.stage === 'EGRESS' ? (textVariable(job, PROCESS_VARIABLES.egressRequestId) ?? null) : null,
      },
    };
  }
  const values = Object.fromEntries(formFieldKeys(at.schema).filter((key) => key in job.variables).map((key) => [key, job.variables[key]]));
  return { ...base, values };
}
