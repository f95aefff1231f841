/**
 * Drives a permit over the API to a given point of its lifecycle, the quick way: every step is a real API call
 * (and real user tasks), with waits only for the process to get where the next call needs it.
 */
import { createHash } from 'node:crypto';
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

const COHORT_PATH = 'raw/cohort.csv';
const COHORT = Buffer.from('person_id,age_band,outcome\n1,50-59,0\n2,60-69,1\n');

/** Uploads `bytes` as one file of `userId`'s delivery into quarantine (tus: create, then one PATCH). */
export async function uploadIntoQuarantine(pm: PermitManagerForTest, userId: string, permitId: string, path: string, bytes: Buffer): Promise<void> {
  const token = await pm.tokenFor(userId);
  const base = `${pm.baseUrl}/api/permits/${permitId}/ingress/files`;
  const common = { authorization: `Bearer ${token}`, 'tus-resumable': '1.0.0' };
  const created = await fetch(base, { method: 'POST', headers: { ...common, 'upload-length': String(bytes.length), 'upload-metadata': `relativePath ${Buffer.from(path).toString('base64')}` } });
  if (created.status !== 201) throw new Error(`tus create for ${path}: HTTP ${created.status} ${await created.text()}`);
  const location = new URL(created.headers.get('location') ?? '', base).toString();
  const patched = await fetch(location, { method: 'PATCH', headers: { ...common, 'upload-offset': '0', 'content-type': 'application/offset+octet-stream' }, body: bytes });
  if (patched.status !== 204) throw new Error(`tus upload of ${path}: HTTP ${patched.status} ${await patched.text()}`);
}

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
  await uploadIntoQuarantine(pm, 'dana', permit.id, COHORT_PATH, COHORT);
  const manifest = { files: [{ path: COHORT_PATH, sha256: createHash('sha256').update(COHORT).digest('hex'), sizeBytes: COHORT.length }] };
  expectStatus(await users.dana.post(`/permits/${permit.id}/ingress/uploads`, { manifest }), 202, 'confirm upload');
  // No malware scanner in the tests: the file is not scanned, so the delivery waits for an explicit HDAB decision.
  const exception = await waitForTask(users.rita, permit.id, FORM_IDS.ingressException);
  expectStatus(
    await users.rita.post(`/tasks/${exception.userTaskKey}/complete`, {
      variables: { ingressExceptionDecision: 'RELEASE_FROM_QUARANTINE', ingressExceptionComment: 'Checksum matches; no scanner in the test platform.' },
    }),
    200,
    'release the delivery from quarantine',
  );
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
