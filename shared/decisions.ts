/** Review stages and decisions, as `POST /api/permits/{id}/review` takes them and the forms produce them. */
export const REVIEW_STAGES = ['APPLICATION', 'SETUP', 'EGRESS', 'AMENDMENT'] as const;
export type ReviewStage = (typeof REVIEW_STAGES)[number];

export const REVIEW_DECISIONS = ['APPROVED', 'REWORK_REQUESTED', 'REJECTED'] as const;
export type ReviewDecision = (typeof REVIEW_DECISIONS)[number];

/** Decisions each stage accepts (the application assessment asks for information instead of rework). */
export const STAGE_DECISIONS = {
  APPLICATION: ['APPROVED', 'INFO_REQUESTED', 'REJECTED'],
  SETUP: ['APPROVED', 'REWORK_REQUESTED', 'REJECTED'],
  EGRESS: ['APPROVED', 'REWORK_REQUESTED', 'REJECTED'],
  AMENDMENT: ['APPROVED', 'REJECTED'],
} as const satisfies Record<ReviewStage, readonly string[]>;

/**
 * Process variables a review produces, per stage: the decision, the comment and the checklist. The forms use
 * these keys, the gateways read them, and the REST API sets them when it completes the task. `reviewer` is not a
 * form field: the decider is the task's assignee, recorded by the decision listener; `audit.record` sets this
 * variable from that record after the review, for the notifications that name the reviewer.
 */
export const REVIEW_VARIABLES = {
  APPLICATION: { decision: 'assessmentDecision', comment: 'assessmentComment', checklist: 'assessmentChecklist', reviewer: 'assessedBy' },
  SETUP: { decision: 'setupDecision', comment: 'setupComment', checklist: 'setupChecklist', reviewer: 'setupReviewedBy' },
  EGRESS: { decision: 'egressDecision', comment: 'egressComment', checklist: 'egressReviewChecks', reviewer: 'egressReviewedBy' },
  AMENDMENT: { decision: 'amendmentDecision', comment: 'amendmentComment', checklist: 'amendmentChecklist', reviewer: 'amendmentReviewedBy' },
} as const satisfies Record<ReviewStage, { decision: string; comment: string; checklist: string; reviewer: string }>;

/** BPMN error codes thrown by workers (`job.error`) and caught by boundary events in the diagrams. */
export const BPMN_ERRORS = {
  provisioningRejected: 'WORKSPACE_PROVISIONING_REJECTED',
  ingressCheckFailed: 'INGRESS_CHECK_FAILED',
} as const;

/** Escalation code thrown by BPMN 6 when a permit is revoked; the lifecycle process interrupts everything and closes. */
export const ESCALATIONS = {
  permitRevoked: 'PERMIT_REVOKED',
} as const;

/** Token roles (claim `roles`) and the candidate groups each may work on. */
export const ROLES = ['researcher', 'hdab-reviewer', 'data-holder', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Roles a person can hold on one permit's team (table `permit_members`). */
export const TEAM_ROLES = ['RESEARCH_TEAM', 'HDAB_TEAM', 'DATA_HOLDER'] as const;
export type TeamRole = (typeof TEAM_ROLES)[number];

/** Candidate groups (`CANDIDATE_GROUPS`) whose user tasks each token role may see and complete. */
export const ROLE_GROUPS = {
  researcher: [],
  'hdab-reviewer': ['hdab-reviewers', 'hdab-data-stewards'],
  'data-holder': [],
  admin: ['spe-operators'],
} as const satisfies Record<Role, readonly string[]>;

/** Variables and choices of the forms that are not stage reviews (exception handling and sign-off). */
export const TASK_FORM_VARIABLES = {
  ingressException: {
    decision: 'ingressExceptionDecision',
    decisions: ['REQUEST_NEW_UPLOAD', 'RELEASE_FROM_QUARANTINE', 'ABORT_INGRESS'],
    comment: 'ingressExceptionComment',
    findings: 'ingressCheckFindings',
  },
  provisioningException: {
    decision: 'provisioningDecision',
    decisions: ['RETRY', 'ABANDON'],
    comment: 'provisioningComment',
  },
  dataPreparationSignoff: {
    /** `PREPARED`, or `CANNOT_BE_PREPARED` with `preparationProblem`: BPMN 2's gateway "Data prepared?" reads it. */
    outcome: 'preparationOutcome',
    outcomes: ['PREPARED', 'CANNOT_BE_PREPARED'],
    problem: 'preparationProblem',
    checklist: 'preparationChecklist',
    notes: 'preparationNotes',
    confirmed: 'preparationConfirmed',
  },
} as const;

/**
 * Statistical disclosure-control checks: the research team declares per file which it applied (`disclosureChecks`
 * of the output request, shown read-only on the egress review form), and the reviewer confirms them for the
 * request (`REVIEW_VARIABLES.EGRESS.checklist`, all of them to approve).
 */
export const DISCLOSURE_CHECKS = ['MIN_CELL_COUNT_10', 'ROUNDING_APPLIED', 'NO_DOMINANCE', 'NO_DIFFERENCING', 'NO_IDENTIFIERS'] as const;
export type DisclosureCheck = (typeof DISCLOSURE_CHECKS)[number];
