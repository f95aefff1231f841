/**
 * Messages the portal (through the Permit Manager's REST API) sends into running processes, with the
 * correlation key each catch event uses and the variables the message carries. One is sent by a worker instead:
 * `permit.validity-changed`, published by `permit.apply-amendment` when an amendment moves the permit's end date.
 */
export const MESSAGES = {
  applicationSubmitted: 'application.submitted',
  applicationInfoProvided: 'application.info-provided',
  applicationWithdrawn: 'application.withdrawn',
  ingressInitiationRequested: 'ingress.initiation-requested',
  ingressUploadConfirmed: 'ingress.upload-confirmed',
  setupSubmitted: 'workspace.setup-submitted',
  egressRequestSubmitted: 'egress.request-submitted',
  egressRequestResubmitted: 'egress.request-resubmitted',
  analysisCloseRequested: 'analysis.close-requested',
  suspensionRequested: 'permit.suspension-requested',
  resumeRequested: 'permit.resume-requested',
  revocationRequested: 'permit.revocation-requested',
  amendmentRequested: 'permit.amendment-requested',
  validityChanged: 'permit.validity-changed',
} as const;

export type MessageName = (typeof MESSAGES)[keyof typeof MESSAGES];

/**
 * How each message is correlated (the FEEL of the catch event's `zeebe:subscription correlationKey`), and the
 * variables it carries. `docs/processes.md` renders this table; a test checks the diagrams agree with it.
 */
export const MESSAGE_CONTRACTS = {
  // The application as submitted (it may have been edited as a DRAFT since the lifecycle started): the application
  // process takes these over, and hands title, purpose and grace period back to the lifecycle for the later phases.
  [MESSAGES.applicationSubmitted]: { correlationKey: '=permitId', variables: ['submittedBy', 'permitTitle', 'permitPurpose', 'validUntil', 'deletionGracePeriod'] },
  [MESSAGES.applicationInfoProvided]: { correlationKey: '=permitId', variables: ['applicantResponse', 'submittedBy'] },
  [MESSAGES.applicationWithdrawn]: { correlationKey: '=permitId', variables: ['withdrawnBy', 'reason'] },
  [MESSAGES.ingressInitiationRequested]: { correlationKey: '=permitId', variables: ['dataHolders', 'initiatedBy'] },
  [MESSAGES.ingressUploadConfirmed]: { correlationKey: '=permitId + "/" + dataHolder', variables: ['uploadManifest', 'confirmedBy'] },
  [MESSAGES.setupSubmitted]: { correlationKey: '=permitId', variables: ['setupSubmittedBy', 'setupSubmissionNote'] },
  [MESSAGES.egressRequestSubmitted]: {
    correlationKey: '=permitId',
    variables: ['egressRequestId', 'egressSubmittedBy', 'egressSubmitterName', 'egressTitle', 'egressFiles', 'disclosureChecks'],
  },
  [MESSAGES.egressRequestResubmitted]: {
    correlationKey: '=egressRequestId',
    variables: ['egressSubmittedBy', 'egressSubmitterName', 'egressTitle', 'egressFiles', 'disclosureChecks'],
  },
  [MESSAGES.analysisCloseRequested]: { correlationKey: '=permitId', variables: ['closeRequestedBy', 'closeReason'] },
  [MESSAGES.suspensionRequested]: { correlationKey: '=permitId', variables: ['suspensionReason', 'suspendedBy'] },
  [MESSAGES.resumeRequested]: { correlationKey: '=permitId', variables: ['resumedBy', 'resumeReason'] },
  [MESSAGES.revocationRequested]: { correlationKey: '=permitId', variables: ['revocationReason', 'revokedBy'] },
  [MESSAGES.amendmentRequested]: { correlationKey: '=permitId', variables: ['amendment', 'amendmentRequestedBy', 'amendmentRequesterName'] },
  [MESSAGES.validityChanged]: { correlationKey: '=permitId', variables: ['validUntil'] },
} as const satisfies Record<MessageName, { correlationKey: string; variables: readonly string[] }>;
