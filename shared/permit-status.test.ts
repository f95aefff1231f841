import { describe, expect, it } from 'vitest';
import { EGRESS_STATUSES, EGRESS_TRANSITIONS, PERMIT_STATUSES, PERMIT_TRANSITIONS, TERMINAL_STATUSES, canTransition, canTransitionEgress } from './permit-status.js';

describe('permit status machine', () => {
  const allowed = new Set(Object.entries(PERMIT_TRANSITIONS).flatMap(([from, tos]) => tos.map((to) => `${from}>${to}`)));

  it.each(PERMIT_STATUSES.flatMap((from) => PERMIT_STATUSES.map((to) => [from, to] as const)))('%s → %s follows the table', (from, to) => {
    expect(canTransition(from, to)).toBe(allowed.has(`${from}>${to}`));
  });

  it('lists only known statuses and never a status as its own successor', () => {
    for (const [from, tos] of Object.entries(PERMIT_TRANSITIONS)) {
      expect(PERMIT_STATUSES).toContain(from);
      for (const to of tos) expect(PERMIT_STATUSES).toContain(to);
      expect(tos).not.toContain(from);
    }
  });

  it('has exactly the closed, rejected and withdrawn permits as terminal', () => {
    expect([...TERMINAL_STATUSES].sort()).toEqual(['CLOSED', 'REJECTED', 'WITHDRAWN']);
  });

  it('reaches CLOSED from every non-terminal status of an issued permit', () => {
    const reach = (from: string, seen = new Set<string>()): boolean => {
      if (from === 'CLOSED') return true;
      if (seen.has(from)) return false;
      seen.add(from);
      return (PERMIT_TRANSITIONS[from as keyof typeof PERMIT_TRANSITIONS] as readonly string[]).some((to) => reach(to, seen));
    };
    const applicationStatuses: readonly string[] = ['DRAFT', 'SUBMITTED', 'UNDER_ASSESSMENT', 'AWAITING_APPLICANT_INFO'];
    const issued = PERMIT_STATUSES.filter((s) => !TERMINAL_STATUSES.includes(s) && !applicationStatuses.includes(s));
    expect(issued.filter((s) => !reach(s))).toEqual([]);
  });
});

describe('egress request status machine', () => {
  it.each(EGRESS_STATUSES.flatMap((from) => EGRESS_STATUSES.map((to) => [from, to] as const)))('%s → %s follows the table', (from, to) => {
    expect(canTransitionEgress(from, to)).toBe((EGRESS_TRANSITIONS[from] as readonly string[]).includes(to));
  });

  it('loops rework back to submission and ends in released or rejected', () => {
    expect(canTransitionEgress('REWORK_REQUESTED', 'SUBMITTED')).toBe(true);
    expect(EGRESS_TRANSITIONS.RELEASED).toEqual([]);
    expect(EGRESS_TRANSITIONS.REJECTED).toEqual([]);
  });
});
