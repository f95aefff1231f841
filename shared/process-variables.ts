/**
 * Process variables the Permit Manager's workers read. `permitId` is on every instance of the series (the contract
 * in docs/processes); the others are set by the lifecycle's start, by messages (`MESSAGE_CONTRACTS`) or by user
 * tasks (`REVIEW_VARIABLES`).
 */
export const PROCESS_VARIABLES = {
  permitId: 'permitId',
  /** Lifecycle start: the permit's end of validity (ISO date-time). */
  validUntil: 'validUntil',
  /** Lifecycle start: the permit's title, shown on the reviewers' forms. */
  permitTitle: 'permitTitle',
  /** Lifecycle start: the name of the researcher who applied, shown on the reviewers' forms. */
  applicantName: 'applicantName',
  /** Lifecycle start: the purpose the applicant declared, shown on the application assessment form. */
  permitPurpose: 'permitPurpose',
  /** Output review (BPMN 5): the egress request under review. */
  egressRequestId: 'egressRequestId',
  /**
   * Output review (BPMN 5): every review of the request so far, oldest first, `{ reviewer, decision, checks,
   * comment }` (appended when each review is recorded), so a later reviewer sees the earlier ones.
   */
  egressReviews: 'egressReviews',
  /**
   * Output review (BPMN 5): what the HDAB's output release policy (decision `spe-output-release-policy`,
   * bpmn/output-release-policy.dmn) decided for this review round, `{ requiredReviews: 1 | 2, reason }`.
   */
  egressReleasePolicy: 'egressReleasePolicy',
  /** Amendment (BPMN 6): what to change, `{ validUntil?, addMembers?, removeMembers? }`. */
  amendment: 'amendment',
} as const;
