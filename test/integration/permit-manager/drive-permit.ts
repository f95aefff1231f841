/**
 * Drives a permit over the API to a given point of its lifecycle, the quick way: every step is a real API call
 * (and real user tasks), with waits only for the process to get where the next call needs it.
 */
import { FORM_IDS, MESSAGES } from '../../../shared/index.js';
import { as, createPermit, expectStatus, waitForStatus, waitForSubscription, waitForTask, type ApiUser, type PermitBody } from '../support/permit-manager-client.js';
import type { PermitManagerForTest } from '../support/start-permit-manager-for-test.js';

export interface Users {
  alice: ApiUser;
  rita: ApiUser;
  victor: ApiUser;
  dana: ApiUser;
  adam: ApiUser;
}

export async function usersOf(pm: PermitManagerForTest): Promise<Users> {
  const [alice, rita, victor, dana, adam] = await Promise.all(['alice', 'rita', 'victor', 'dana', 'adam'].map((id) => pm.tokenFor(id)));
  return { alice: as(pm, alice as string), rita: as(pm, rita as string), victor: as(pm, victor as string), dana: as(pm, dana as string), adam: as(pm, adam as string) };
}

export const SHA = 'c'.repeat(64);

/** DRAFT → UNDER_ASSESSMENT, with the assessment task open. */
/** Every point of each form's checklist: an approval confirms them all (the decision listener refuses it otherwise). */
export const APPLICATION_CHECKLIST = ['LEGAL_BASIS_VERIFIED', 'DATA_MINIMISATION', 'APPLICANT_VETTED', 'ETHICS_APPROVAL_PRESENT'];
export const PREPARATION_CHECKLIST = ['PSEUDONYMISED', 'MINIMISED_TO_PERMIT_SCOPE', 'CODEBOOK_PROVIDED', 'QUALITY_CHECKED'];
export const SETUP_CHECKLIST = ['SOFTWARE_FROM_APPROVED_SOURCES', 'NO_EXFILTRATION_CHANNELS', 'NO_CREDENTIALS_OR_SECRETS', 'NETWORK_CONFIGURATION_VERIFIED', 'RESOURCES_WITHIN_QUOTA'];

export async function submittedPermit(pm: PermitManagerForTest, users: Users): Promise<PermitBody> {
  const permit = await createPermit(users.alice);
  await waitForSubscription(pm, MESSAGES.applicationSubmitted, permit.id);
  expectStatus(await users.alice.post(`/permits/${permit.id}/submit`), 202, 'submit');
  await waitForTask(users.rita, permit.id, FORM_IDS.applicationAssessment);
  return waitForStatus(users.alice, permit.id, 'UNDER_ASSESSMENT');
}

/** … → WORKSPACE_SETUP_PENDING, waiting for the research team to submit its setup. */
export async function permitInSetup(pm: PermitManagerForTest, users: Users): Promise<PermitBody> {
  const permit = await submittedPermit(pm, users);
  expectStatus(await users.rita.post(`/permits/${permit.id}/review`, { stage: 'APPLICATION', decision: 'APPROVED', checklist: APPLICATION_CHECKLIST }), 201, 'approve application');
  await waitForStatus(users.alice, permit.id, 'APPROVED');
  await waitForSubscription(pm, MESSAGES.ingressInitiationRequested, permit.id);
  expectStatus(await users.rita.post(`/permits/${permit.id}/ingress`, { dataHolders: ['dana'] }), 202, 'initiate ingress');
  await waitForSubscription(pm, MESSAGES.ingressUploadConfirmed, `${permit.id}/dana`);
  const manifest = { files: [{ path: 'raw/cohort.csv', sha256: SHA, sizeBytes: 4096 }] };
  expectStatus(await users.dana.post(`/permits/${permit.id}/ingress/uploads`, { manifest }), 202, 'confirm upload');
  const signoff = await waitForTask(users.rita, permit.id, FORM_IDS.dataPreparationSignoff);
  expectStatus(
    await users.rita.post(`/tasks/${signoff.userTaskKey}/complete`, { variables: { preparationOutcome: 'PREPARED', preparationConfirmed: true, preparationChecklist: PREPARATION_CHECKLIST } }),
    200,
    'sign off data preparation',
  );
  await waitForSubscription(pm, MESSAGES.setupSubmitted, permit.id);
  return waitForStatus(users.alice, permit.id, 'WORKSPACE_SETUP_PENDING');
}

/** … → WORKSPACE_SETUP_REVIEW_PENDING, with the setup review task open. */
export async function permitInSetupReview(pm: PermitManagerForTest, users: Users): Promise<PermitBody> {
  const permit = await permitInSetup(pm, users);
  expectStatus(await users.alice.post(`/permits/${permit.id}/workspace/submit-for-review`, { note: 'R 4.4 and renv installed' }), 202, 'submit setup');
  await waitForTask(users.rita, permit.id, FORM_IDS.setupReview);
  return waitForStatus(users.alice, permit.id, 'WORKSPACE_SETUP_REVIEW_PENDING');
}

/** … → ANALYSIS_ACTIVE. */
export async function permitInAnalysis(pm: PermitManagerForTest, users: Users): Promise<PermitBody> {
  const permit = await permitInSetupReview(pm, users);
  expectStatus(await users.rita.post(`/permits/${permit.id}/review`, { stage: 'SETUP', decision: 'APPROVED', checklist: SETUP_CHECKLIST }), 201, 'approve setup');
  return waitForStatus(users.alice, permit.id, 'ANALYSIS_ACTIVE');
}
