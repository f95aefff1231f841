/**
 * What a caller may do to a permit, as data. Each action names the permit statuses it is allowed in and who may
 * do it: a list of (token role, team role on this permit) pairs, where a pair without a team role needs no
 * membership (administrators). One guard (`assertActionAllowed`) serves every endpoint, and the `allowedActions`
 * that `GET /permits/{id}` returns and a 409 problem carries are derived from the same table.
 *
 * Reads that need more than seeing the permit (`PERMIT_READS`, e.g. the notification delivery ledger) use the same
 * (token role, team role) slots and the same 403 wording, but are not actions: they hold in every status (the
 * ledger is still worth reading after closure) and are not listed in `allowedActions`.
 */
import {
  ForbiddenError,
  ISSUED_ACTIVE_STATUSES,
  InvalidTransitionError,
  PERMIT_STATUSES,
  TERMINAL_STATUSES,
  type PermitStatus,
  type Role,
  type TeamRole,
} from '../../shared/index.js';

export interface ActionActor {
  tokenRole: Role;
  /** The team role the caller must hold on this permit; absent: no membership needed. */
  teamRole?: TeamRole;
}

export interface ActionRule {
  statuses: readonly PermitStatus[];
  who: readonly ActionActor[];
}

const researchTeam = { tokenRole: 'researcher', teamRole: 'RESEARCH_TEAM' } as const satisfies ActionActor;
const hdabTeam = { tokenRole: 'hdab-reviewer', teamRole: 'HDAB_TEAM' } as const satisfies ActionActor;
const dataHolder = { tokenRole: 'data-holder', teamRole: 'DATA_HOLDER' } as const satisfies ActionActor;
const admin = { tokenRole: 'admin' } as const satisfies ActionActor;

const APPLICATION_OPEN = ['DRAFT', 'SUBMITTED', 'UNDER_ASSESSMENT', 'AWAITING_APPLICANT_INFO'] as const satisfies readonly PermitStatus[];
const NOT_TERMINAL: readonly PermitStatus[] = PERMIT_STATUSES.filter((status) => !TERMINAL_STATUSES.includes(status));

export const PERMIT_ACTIONS = {
  submit: { statuses: ['DRAFT'], who: [researchTeam] },
  /** PATCH /permits/{id}: change the application's title, purpose or dates while it is a DRAFT (whoever may submit it). */
  'edit-draft': { statuses: ['DRAFT'], who: [researchTeam] },
  'provide-info': { statuses: ['AWAITING_APPLICANT_INFO'], who: [researchTeam] },
  withdraw: { statuses: APPLICATION_OPEN, who: [researchTeam] },
  'initiate-ingress': { statuses: ['APPROVED'], who: [hdabTeam] },
  'confirm-upload': { statuses: ['DATA_INGRESS_PENDING', 'DATA_INGRESS_IN_PROGRESS', 'DATA_INGRESS_BLOCKED'], who: [dataHolder] },
  'submit-setup-for-review': { statuses: ['WORKSPACE_SETUP_PENDING'], who: [researchTeam] },
  'review-application': { statuses: ['UNDER_ASSESSMENT'], who: [hdabTeam] },
  'review-setup': { statuses: ['WORKSPACE_SETUP_REVIEW_PENDING'], who: [hdabTeam] },
  'review-egress': { statuses: ['EGRESS_REVIEW_PENDING'], who: [hdabTeam] },
  'review-amendment': { statuses: [...ISSUED_ACTIVE_STATUSES, 'SUSPENDED'], who: [hdabTeam] },
  'create-egress-request': { statuses: ['ANALYSIS_ACTIVE', 'EGRESS_REVIEW_PENDING'], who: [researchTeam] },
  'submit-egress-request': { statuses: ['ANALYSIS_ACTIVE'], who: [researchTeam] },
  suspend: { statuses: ISSUED_ACTIVE_STATUSES, who: [hdabTeam, admin] },
  resume: { statuses: ['SUSPENDED'], who: [hdabTeam, admin] },
  revoke: { statuses: [...ISSUED_ACTIVE_STATUSES, 'SUSPENDED'], who: [hdabTeam, admin] },
  close: { statuses: ['ANALYSIS_ACTIVE'], who: [researchTeam, hdabTeam, admin] },
  'request-amendment': { statuses: ISSUED_ACTIVE_STATUSES, who: [researchTeam, hdabTeam] },
  'manage-members': { statuses: NOT_TERMINAL, who: [hdabTeam, admin] },
} as const satisfies Record<string, ActionRule>;

export type PermitAction = keyof typeof PERMIT_ACTIONS;
export const ALL_PERMIT_ACTIONS = Object.keys(PERMIT_ACTIONS) as PermitAction[];

/** Who is asking: token roles from the caller, team roles from `permit_members` for this permit. */
export interface ActionCaller {
  userId: string;
  roles: readonly Role[];
}

function rule(action: PermitAction): ActionRule {
  return PERMIT_ACTIONS[action];
}

/** Does the caller fill one of these (token role, team role) slots on this permit? */
function fillsSlot(who: readonly ActionActor[], caller: ActionCaller, membership: readonly TeamRole[]): boolean {
  return who.some((actor) => caller.roles.includes(actor.tokenRole) && (actor.teamRole === undefined || membership.includes(actor.teamRole)));
}

/** The slots in words, for 403 problems: `hdab-reviewer on the permit's HDAB_TEAM or admin`. */
function describeSlots(who: readonly ActionActor[]): string {
  return who.map((actor) => (actor.teamRole ? `${actor.tokenRole} on the permit's ${actor.teamRole}` : actor.tokenRole)).join(' or ');
}

/** Does the caller fill one of the action's (token role, team role) slots on this permit? */
export function mayActAs(action: PermitAction, caller: ActionCaller, membership: readonly TeamRole[]): boolean {
  return fillsSlot(rule(action).who, caller, membership);
}

export function isAllowedInStatus(action: PermitAction, status: PermitStatus): boolean {
  return rule(action).statuses.includes(status);
}

/** Every action this caller may take on the permit now. */
export function allowedActionsFor(permit: { status: PermitStatus }, caller: ActionCaller, membership: readonly TeamRole[]): PermitAction[] {
  return ALL_PERMIT_ACTIONS.filter((action) => isAllowedInStatus(action, permit.status) && mayActAs(action, caller, membership));
}

/**
 * The one guard. 403 when the caller does not fill any slot of the action (whatever the status), 409 with the
 * current status and the caller's allowed actions when they may do it, but not in this status.
 */
export function assertActionAllowed(action: PermitAction, permit: { id: string; status: PermitStatus }, caller: ActionCaller, membership: readonly TeamRole[]): void {
  if (!mayActAs(action, caller, membership)) {
    throw new ForbiddenError(`Only ${describeSlots(rule(action).who)} may ${action.replaceAll('-', ' ')} on permit ${permit.id}.`, { action, permitId: permit.id });
  }
  if (!isAllowedInStatus(action, permit.status)) {
    throw new InvalidTransitionError(
      `Permit ${permit.id} is ${permit.status}; "${action}" is allowed only in ${rule(action).statuses.join(', ')}.`,
      permit.status,
      allowedActionsFor(permit, caller, membership),
      { action, permitId: permit.id },
    );
  }
}

/** A 409 for an action whose status check passed but the process was not waiting for it (someone moved first). */
export function processNotWaiting(action: PermitAction, permit: { id: string; status: PermitStatus }, caller: ActionCaller, membership: readonly TeamRole[]): InvalidTransitionError {
  return new InvalidTransitionError(
    `Permit ${permit.id} (${permit.status}): the process is not waiting for "${action}" right now; it may have moved on already. Reload the permit and retry.`,
    permit.status,
    allowedActionsFor(permit, caller, membership),
    { action, permitId: permit.id },
  );
}

/** A read that needs more than seeing the permit: who may, and what it is in words (for the 403). */
export interface ReadRule {
  who: readonly ActionActor[];
  what: string;
}

/** Reads beyond seeing the permit (anyone on its team or an administrator sees the permit itself; see permit-access.ts). */
export const PERMIT_READS = {
  'read-deliveries': { who: [hdabTeam, admin], what: 'read the notification deliveries' },
} as const satisfies Record<string, ReadRule>;

export type PermitRead = keyof typeof PERMIT_READS;
export const ALL_PERMIT_READS = Object.keys(PERMIT_READS) as PermitRead[];

/** Does the caller fill one of the read's slots on this permit? (Any status.) */
export function mayRead(read: PermitRead, caller: ActionCaller, membership: readonly TeamRole[]): boolean {
  return fillsSlot(PERMIT_READS[read].who, caller, membership);
}

/** 403 naming who may, when the caller fills no slot. Call it after `PermitAccess.load` (404 for who cannot see the permit). */
export function assertReadAllowed(read: PermitRead, permit: { id: string }, caller: ActionCaller, membership: readonly TeamRole[]): void {
  if (!mayRead(read, caller, membership)) {
    const { who, what }: ReadRule = PERMIT_READS[read];
    throw new ForbiddenError(`Only ${describeSlots(who)} may ${what} of permit ${permit.id}.`, { read, permitId: permit.id });
  }
}
