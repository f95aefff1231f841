import { describe, expect, it } from 'vitest';
import { toEgressRequest } from './egress-request-rows.js';

const at = new Date('2026-04-01T08:30:00.123Z');

describe('egress request rows', () => {
  it('map an output request with its files, absent disclosure checks as null', () => {
    expect(
      toEgressRequest({ id: 'e1', permit_id: 'p1', status: 'DRAFT', title: 't', files: [{ path: 'a.csv' }], disclosure_checks: null, required_reviews: 2, required_reviews_reason: 'A file failed the checks.', created_by: 'alice', submitted_by: null, created_at: at, updated_at: at, version: 1 }),
    ).toMatchObject({ files: [{ path: 'a.csv' }], requiredReviews: 2, requiredReviewsReason: 'A file failed the checks.', disclosureChecks: null });
  });
});
