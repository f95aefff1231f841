/**
 * What the handler needs to know about each template beyond its files: which process variable names the actor,
 * which holds the decision's comment, what the decision was, which workspace it is about and where the link
 * points. The texts themselves are in `templates/<id>/`. A test checks that every template id used in `bpmn/` is
 * here and has its folder, and `docs/notifications.md` lists the same table.
 */
import { REVIEW_VARIABLES, TASK_FORM_VARIABLES, type WorkspacePhase } from '../../shared/index.js';
import { DECISION_WORDS } from './notification-wording.js';

/** Where the message's link points (see `notification-links.ts`). */
export type LinkTarget = 'permit' | 'tasks' | 'ingress' | 'workspace' | 'egress-request';

export interface TemplateSpec {
  /**
   * Process variables naming who acted (user ids), first present wins. A review's reviewer variable is set by
   * `audit.record` from the recorded decision (the task's assignee), never by the completion.
   */
  actorVariables: readonly string[];
  /** Who acted when none of the variables is set. */
  actorFallback: string;
  /** The decision in words, for decision messages. */
  decision?: string;
  /** Process variables holding the comment or reason to quote, first present wins. */
  commentVariables?: readonly string[];
  /** The workspace the message is about; `none` before any exists, `all` for the permit as a whole. */
  workspace: WorkspacePhase | 'none' | 'all' | 'by-process';
  link: LinkTarget;
}

const APPLICATION = REVIEW_VARIABLES.APPLICATION;
const SETUP = REVIEW_VARIABLES.SETUP;
const EGRESS = REVIEW_VARIABLES.EGRESS;
const AMENDMENT = REVIEW_VARIABLES.AMENDMENT;

const PLATFORM = 'the SPE platform';
const HDAB = 'the HDAB';

export const TEMPLATE_CATALOG = {
  // 1 Application & issuance
  'application-submitted': { actorVariables: ['submittedBy'], actorFallback: 'the research team', commentVariables: ['applicantResponse'], workspace: 'none', link: 'tasks' },
  'review-overdue': { actorVariables: ['setupSubmittedBy', 'egressSubmittedBy', 'submittedBy'], actorFallback: 'the research team', workspace: 'by-process', link: 'tasks' },
  'permit-issued': { actorVariables: [APPLICATION.reviewer], actorFallback: HDAB, decision: DECISION_WORDS.APPROVED, commentVariables: [APPLICATION.comment], workspace: 'none', link: 'permit' },
  'information-requested': { actorVariables: [APPLICATION.reviewer], actorFallback: HDAB, decision: DECISION_WORDS.INFO_REQUESTED, commentVariables: [APPLICATION.comment], workspace: 'none', link: 'permit' },
  'application-rejected': { actorVariables: [APPLICATION.reviewer], actorFallback: HDAB, decision: DECISION_WORDS.REJECTED, commentVariables: [APPLICATION.comment], workspace: 'none', link: 'permit' },
  // 2 Data ingress & preparation
  'ingress-initiated': { actorVariables: ['initiatedBy'], actorFallback: HDAB, workspace: 'ingress', link: 'ingress' },
  'upload-overdue': { actorVariables: ['initiatedBy'], actorFallback: HDAB, workspace: 'ingress', link: 'ingress' },
  'ingress-blocked': { actorVariables: ['confirmedBy', 'dataHolder'], actorFallback: 'a data holder', commentVariables: [TASK_FORM_VARIABLES.ingressException.findings], workspace: 'ingress', link: 'tasks' },
  'preparation-failed': {
    actorVariables: [],
    actorFallback: 'an HDAB data steward',
    decision: 'the data cannot be prepared',
    commentVariables: [TASK_FORM_VARIABLES.dataPreparationSignoff.problem],
    workspace: 'preprocessing',
    link: 'permit',
  },
  'ingress-completed': { actorVariables: ['confirmedBy'], actorFallback: 'the data holders', workspace: 'preprocessing', link: 'tasks' },
  // 3 Environment setup & review
  'workspace-ready': { actorVariables: [], actorFallback: PLATFORM, workspace: 'setup', link: 'workspace' },
  'provisioning-failed': { actorVariables: [], actorFallback: PLATFORM, commentVariables: ['provisioningError', TASK_FORM_VARIABLES.provisioningException.comment], workspace: 'setup', link: 'tasks' },
  'setup-review-requested': { actorVariables: ['setupSubmittedBy'], actorFallback: 'the research team', commentVariables: ['setupSubmissionNote'], workspace: 'setup', link: 'tasks' },
  'setup-approved': { actorVariables: [SETUP.reviewer], actorFallback: HDAB, decision: DECISION_WORDS.APPROVED, commentVariables: [SETUP.comment], workspace: 'analysis', link: 'workspace' },
  'setup-rework-requested': { actorVariables: [SETUP.reviewer], actorFallback: HDAB, decision: DECISION_WORDS.REWORK_REQUESTED, commentVariables: [SETUP.comment], workspace: 'setup', link: 'workspace' },
  'setup-rejected': { actorVariables: [SETUP.reviewer], actorFallback: HDAB, decision: DECISION_WORDS.REJECTED, commentVariables: [SETUP.comment], workspace: 'setup', link: 'permit' },
  // 4 Analysis
  'expiry-warning': { actorVariables: [], actorFallback: PLATFORM, workspace: 'analysis', link: 'permit' },
  // 5 Output review & release
  'egress-review-requested': { actorVariables: ['egressSubmittedBy'], actorFallback: 'the research team', workspace: 'analysis', link: 'tasks' },
  'egress-released': { actorVariables: [EGRESS.reviewer], actorFallback: HDAB, decision: 'approved and released', commentVariables: [EGRESS.comment], workspace: 'analysis', link: 'egress-request' },
  'egress-rework-requested': { actorVariables: [EGRESS.reviewer], actorFallback: HDAB, decision: DECISION_WORDS.REWORK_REQUESTED, commentVariables: [EGRESS.comment], workspace: 'analysis', link: 'egress-request' },
  'egress-rejected': { actorVariables: [EGRESS.reviewer], actorFallback: HDAB, decision: DECISION_WORDS.REJECTED, commentVariables: [EGRESS.comment], workspace: 'analysis', link: 'egress-request' },
  // 6 Amendment, suspension & revocation
  'permit-suspended': { actorVariables: ['suspendedBy'], actorFallback: HDAB, decision: 'suspended', commentVariables: ['suspensionReason'], workspace: 'all', link: 'permit' },
  'permit-resumed': { actorVariables: ['resumedBy'], actorFallback: HDAB, decision: 'resumed', commentVariables: ['resumeReason'], workspace: 'all', link: 'permit' },
  'permit-revoked': { actorVariables: ['revokedBy'], actorFallback: HDAB, decision: 'revoked', commentVariables: ['revocationReason'], workspace: 'all', link: 'permit' },
  'amendment-approved': { actorVariables: [AMENDMENT.reviewer], actorFallback: HDAB, decision: DECISION_WORDS.APPROVED, commentVariables: [AMENDMENT.comment], workspace: 'all', link: 'permit' },
  'amendment-rejected': { actorVariables: [AMENDMENT.reviewer], actorFallback: HDAB, decision: DECISION_WORDS.REJECTED, commentVariables: [AMENDMENT.comment], workspace: 'all', link: 'permit' },
  // 7 Closure
  'data-deleted': { actorVariables: [], actorFallback: PLATFORM, workspace: 'all', link: 'permit' },
} as const satisfies Record<string, TemplateSpec>;

export type TemplateId = keyof typeof TEMPLATE_CATALOG;
export const TEMPLATE_IDS = Object.keys(TEMPLATE_CATALOG) as TemplateId[];

export function isTemplateId(value: string): value is TemplateId {
  return Object.hasOwn(TEMPLATE_CATALOG, value);
}
