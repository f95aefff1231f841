import { describe, expect, it } from 'vitest';
import { ForbiddenError, ISSUED_ACTIVE_STATUSES, InvalidTransitionError, PERMIT_STATUSES, TERMINAL_STATUSES, type PermitStatus, type Role, type TeamRole } from '../../shared/index.js';
import {
  ALL_PERMIT_ACTIONS,
  ALL_PERMIT_READS,
  PERMIT_ACTIONS,
  allowedActionsFor,
  assertActionAllowed,
  assertReadAllowed,
  isAllowedInStatus,
  mayActAs,
  mayRead,
  type PermitAction,
  type PermitRead,
} from './permit-actions.js';

const ISSUED: PermitStatus[] = [...ISSUED_ACTIVE_STATUSES];

/** The specification, written out independently of the table: the statuses each action is allowed in. */
const EXPECTED_STATUSES: Record<PermitAction, PermitStatus[]> = {
  submit: ['DRAFT'],
  'edit-draft': ['DRAFT'],
  'provide-info': ['AWAITING_APPLICANT_INFO'],
  withdraw: ['DRAFT', 'SUBMITTED', 'UNDER_ASSESSMENT', 'AWAITING_APPLICANT_INFO'],
  'initiate-ingress': ['APPROVED'],
  'confirm-upload': ['DATA_INGRESS_PENDING', 'DATA_INGRESS_IN_PROGRESS', 'DATA_INGRESS_BLOCKED'],
  'submit-setup-for-review': ['WORKSPACE_SETUP_PENDING'],
  'review-application': ['UNDER_ASSESSMENT'],
  'review-setup': ['WORKSPACE_SETUP_REVIEW_PENDING'],
  'review-egress': ['EGRESS_REVIEW_PENDING'],
  'review-amendment': [...ISSUED, 'SUSPENDED'],
  'create-egress-request': ['ANALYSIS_ACTIVE', 'EGRESS_REVIEW_PENDING'],
  'submit-egress-request': ['ANALYSIS_ACTIVE'],
  suspend: ISSUED,
  resume: ['SUSPENDED'],
  revoke: [...ISSUED, 'SUSPENDED'],
  close: ['ANALYSIS_ACTIVE'],
  'request-amendment': ISSUED,
  'manage-members': PERMIT_STATUSES.filter((s) => !['CLOSED', 'REJECTED', 'WITHDRAWN'].includes(s)),
};

type CallerKind = 'researcher on team' | 'researcher elsewhere' | 'hdab on team' | 'hdab elsewhere' | 'data holder on team' | 'admin';
const CALLERS: Record<CallerKind, { roles: Role[]; membership: TeamRole[] }> = {
  'researcher on team': { roles: ['researcher'], membership: ['RESEARCH_TEAM'] },
  'researcher elsewhere': { roles: ['researcher'], membership: [] },
  'hdab on team': { roles: ['hdab-reviewer'], membership: ['HDAB_TEAM'] },
  'hdab elsewhere': { roles: ['hdab-reviewer'], membership: [] },
  'data holder on team': { roles: ['data-holder'], membership: ['DATA_HOLDER'] },
  admin: { roles: ['admin'], membership: [] },
};

/** Who may take each action (in an allowed status). */
const EXPECTED_WHO: Record<PermitAction, CallerKind[]> = {
  submit: ['researcher on team'],
  'edit-draft': ['researcher on team'],
  'provide-info': ['researcher on team'],
  withdraw: ['researcher on team'],
  'initiate-ingress': ['hdab on team'],
  'confirm-upload': ['data holder on team'],
  'submit-setup-for-review': ['researcher on team'],
  'review-application': ['hdab on team'],
  'review-setup': ['hdab on team'],
  'review-egress': ['hdab on team'],
  'review-amendment': ['hdab on team'],
  'create-egress-request': ['researcher on team'],
  'submit-egress-request': ['researcher on team'],
  suspend: ['hdab on team', 'admin'],
  resume: ['hdab on team', 'admin'],
  revoke: ['hdab on team', 'admin'],
  close: ['researcher on team', 'hdab on team', 'admin'],
  'request-amendment': ['researcher on team', 'hdab on team'],
  'manage-members': ['hdab on team', 'admin'],
};

/** Who may take each read beyond seeing the permit (in every status). */
const EXPECTED_READERS: Record<PermitRead, CallerKind[]> = {
  'read-deliveries': ['hdab on team', 'admin'],
};

const permitIn = (status: PermitStatus) => ({ id: 'p-1', status });

describe('permit action table', () => {
  it('covers exactly the actions of the specification', () => {
    expect([...ALL_PERMIT_ACTIONS].sort()).toEqual(Object.keys(EXPECTED_STATUSES).sort());
  });

  const pairs = ALL_PERMIT_ACTIONS.flatMap((action) => PERMIT_STATUSES.map((status) => [action, status] as const));
  it.each(pairs)('%s in %s is allowed exactly when the specification says so', (action, status) => {
    expect(isAllowedInStatus(action, status)).toBe(EXPECTED_STATUSES[action].includes(status));
  });

  const who = ALL_PERMIT_ACTIONS.flatMap((action) => (Object.keys(CALLERS) as CallerKind[]).map((kind) => [action, kind] as const));
  it.each(who)('%s by %s is permitted exactly when the specification says so', (action, kind) => {
    const caller = CALLERS[kind];
    expect(mayActAs(action, { userId: 'u', roles: caller.roles }, caller.membership)).toBe(EXPECTED_WHO[action].includes(kind));
  });

  it('allows nothing on a closed, rejected or withdrawn permit', () => {
    for (const status of TERMINAL_STATUSES) {
      for (const kind of Object.keys(CALLERS) as CallerKind[]) {
        expect(allowedActionsFor(permitIn(status), { userId: 'u', roles: CALLERS[kind].roles }, CALLERS[kind].membership)).toEqual([]);
      }
    }
  });

  it('never lets a token role act through a team role that belongs to another token role', () => {
    // A researcher who is (wrongly) listed on the HDAB team still may not review.
    expect(mayActAs('review-setup', { userId: 'u', roles: ['researcher'] }, ['HDAB_TEAM'])).toBe(false);
    // An hdab-reviewer on the research team may not submit the research team's work.
    expect(mayActAs('submit-setup-for-review', { userId: 'u', roles: ['hdab-reviewer'] }, ['RESEARCH_TEAM'])).toBe(false);
  });

  it('derives the allowed actions from status and caller', () => {
    const hdab = CALLERS['hdab on team'];
    expect(allowedActionsFor(permitIn('WORKSPACE_SETUP_REVIEW_PENDING'), { userId: 'rita', roles: hdab.roles }, hdab.membership)).toEqual([
      'review-setup',
      'review-amendment',
      'suspend',
      'revoke',
      'request-amendment',
      'manage-members',
    ]);
    const researcher = CALLERS['researcher on team'];
    expect(allowedActionsFor(permitIn('DRAFT'), { userId: 'alice', roles: researcher.roles }, researcher.membership)).toEqual(['submit', 'edit-draft', 'withdraw']);
  });

  it('refuses with 403 when the caller has no slot, and with 409 carrying status and allowed actions when the status is wrong', () => {
    const researcher = CALLERS['researcher on team'];
    expect(() => assertActionAllowed('review-setup', permitIn('WORKSPACE_SETUP_REVIEW_PENDING'), { userId: 'alice', roles: researcher.roles }, researcher.membership)).toThrow(ForbiddenError);
    let refused: unknown;
    try {
      assertActionAllowed('submit', permitIn('SUBMITTED'), { userId: 'alice', roles: researcher.roles }, researcher.membership);
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(InvalidTransitionError);
    expect((refused as InvalidTransitionError).currentStatus).toBe('SUBMITTED');
    expect((refused as InvalidTransitionError).allowedActions).toEqual(['withdraw']);
  });

  it('lists only known statuses for every action', () => {
    for (const rule of Object.values(PERMIT_ACTIONS)) for (const status of rule.statuses) expect(PERMIT_STATUSES).toContain(status);
  });
});

describe('permit read table', () => {
  it('covers exactly the reads of the specification, and none of them is an action', () => {
    expect([...ALL_PERMIT_READS].sort()).toEqual(Object.keys(EXPECTED_READERS).sort());
    for (const read of ALL_PERMIT_READS) expect(ALL_PERMIT_ACTIONS as string[]).not.toContain(read);
  });

  const readers = ALL_PERMIT_READS.flatMap((read) => (Object.keys(CALLERS) as CallerKind[]).map((kind) => [read, kind] as const));
  it.each(readers)('%s by %s is permitted exactly when the specification says so', (read, kind) => {
    const caller = CALLERS[kind];
    expect(mayRead(read, { userId: 'u', roles: caller.roles }, caller.membership)).toBe(EXPECTED_READERS[read].includes(kind));
  });

  it('refuses the delivery ledger with 403 naming who may read it, and never lets a researcher read it through the HDAB team', () => {
    const researcher = CALLERS['researcher on team'];
    expect(() => assertReadAllowed('read-deliveries', { id: 'p-1' }, { userId: 'alice', roles: researcher.roles }, researcher.membership)).toThrow(
      new ForbiddenError("Only hdab-reviewer on the permit's HDAB_TEAM or admin may read the notification deliveries of permit p-1.", { read: 'read-deliveries', permitId: 'p-1' }),
    );
    expect(mayRead('read-deliveries', { userId: 'u', roles: ['researcher'] }, ['HDAB_TEAM'])).toBe(false);
    const hdab = CALLERS['hdab on team'];
    expect(() => assertReadAllowed('read-deliveries', { id: 'p-1' }, { userId: 'rita', roles: hdab.roles }, hdab.membership)).not.toThrow();
  });
});
