/** Camunda Form ids (`forms/<id>.form`), linked from user tasks by `zeebe:formDefinition formId`. */
export const FORM_IDS = {
  applicationAssessment: 'application-assessment',
  ingressException: 'ingress-exception',
  dataPreparationSignoff: 'data-preparation-signoff',
  provisioningException: 'provisioning-exception',
  setupReview: 'setup-review',
  egressReview: 'egress-review',
  amendmentAssessment: 'amendment-assessment',
} as const;

export type FormId = (typeof FORM_IDS)[keyof typeof FORM_IDS];
export const ALL_FORM_IDS: readonly FormId[] = Object.values(FORM_IDS);

/** Candidate groups of user tasks; the REST API maps token roles onto them (`ROLE_GROUPS`). */
export const CANDIDATE_GROUPS = {
  hdabReviewers: 'hdab-reviewers',
  hdabDataStewards: 'hdab-data-stewards',
  operators: 'spe-operators',
} as const;

export type CandidateGroup = (typeof CANDIDATE_GROUPS)[keyof typeof CANDIDATE_GROUPS];
