/**
 * The permit status machine as data: every status of `docs/lifecycle` and the statuses each may move to.
 * One guard (`canTransition`) serves the Permit Manager's REST API and the `permit.set-status` worker alike.
 */

export const PERMIT_STATUSES = [
  'DRAFT',
  'SUBMITTED',
  'UNDER_ASSESSMENT',
  'AWAITING_APPLICANT_INFO',
  'APPROVED',
  'DATA_INGRESS_PENDING',
  'DATA_INGRESS_IN_PROGRESS',
  'DATA_INGRESS_BLOCKED',
  'DATA_PREPARATION_PENDING',
  'WORKSPACE_SETUP_PENDING',
  'WORKSPACE_SETUP_REVIEW_PENDING',
  'ANALYSIS_PROVISIONING',
  'ANALYSIS_ACTIVE',
  'EGRESS_REVIEW_PENDING',
  'SUSPENDED',
  'REVOKED',
  'EXPIRED',
  'CLOSING',
  'DATA_DELETION_PENDING',
  'CLOSED',
  'REJECTED',
  'WITHDRAWN',
] as const;

export type PermitStatus = (typeof PERMIT_STATUSES)[number];

/** Statuses of an issued permit in which suspension, revocation and expiry may interrupt. */
const ISSUED_ACTIVE = [
  'APPROVED',
  'DATA_INGRESS_PENDING',
  'DATA_INGRESS_IN_PROGRESS',
  'DATA_INGRESS_BLOCKED',
  'DATA_PREPARATION_PENDING',
  'WORKSPACE_SETUP_PENDING',
  'WORKSPACE_SETUP_REVIEW_PENDING',
  'ANALYSIS_PROVISIONING',
  'ANALYSIS_ACTIVE',
  'EGRESS_REVIEW_PENDING',
] as const satisfies readonly PermitStatus[];

export type IssuedActiveStatus = (typeof ISSUED_ACTIVE)[number];
export const ISSUED_ACTIVE_STATUSES: readonly PermitStatus[] = ISSUED_ACTIVE;

const INTERRUPTIONS = ['SUSPENDED', 'REVOKED', 'EXPIRED'] as const satisfies readonly PermitStatus[];

/** status → statuses it may move to. A status is never listed as its own successor: setting the current status is a no-op. */
export const PERMIT_TRANSITIONS = {
  DRAFT: ['SUBMITTED', 'WITHDRAWN'],
  SUBMITTED: ['UNDER_ASSESSMENT', 'WITHDRAWN'],
  UNDER_ASSESSMENT: ['APPROVED', 'AWAITING_APPLICANT_INFO', 'REJECTED', 'WITHDRAWN'],
  AWAITING_APPLICANT_INFO: ['SUBMITTED', 'WITHDRAWN'],
  APPROVED: ['DATA_INGRESS_PENDING', ...INTERRUPTIONS],
  DATA_INGRESS_PENDING: ['DATA_INGRESS_IN_PROGRESS', 'CLOSING', ...INTERRUPTIONS],
  DATA_INGRESS_IN_PROGRESS: ['DATA_INGRESS_BLOCKED', 'DATA_INGRESS_PENDING', 'DATA_PREPARATION_PENDING', 'CLOSING', ...INTERRUPTIONS],
  DATA_INGRESS_BLOCKED: ['DATA_INGRESS_PENDING', 'DATA_INGRESS_IN_PROGRESS', 'CLOSING', ...INTERRUPTIONS],
  // CLOSING: the data steward found that the data cannot be prepared (BPMN 2 ends the ingress as aborted).
  DATA_PREPARATION_PENDING: ['WORKSPACE_SETUP_PENDING', 'CLOSING', ...INTERRUPTIONS],
  WORKSPACE_SETUP_PENDING: ['WORKSPACE_SETUP_REVIEW_PENDING', 'CLOSING', ...INTERRUPTIONS],
  WORKSPACE_SETUP_REVIEW_PENDING: ['ANALYSIS_PROVISIONING', 'WORKSPACE_SETUP_PENDING', 'CLOSING', ...INTERRUPTIONS],
  ANALYSIS_PROVISIONING: ['ANALYSIS_ACTIVE', ...INTERRUPTIONS],
  ANALYSIS_ACTIVE: ['EGRESS_REVIEW_PENDING', 'CLOSING', ...INTERRUPTIONS],
  EGRESS_REVIEW_PENDING: ['ANALYSIS_ACTIVE', 'CLOSING', ...INTERRUPTIONS],
  // Resuming returns to the status the permit had when it was suspended (the worker reads it from history).
  SUSPENDED: [...ISSUED_ACTIVE, 'REVOKED', 'EXPIRED'],
  REVOKED: ['CLOSING'],
  EXPIRED: ['CLOSING'],
  CLOSING: ['DATA_DELETION_PENDING'],
  DATA_DELETION_PENDING: ['CLOSED'],
  CLOSED: [],
  REJECTED: [],
  WITHDRAWN: [],
} as const satisfies Record<PermitStatus, readonly PermitStatus[]>;

export const TERMINAL_STATUSES: readonly PermitStatus[] = PERMIT_STATUSES.filter((s) => PERMIT_TRANSITIONS[s].length === 0);

export function isPermitStatus(value: unknown): value is PermitStatus {
  return typeof value === 'string' && (PERMIT_STATUSES as readonly string[]).includes(value);
}

/** The one guard: may a permit in `from` move to `to`? */
export function canTransition(from: PermitStatus, to: PermitStatus): boolean {
  return (PERMIT_TRANSITIONS[from] as readonly PermitStatus[]).includes(to);
}

/** Whose turn a status is, as `docs/processes.md` and the portal show it. */
export const STATUS_OWNER = {
  DRAFT: 'research team',
  SUBMITTED: 'HDAB',
  UNDER_ASSESSMENT: 'HDAB',
  AWAITING_APPLICANT_INFO: 'research team',
  APPROVED: 'HDAB',
  DATA_INGRESS_PENDING: 'data holders',
  DATA_INGRESS_IN_PROGRESS: 'system',
  DATA_INGRESS_BLOCKED: 'HDAB',
  DATA_PREPARATION_PENDING: 'HDAB',
  WORKSPACE_SETUP_PENDING: 'research team',
  WORKSPACE_SETUP_REVIEW_PENDING: 'HDAB',
  ANALYSIS_PROVISIONING: 'system',
  ANALYSIS_ACTIVE: 'research team',
  EGRESS_REVIEW_PENDING: 'HDAB',
  SUSPENDED: 'HDAB',
  REVOKED: 'HDAB',
  EXPIRED: 'system',
  CLOSING: 'system',
  DATA_DELETION_PENDING: 'system',
  CLOSED: 'nobody',
  REJECTED: 'nobody',
  WITHDRAWN: 'nobody',
} as const satisfies Record<PermitStatus, string>;

/** Egress (output) requests have their own small machine. */
export const EGRESS_STATUSES = ['DRAFT', 'SUBMITTED', 'IN_REVIEW', 'REWORK_REQUESTED', 'APPROVED', 'RELEASED', 'REJECTED'] as const;
export type EgressStatus = (typeof EGRESS_STATUSES)[number];

export const EGRESS_TRANSITIONS = {
  DRAFT: ['SUBMITTED'],
  SUBMITTED: ['IN_REVIEW'],
  IN_REVIEW: ['APPROVED', 'REWORK_REQUESTED', 'REJECTED'],
  REWORK_REQUESTED: ['SUBMITTED'],
  APPROVED: ['RELEASED'],
  RELEASED: [],
  REJECTED: [],
} as const satisfies Record<EgressStatus, readonly EgressStatus[]>;

export function isEgressStatus(value: unknown): value is EgressStatus {
  return typeof value === 'string' && (EGRESS_STATUSES as readonly string[]).includes(value);
}

export function canTransitionEgress(from: EgressStatus, to: EgressStatus): boolean {
  return (EGRESS_TRANSITIONS[from] as readonly EgressStatus[]).includes(to);
}
