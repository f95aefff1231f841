import { describe, expect, it } from 'vitest';
import { toReviewDecision } from './review-decision-rows.js';

const at = new Date('2026-04-01T08:30:00.123Z');

describe('review decision rows', () => {
  it('map a decision, an absent checklist as null', () => {
    expect(
      toReviewDecision({ id: 'r1', permit_id: 'p1', stage: 'EGRESS', decision: 'APPROVED', comment: null, checklist: undefined, reviewer: 'rita', submitted_by: 'alice', egress_request_id: 'e1', user_task_key: '9', decided_at: at }),
    ).toMatchObject({ stage: 'EGRESS', checklist: null, submittedBy: 'alice', egressRequestId: 'e1', userTaskKey: '9', decidedAt: at.toISOString() });
  });
});
