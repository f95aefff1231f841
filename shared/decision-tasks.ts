/**
 * Every decision user task of `bpmn/`, by process id and element id: the form it shows, who decides (its candidate
 * group), the review stage it records (when it is a stage review) and what it decides on. Each of them carries the
 * completing task listener `review.check-decision` (`TASK_TYPES.reviewCheckDecision`), whose rules are keyed by the
 * same table (`job-workers/review/decision-rules.ts`). The lint rule `spe/decision-task-guard` (bpmnlint-plugin-spe)
 * checks that every user task of the diagrams is here, with its listener; `test/process/diagram-contracts` that
 * nothing else is.
 */
import type { ReviewStage } from './decisions.js';
import { CANDIDATE_GROUPS, FORM_IDS, type CandidateGroup, type FormId } from './forms.js';
import { PROCESS_IDS, type ProcessId } from './process-ids.js';

/** What a decision is about; the listener finds its authors in the database by this. */
export const DECISION_SUBJECTS = ['application', 'ingress-delivery', 'data-preparation', 'workspace-provisioning', 'workspace-setup', 'output-request', 'amendment'] as const;
export type DecisionSubject = (typeof DECISION_SUBJECTS)[number];

export interface DecisionTask {
  /** The task's name in the diagram, for messages. */
  name: string;
  formId: FormId;
  candidateGroup: CandidateGroup;
  subject: DecisionSubject;
  /** The review stage it records in `review_decisions` (exception and sign-off tasks record an audit entry only). */
  stage?: ReviewStage;
  /** The second of two required output reviews: its reviewer must not be the first of the same round. */
  secondReview?: true;
}

export const DECISION_TASKS = {
  [PROCESS_IDS.application]: {
    Task_AssessApplication: { name: 'Assess permit application', formId: FORM_IDS.applicationAssessment, candidateGroup: CANDIDATE_GROUPS.hdabReviewers, subject: 'application', stage: 'APPLICATION' },
  },
  [PROCESS_IDS.ingress]: {
    Task_HandleBlockedDelivery: { name: 'Handle blocked data delivery', formId: FORM_IDS.ingressException, candidateGroup: CANDIDATE_GROUPS.hdabDataStewards, subject: 'ingress-delivery' },
    Task_PrepareData: { name: 'Prepare data and sign off', formId: FORM_IDS.dataPreparationSignoff, candidateGroup: CANDIDATE_GROUPS.hdabDataStewards, subject: 'data-preparation' },
  },
  [PROCESS_IDS.setup]: {
    Task_ResolveProvisioning: { name: 'Resolve workspace provisioning', formId: FORM_IDS.provisioningException, candidateGroup: CANDIDATE_GROUPS.operators, subject: 'workspace-provisioning' },
    Task_ReviewSetup: { name: 'Review workspace setup', formId: FORM_IDS.setupReview, candidateGroup: CANDIDATE_GROUPS.hdabReviewers, subject: 'workspace-setup', stage: 'SETUP' },
  },
  [PROCESS_IDS.egress]: {
    Task_ReviewOutput: { name: 'Review output request', formId: FORM_IDS.egressReview, candidateGroup: CANDIDATE_GROUPS.hdabReviewers, subject: 'output-request', stage: 'EGRESS' },
    Task_SecondOutputReview: { name: 'Second output review', formId: FORM_IDS.egressReview, candidateGroup: CANDIDATE_GROUPS.hdabReviewers, subject: 'output-request', stage: 'EGRESS', secondReview: true },
  },
  [PROCESS_IDS.amendment]: {
    Task_AssessAmendment: { name: 'Assess permit amendment', formId: FORM_IDS.amendmentAssessment, candidateGroup: CANDIDATE_GROUPS.hdabReviewers, subject: 'amendment', stage: 'AMENDMENT' },
  },
} as const satisfies Partial<Record<ProcessId, Record<string, DecisionTask>>>;

type Table = typeof DECISION_TASKS;
/** `"<process id>/<element id>"` of every decision task: the key of per-task tables elsewhere. */
export type DecisionTaskId = { [P in keyof Table]: `${P & string}/${keyof Table[P] & string}` }[keyof Table];

export const ALL_DECISION_TASK_IDS: readonly DecisionTaskId[] = Object.entries(DECISION_TASKS).flatMap(([processId, tasks]) =>
  Object.keys(tasks).map((elementId) => `${processId}/${elementId}` as DecisionTaskId),
);

export function decisionTaskId(processId: string, elementId: string): DecisionTaskId | undefined {
  const id = `${processId}/${elementId}`;
  return (ALL_DECISION_TASK_IDS as readonly string[]).includes(id) ? (id as DecisionTaskId) : undefined;
}

export function decisionTask(id: DecisionTaskId): DecisionTask {
  const [processId, elementId] = id.split('/') as [keyof Table, string];
  return (DECISION_TASKS[processId] as Record<string, DecisionTask>)[elementId] as DecisionTask;
}

/**
 * How the decision listener's denial reasons begin: a rule the decider breaks, or form values that are not valid.
 * The REST API maps the first to 403 and the second to 400; Tasklist shows the reason as it is.
 */
export const DECISION_DENIALS = {
  notAllowed: 'Not allowed: ',
  invalidValues: 'Check the form: ',
} as const;

export type DecisionDenialKind = keyof typeof DECISION_DENIALS;

/** Which kind of denial a reason is (undefined: not one of the decision listener's). */
export function decisionDenialKind(reason: string): DecisionDenialKind | undefined {
  return (Object.keys(DECISION_DENIALS) as DecisionDenialKind[]).find((kind) => reason.startsWith(DECISION_DENIALS[kind]));
}
