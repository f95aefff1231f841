/** BPMN process ids of the series (`bpmn/`). The file names in `bpmn/` follow the same order. */
export const PROCESS_IDS = {
  lifecycle: 'spe-permit-lifecycle',
  application: 'spe-permit-application',
  ingress: 'spe-data-ingress',
  setup: 'spe-environment-setup',
  analysis: 'spe-analysis-operation',
  egress: 'spe-output-review',
  amendment: 'spe-permit-amendment',
  closure: 'spe-permit-closure',
} as const;

export type ProcessId = (typeof PROCESS_IDS)[keyof typeof PROCESS_IDS];

/** BPMN file of each process, relative to `bpmn/`. */
export const PROCESS_FILES = {
  [PROCESS_IDS.lifecycle]: '0-permit-lifecycle.bpmn',
  [PROCESS_IDS.application]: '1-permit-application.bpmn',
  [PROCESS_IDS.ingress]: '2-data-ingress-preparation.bpmn',
  [PROCESS_IDS.setup]: '3-environment-setup-review.bpmn',
  [PROCESS_IDS.analysis]: '4-analysis-operation.bpmn',
  [PROCESS_IDS.egress]: '5-output-review-release.bpmn',
  [PROCESS_IDS.amendment]: '6-amendment-suspension-revocation.bpmn',
  [PROCESS_IDS.closure]: '7-closure-archival-deletion.bpmn',
} as const satisfies Record<ProcessId, string>;
