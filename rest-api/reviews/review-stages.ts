/**
 * Per review stage: the permit action that guards it, the process whose user task takes the decision, the form
 * that task shows, and where the reviewed submission's author is recorded (a process variable the submitting
 * message carried). The variable names are checked against MESSAGE_CONTRACTS at compile time.
 */
import { FORM_IDS, MESSAGES, PROCESS_IDS, type FormId, type MessageName, type ProcessId, type ReviewStage } from '../../shared/index.js';
import type { PermitAction } from '../permits/permit-actions.js';
import type { MessageVariableName } from '../permits/permit-messages.js';

export interface SubmitterSource {
  message: MessageName;
  variable: string;
}

function submitter<M extends MessageName>(message: M, variable: MessageVariableName<M>): SubmitterSource {
  return { message, variable };
}

export interface StageReview {
  action: PermitAction;
  processId: ProcessId;
  formId: FormId;
  /** Who submitted what is being reviewed. */
  submitter: SubmitterSource;
}

export const STAGE_REVIEWS = {
  APPLICATION: {
    action: 'review-application',
    processId: PROCESS_IDS.application,
    formId: FORM_IDS.applicationAssessment,
    submitter: submitter(MESSAGES.applicationSubmitted, 'submittedBy'),
  },
  SETUP: {
    action: 'review-setup',
    processId: PROCESS_IDS.setup,
    formId: FORM_IDS.setupReview,
    submitter: submitter(MESSAGES.setupSubmitted, 'setupSubmittedBy'),
  },
  EGRESS: {
    action: 'review-egress',
    processId: PROCESS_IDS.egress,
    formId: FORM_IDS.egressReview,
    submitter: submitter(MESSAGES.egressRequestSubmitted, 'egressSubmittedBy'),
  },
  AMENDMENT: {
    action: 'review-amendment',
    processId: PROCESS_IDS.amendment,
    formId: FORM_IDS.amendmentAssessment,
    submitter: submitter(MESSAGES.amendmentRequested, 'amendmentRequestedBy'),
  },
} as const satisfies Record<ReviewStage, StageReview>;

/** The review stage whose user tasks use this form, if any. */
export function stageOfForm(formId: string | undefined): ReviewStage | undefined {
  return (Object.keys(STAGE_REVIEWS) as ReviewStage[]).find((stage) => STAGE_REVIEWS[stage].formId === formId);
}
