/**
 * Codes people must never read in a message, said in words: why a permit closed, review decisions, permit
 * statuses, ingress and provisioning exception decisions, team and token roles. One table per kind, each keyed by
 * the code list it covers (`satisfies Record<…>`), so a new code without words fails the type check;
 * `notification-wording.test.ts` checks every code has words. A code not known here (a diagram that grew a
 * new outcome) is said as lower-case words rather than shown raw.
 */
import {
  PERMIT_STATUSES,
  ROLES,
  STAGE_DECISIONS,
  TASK_FORM_VARIABLES,
  TEAM_ROLES,
  type PermitStatus,
  type Role,
  type TeamRole,
} from '../../shared/index.js';

/**
 * Why a permit went to closure: the `closeReason` BPMN 0 hands to BPMN 7 (`REVOKED` from the revocation,
 * `INGRESS_ABORTED`, `SETUP_` + the setup outcome, or the analysis outcome).
 */
export const CLOSE_REASONS = ['REVOKED', 'INGRESS_ABORTED', 'SETUP_REJECTED', 'SETUP_FAILED', 'CLOSED_EARLY', 'EXPIRED'] as const;
export type CloseReason = (typeof CLOSE_REASONS)[number];

export const CLOSE_REASON_WORDS = {
  REVOKED: 'the HDAB revoked the permit',
  INGRESS_ABORTED: 'the data delivery was stopped, so the data could not be made available',
  SETUP_REJECTED: 'the HDAB rejected the workspace setup',
  SETUP_FAILED: 'the workspace could not be set up',
  CLOSED_EARLY: 'the research team closed the analysis before the permit expired',
  EXPIRED: 'the permit reached the end of its validity',
} as const satisfies Record<CloseReason, string>;

type StageDecision = (typeof STAGE_DECISIONS)[keyof typeof STAGE_DECISIONS][number];

export const DECISION_WORDS = {
  APPROVED: 'approved',
  REWORK_REQUESTED: 'rework requested',
  REJECTED: 'rejected',
  INFO_REQUESTED: 'more information requested',
} as const satisfies Record<StageDecision, string>;

type IngressExceptionDecision = (typeof TASK_FORM_VARIABLES.ingressException.decisions)[number];
export const INGRESS_EXCEPTION_DECISION_WORDS = {
  REQUEST_NEW_UPLOAD: 'a new upload was requested',
  RELEASE_FROM_QUARANTINE: 'the delivery was released from quarantine',
  ABORT_INGRESS: 'the data delivery was stopped',
} as const satisfies Record<IngressExceptionDecision, string>;

type ProvisioningDecision = (typeof TASK_FORM_VARIABLES.provisioningException.decisions)[number];
export const PROVISIONING_DECISION_WORDS = {
  RETRY: 'provisioning is tried again',
  ABANDON: 'the workspace setup was abandoned',
} as const satisfies Record<ProvisioningDecision, string>;

export const PERMIT_STATUS_WORDS = {
  DRAFT: 'draft',
  SUBMITTED: 'submitted',
  UNDER_ASSESSMENT: 'under assessment',
  AWAITING_APPLICANT_INFO: 'waiting for information from the applicant',
  APPROVED: 'approved',
  DATA_INGRESS_PENDING: 'waiting for the data delivery',
  DATA_INGRESS_IN_PROGRESS: 'data delivery in progress',
  DATA_INGRESS_BLOCKED: 'data delivery blocked',
  DATA_PREPARATION_PENDING: 'data preparation',
  WORKSPACE_SETUP_PENDING: 'workspace setup',
  WORKSPACE_SETUP_REVIEW_PENDING: 'workspace setup under review',
  ANALYSIS_PROVISIONING: 'analysis workspace being provisioned',
  ANALYSIS_ACTIVE: 'analysis',
  EGRESS_REVIEW_PENDING: 'output request under review',
  SUSPENDED: 'suspended',
  REVOKED: 'revoked',
  EXPIRED: 'expired',
  CLOSING: 'closing',
  DATA_DELETION_PENDING: 'data deletion pending',
  CLOSED: 'closed',
  REJECTED: 'rejected',
  WITHDRAWN: 'withdrawn',
} as const satisfies Record<PermitStatus, string>;

export const TEAM_ROLE_WORDS = {
  RESEARCH_TEAM: 'research team',
  HDAB_TEAM: 'HDAB team',
  DATA_HOLDER: 'data holder',
} as const satisfies Record<TeamRole, string>;

export const ROLE_WORDS = {
  researcher: 'researcher',
  'hdab-reviewer': 'HDAB reviewer',
  'data-holder': 'data holder',
  admin: 'administrator',
} as const satisfies Record<Role, string>;

/** Every table with the codes it must cover; the test walks it. */
export const WORDING_TABLES = {
  closeReason: { codes: CLOSE_REASONS, words: CLOSE_REASON_WORDS },
  decision: { codes: [...new Set(Object.values(STAGE_DECISIONS).flat())], words: DECISION_WORDS },
  ingressExceptionDecision: { codes: TASK_FORM_VARIABLES.ingressException.decisions, words: INGRESS_EXCEPTION_DECISION_WORDS },
  provisioningDecision: { codes: TASK_FORM_VARIABLES.provisioningException.decisions, words: PROVISIONING_DECISION_WORDS },
  permitStatus: { codes: PERMIT_STATUSES, words: PERMIT_STATUS_WORDS },
  teamRole: { codes: TEAM_ROLES, words: TEAM_ROLE_WORDS },
  role: { codes: ROLES, words: ROLE_WORDS },
} as const satisfies Record<string, { codes: readonly string[]; words: Readonly<Record<string, string>> }>;

export type WordingKind = keyof typeof WORDING_TABLES;

/** The code in words; an unknown code as lower-case words (`DATA_NOT_PREPARABLE` → `data not preparable`). */
export function inWords(kind: WordingKind, code: string): string {
  const words: Readonly<Record<string, string>> = WORDING_TABLES[kind].words;
  return Object.hasOwn(words, code) ? words[code]! : code.toLowerCase().replace(/[_-]+/g, ' ').trim();
}
