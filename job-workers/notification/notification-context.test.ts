import { describe, expect, it } from 'vitest';
import { PROCESS_IDS } from '../../shared/index.js';
import { buildNotificationContext, CONTEXT_KEYS, formatComment } from './notification-context.js';
import { TEMPLATE_CATALOG } from './template-catalog.js';
import { createNotificationLinks } from './notification-links.js';

const permit = { id: 'P-1', title: 'Diabetes', status: 'ANALYSIS_ACTIVE', validUntil: new Date('2027-06-30T12:00:00Z') };
const people = new Map([['rita', { userId: 'rita', displayName: 'Rita Reviewer' }]]);

describe('buildNotificationContext', () => {
  it('has every key, names the actor from the directory and quotes the comment', () => {
    const context = buildNotificationContext({
      spec: TEMPLATE_CATALOG['egress-rework-requested'],
      permit,
      variables: { permitId: 'P-1', egressReviewedBy: 'rita', egressComment: '  Table 3 has small cells ', egressRequestId: 'E 7' },
      bpmnProcessId: PROCESS_IDS.egress,
      links: createNotificationLinks('https://spe.example.org/'),
      people,
    });
    expect(Object.keys(context).sort()).toEqual([...CONTEXT_KEYS].sort());
    expect(context).toMatchObject({
      actor: 'Rita Reviewer (rita)',
      decision: 'rework requested',
      comment: 'Table 3 has small cells',
      link: 'https://spe.example.org/permits/P-1/outputs/E%207',
      permitStatus: 'analysis',
      closeReason: null,
      permitLink: 'https://spe.example.org/permits/P-1',
      validUntil: '2027-06-30 (UTC)',
      egressRequestId: 'E 7',
      days: null,
    });
  });

  it('falls back to who acted in words, and says which workspace a reminder is about from the process', () => {
    const context = buildNotificationContext({ spec: TEMPLATE_CATALOG['review-overdue'], permit, variables: { permitId: 'P-1' }, bpmnProcessId: PROCESS_IDS.setup, links: createNotificationLinks('https://x'), people });
    expect(context.actor).toBe('the research team');
    expect(context.workspace).toMatch(/^setup workspace/);
    expect(context.reviewName).toBe('review of the workspace setup');
    expect(context.comment).toBeNull();
    expect(context.link).toBe('https://x/tasks?permitId=P-1');
  });

  it('gives the days left in words for the expiry warning', () => {
    const one = buildNotificationContext({ spec: TEMPLATE_CATALOG['expiry-warning'], permit, variables: { days: 1 }, bpmnProcessId: PROCESS_IDS.analysis, links: createNotificationLinks('https://x'), people });
    expect(one).toMatchObject({ days: 1, daysLeft: '1 day' });
  });

  it('says why the permit closed in words, never the code', () => {
    const context = buildNotificationContext({ spec: TEMPLATE_CATALOG['data-deleted'], permit, variables: { closeReason: 'CLOSED_EARLY' }, bpmnProcessId: PROCESS_IDS.closure, links: createNotificationLinks('https://x'), people });
    expect(context.closeReason).toBe('the research team closed the analysis before the permit expired');
    expect(context.comment).toBeNull();
  });
});

describe('formatComment', () => {
  it('formats findings lists, text and other values', () => {
    expect(formatComment([{ path: 'a.csv', message: 'checksum mismatch' }, 'virus found', { message: 'no manifest' }])).toBe('a.csv: checksum mismatch; virus found; no manifest');
    expect(formatComment('   ')).toBeNull();
    expect(formatComment([])).toBeNull();
    expect(formatComment({ code: 42 })).toBe('{"code":42}');
    expect(formatComment(undefined)).toBeNull();
  });
});
