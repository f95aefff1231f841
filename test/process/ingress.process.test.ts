/**
 * BPMN 2 "Data Ingress & Preparation" (`bpmn/2-data-ingress-preparation.bpmn`) on the embedded engine with fake
 * workers: the HDAB opens the ingress airlock, each data holder's delivery is received, scanned and checked in
 * parallel (a failed check blocks that delivery until a data steward decides), and the HDAB prepares the data and
 * signs the preparation off before both workspaces are torn down.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  BPMN_ERRORS,
  CANDIDATE_GROUPS,
  EVENTS,
  MESSAGES,
  PROCESS_IDS,
  TASK_HEADERS,
  TASK_TYPES,
  canTransition,
  type PermitStatus,
} from '../../shared/index.js';
import { startProcessTest, type ProcessTest } from './support/process-harness.js';
import { forPermit } from './support/job-matchers.js';

const INITIATION_EVENT = 'Event_IngressInitiationRequested';
const AWAIT_UPLOAD = 'Activity_AwaitUpload';
const EXCEPTION_TASK = 'Task_HandleBlockedDelivery';
const PREPARATION_TASK = 'Task_PrepareData';
const DAY_MS = 24 * 60 * 60 * 1000;

/** Decisions of the ingress-exception form (`ingressExceptionDecision`). */
type IngressExceptionDecision = 'REQUEST_NEW_UPLOAD' | 'RELEASE_FROM_QUARANTINE' | 'ABORT_INGRESS';

// One engine for the file: every test uses its own permit id, and the clock is reset after each test.
let t: ProcessTest;

beforeAll(async () => {
  t = await startProcessTest();
});

afterEach(async () => {
  await t.resetClock();
});

afterAll(async () => {
  await t?.stop();
});

const headersOf = (type: (typeof TASK_TYPES)[keyof typeof TASK_TYPES], permitId: string, header: string) =>
  t.jobsOf(type, forPermit(permitId)).map((job) => job.headers[header]);
const manifest = (holder: string) => ({ files: [{ path: `${holder}/cohort.parquet`, sha256: `sha-${holder}` }] });

async function startIngress(permitId: string, dataHolders: string[]): Promise<string> {
  const key = await t.startProcess(PROCESS_IDS.ingress, { permitId });
  await t.waitForActiveElement(key, INITIATION_EVENT);
  await t.correlate(MESSAGES.ingressInitiationRequested, permitId, { dataHolders, initiatedBy: 'rita' });
  return key;
}

/** Waits until `count` deliveries wait for their upload (their subscriptions are open). */
async function waitForUploadWaits(processInstanceKey: string, count: number) {
  await t.waitFor(
    async () => (await t.elementInstances(processInstanceKey)).filter((e) => e.elementId === AWAIT_UPLOAD && e.state === 'ACTIVE').length === count,
    { message: `${count} deliveries waiting for an upload` },
  );
}

async function confirmUpload(permitId: string, holder: string) {
  await t.correlate(MESSAGES.ingressUploadConfirmed, `${permitId}/${holder}`, { uploadManifest: manifest(holder), confirmedBy: holder });
}

/** Makes the fake scanner fail the first scan of `holder`'s upload for this permit with INGRESS_CHECK_FAILED. */
function failFirstScanOf(permitId: string, holder: string) {
  let failed = false;
  t.handle(TASK_TYPES.workspaceScanIngress, async (job, recorded) => {
    if (recorded.variables.permitId !== permitId || recorded.variables.dataHolder !== holder || failed) return {};
    failed = true;
    return job.error({ errorCode: BPMN_ERRORS.ingressCheckFailed, errorMessage: 'Checksum of cohort.parquet does not match the manifest' });
  });
}

async function handleBlockedDelivery(processInstanceKey: string, decision: IngressExceptionDecision) {
  const task = await t.waitForUserTask({ processInstanceKey, elementId: EXCEPTION_TASK });
  expect(task.candidateGroups).toEqual([CANDIDATE_GROUPS.hdabDataStewards]);
  await t.completeUserTask(task.userTaskKey, { ingressExceptionDecision: decision, ingressExceptionComment: `Decided: ${decision}` });
}

async function signOffPreparation(processInstanceKey: string) {
  const task = await t.waitForUserTask({ processInstanceKey, elementId: PREPARATION_TASK });
  expect(task.candidateGroups).toEqual([CANDIDATE_GROUPS.hdabDataStewards]);
  await t.completeUserTask(task.userTaskKey, {
    preparationOutcome: 'PREPARED',
    preparationChecklist: ['PSEUDONYMISED', 'MINIMISED_TO_PERMIT_SCOPE', 'CODEBOOK_PROVIDED', 'QUALITY_CHECKED'],
    preparationNotes: 'Linked on the pseudonymised person id',
    preparationConfirmed: true,
  });
}

describe('2 Data Ingress & Preparation', () => {
  it('receives, scans and accepts the delivery of every data holder, then prepares the data and tears the workspaces down', async () => {
    const permitId = 'P-ingress-happy';
    const key = await startIngress(permitId, ['dana', 'dora']);
    await waitForUploadWaits(key, 2);
    expect(t.statusesSet(permitId)).toEqual<PermitStatus[]>(['DATA_INGRESS_PENDING']);
    const pending = t.jobsOf(TASK_TYPES.permitSetStatus, forPermit(permitId))[0];
    expect(pending?.headers[TASK_HEADERS.event]).toBe(EVENTS.ingressInitiated);

    await confirmUpload(permitId, 'dana');
    await confirmUpload(permitId, 'dora');
    await signOffPreparation(key);
    await t.waitForProcessState(key, 'COMPLETED');

    // Each scan sees its own data holder's manifest, not the other delivery's.
    const scans = t.jobsOf(TASK_TYPES.workspaceScanIngress, forPermit(permitId));
    expect(scans.map((job) => [job.variables.dataHolder, job.variables.uploadManifest]).sort()).toEqual([
      ['dana', manifest('dana')],
      ['dora', manifest('dora')],
    ]);
    expect(t.statusesSet(permitId)).toEqual<PermitStatus[]>([
      'DATA_INGRESS_PENDING',
      'DATA_INGRESS_IN_PROGRESS',
      'DATA_INGRESS_IN_PROGRESS',
      'DATA_PREPARATION_PENDING',
    ]);
    const preparationPending = t.jobsOf(TASK_TYPES.permitSetStatus, forPermit(permitId)).at(-1);
    expect(preparationPending?.headers[TASK_HEADERS.event]).toBe(EVENTS.ingressCompleted);
    expect(headersOf(TASK_TYPES.workspaceProvision, permitId, TASK_HEADERS.phase)).toEqual(['ingress', 'preprocessing']);
    expect(headersOf(TASK_TYPES.workspaceTeardown, permitId, TASK_HEADERS.phase)).toEqual(['preprocessing', 'ingress']);
    expect(headersOf(TASK_TYPES.permitPublishEvent, permitId, TASK_HEADERS.event)).toEqual([EVENTS.preparationCompleted]);
    expect(headersOf(TASK_TYPES.notificationSend, permitId, TASK_HEADERS.template)).toEqual(['ingress-initiated', 'ingress-completed']);

    const variables = await t.variables(key);
    expect(variables.ingressOutcome).toBe('COMPLETED');
    expect(variables.deliveries).toEqual([
      { dataHolder: 'dana', uploadManifest: manifest('dana'), confirmedBy: 'dana' },
      { dataHolder: 'dora', uploadManifest: manifest('dora'), confirmedBy: 'dora' },
    ]);
    // Per-delivery variables stay local to their delivery.
    expect(variables).not.toHaveProperty('uploadManifest');
    expect(variables).not.toHaveProperty('dataHolder');
  });

  it('blocks a delivery whose scan fails and waits for a new upload when the data steward asks for one', async () => {
    const permitId = 'P-ingress-new-upload';
    failFirstScanOf(permitId, 'dora');
    const key = await startIngress(permitId, ['dana', 'dora']);
    await waitForUploadWaits(key, 2);
    await confirmUpload(permitId, 'dana');
    await t.waitForJob(TASK_TYPES.workspaceScanIngress, (job) => forPermit(permitId)(job) && job.variables.dataHolder === 'dana');
    await confirmUpload(permitId, 'dora');

    await t.waitForUserTask({ processInstanceKey: key, elementId: EXCEPTION_TASK });
    expect(t.statusesSet(permitId)).toEqual<PermitStatus[]>(['DATA_INGRESS_PENDING', 'DATA_INGRESS_IN_PROGRESS', 'DATA_INGRESS_IN_PROGRESS', 'DATA_INGRESS_BLOCKED']);
    const blocked = t.jobsOf(TASK_TYPES.permitSetStatus, forPermit(permitId)).at(-1);
    expect(blocked?.headers[TASK_HEADERS.event]).toBe(EVENTS.ingressBlocked);
    const warning = t.jobsOf(TASK_TYPES.notificationSend, (job) => forPermit(permitId)(job) && job.headers[TASK_HEADERS.template] === 'ingress-blocked');
    expect(warning.map((job) => [job.headers[TASK_HEADERS.audience], job.variables.dataHolder])).toEqual([['hdab-and-data-holders', 'dora']]);

    await handleBlockedDelivery(key, 'REQUEST_NEW_UPLOAD');
    await waitForUploadWaits(key, 1);
    await confirmUpload(permitId, 'dora');
    await signOffPreparation(key);
    await t.waitForProcessState(key, 'COMPLETED');

    expect(t.statusesSet(permitId)).toEqual<PermitStatus[]>([
      'DATA_INGRESS_PENDING',
      'DATA_INGRESS_IN_PROGRESS',
      'DATA_INGRESS_IN_PROGRESS',
      'DATA_INGRESS_BLOCKED',
      'DATA_INGRESS_PENDING',
      'DATA_INGRESS_IN_PROGRESS',
      'DATA_PREPARATION_PENDING',
    ]);
    expect(t.jobsOf(TASK_TYPES.workspaceScanIngress, forPermit(permitId)).map((job) => job.variables.dataHolder)).toEqual(['dana', 'dora', 'dora']);
    expect(t.jobsOf(TASK_TYPES.workspacePromoteDelivery, forPermit(permitId)), 'a new upload is scanned again, never promoted by the steward').toEqual([]);
    // dora's delivery keeps the steward's reason for a next exception form, with its decision cleared; dana's knows nothing of it.
    const rescan = t.jobsOf(TASK_TYPES.workspaceScanIngress, forPermit(permitId)).at(-1);
    expect(rescan?.variables).toMatchObject({ previousIngressExceptionComment: 'Decided: REQUEST_NEW_UPLOAD', ingressExceptionDecision: null, ingressExceptionComment: null });
    expect(t.jobsOf(TASK_TYPES.workspaceScanIngress, forPermit(permitId))[0]?.variables.previousIngressExceptionComment).toBeNull();
    const variables = await t.variables(key);
    expect(variables.ingressOutcome).toBe('COMPLETED');
    expect(variables, 'the exception decision belongs to the one delivery').not.toHaveProperty('ingressExceptionDecision');
    expect(variables, 'and so does the earlier reason').not.toHaveProperty('previousIngressExceptionComment');
  });

  it('continues with a blocked delivery that the data steward releases from quarantine', async () => {
    const permitId = 'P-ingress-released';
    failFirstScanOf(permitId, 'dana');
    const key = await startIngress(permitId, ['dana']);
    await waitForUploadWaits(key, 1);
    await confirmUpload(permitId, 'dana');

    await handleBlockedDelivery(key, 'RELEASE_FROM_QUARANTINE');
    await signOffPreparation(key);
    await t.waitForProcessState(key, 'COMPLETED');

    expect(t.statusesSet(permitId), 'out of blocked only through in progress, as the status machine allows').toEqual<PermitStatus[]>([
      'DATA_INGRESS_PENDING',
      'DATA_INGRESS_IN_PROGRESS',
      'DATA_INGRESS_BLOCKED',
      'DATA_INGRESS_IN_PROGRESS',
      'DATA_PREPARATION_PENDING',
    ]);
    const trail: PermitStatus[] = ['APPROVED', ...(t.statusesSet(permitId) as PermitStatus[])];
    expect(trail.slice(1).filter((to, i) => !canTransition(trail[i]!, to)), 'status changes the permit status machine forbids').toEqual([]);
    expect(t.jobsOf(TASK_TYPES.workspaceScanIngress, forPermit(permitId))).toHaveLength(1);
    const promotions = t.jobsOf(TASK_TYPES.workspacePromoteDelivery, forPermit(permitId));
    expect(promotions, 'the released files are promoted to raw exactly once').toHaveLength(1);
    expect(promotions[0]?.variables).toMatchObject({ dataHolder: 'dana', ingressExceptionDecision: 'RELEASE_FROM_QUARANTINE', ingressExceptionComment: 'Decided: RELEASE_FROM_QUARANTINE' });
    expect((await t.variables(key)).ingressOutcome).toBe('COMPLETED');
  });

  it('aborts the whole ingress, cancelling the other deliveries, when the data steward aborts a blocked delivery', async () => {
    const permitId = 'P-ingress-aborted';
    failFirstScanOf(permitId, 'dora');
    const key = await startIngress(permitId, ['dana', 'dora']);
    await waitForUploadWaits(key, 2);
    await confirmUpload(permitId, 'dora');

    await handleBlockedDelivery(key, 'ABORT_INGRESS');
    await t.waitForProcessState(key, 'COMPLETED');

    expect((await t.variables(key)).ingressOutcome).toBe('ABORTED');
    const elements = await t.elementInstances(key);
    expect(elements.filter((e) => e.elementId === AWAIT_UPLOAD).map((e) => e.state).sort(), "dana's upload is no longer awaited").toEqual(['COMPLETED', 'TERMINATED']);
    expect(t.statusesSet(permitId)).toEqual<PermitStatus[]>(['DATA_INGRESS_PENDING', 'DATA_INGRESS_IN_PROGRESS', 'DATA_INGRESS_BLOCKED']);
    expect(headersOf(TASK_TYPES.workspaceProvision, permitId, TASK_HEADERS.phase)).toEqual(['ingress']);
    expect(headersOf(TASK_TYPES.workspaceTeardown, permitId, TASK_HEADERS.phase), 'the ingress airlock is closed').toEqual(['ingress']);
    expect(t.jobsOf(TASK_TYPES.permitPublishEvent, forPermit(permitId))).toEqual([]);
  });

  it('ends the ingress as aborted, with both workspaces torn down and everyone told why, when the data cannot be prepared', async () => {
    const permitId = 'P-ingress-not-preparable';
    const key = await startIngress(permitId, ['dana']);
    await waitForUploadWaits(key, 1);
    await confirmUpload(permitId, 'dana');
    const task = await t.waitForUserTask({ processInstanceKey: key, elementId: PREPARATION_TASK });
    await t.completeUserTask(task.userTaskKey, { preparationOutcome: 'CANNOT_BE_PREPARED', preparationProblem: 'The delivery covers 2015-2018, the permit 2019-2023' });
    await t.waitForProcessState(key, 'COMPLETED');

    // The parent reads ABORTED and goes straight to closure (closeReason INGRESS_ABORTED).
    expect((await t.variables(key)).ingressOutcome).toBe('ABORTED');
    expect(headersOf(TASK_TYPES.workspaceTeardown, permitId, TASK_HEADERS.phase)).toEqual(['preprocessing', 'ingress']);
    const told = t.jobsOf(TASK_TYPES.notificationSend, (job) => forPermit(permitId)(job) && job.headers[TASK_HEADERS.template] === 'preparation-failed');
    expect(told).toHaveLength(1);
    expect(told[0]?.headers[TASK_HEADERS.audience]).toBe('everyone');
    expect(told[0]?.variables.preparationProblem).toBe('The delivery covers 2015-2018, the permit 2019-2023');
    // Nothing announces prepared data, and the permit stays where it was until closure takes over.
    expect(headersOf(TASK_TYPES.permitPublishEvent, permitId, TASK_HEADERS.event)).toEqual([]);
    expect(t.statusesSet(permitId).at(-1)).toBe('DATA_PREPARATION_PENDING');
    const ends = (await t.elementInstances(key)).filter((e) => e.elementId === 'Event_DataNotPrepared');
    expect(ends).toHaveLength(1);
  });

  it('reminds each data holder every three days until the upload is confirmed', async () => {
    const permitId = 'P-ingress-reminder';
    const key = await startIngress(permitId, ['dana', 'dora']);
    await waitForUploadWaits(key, 2);

    await t.pinClock(Date.now() + 3 * DAY_MS + 60_000);
    const reminders = await t.waitFor(
      () => {
        const sent = t.jobsOf(TASK_TYPES.notificationSend, (job) => forPermit(permitId)(job) && job.headers[TASK_HEADERS.template] === 'upload-overdue');
        return sent.length === 2 && sent;
      },
      { message: 'two upload reminders' },
    );
    expect(reminders.map((job) => job.variables.dataHolder).sort()).toEqual(['dana', 'dora']);
    expect(reminders.every((job) => job.headers[TASK_HEADERS.audience] === 'data-holders')).toBe(true);

    await t.api.cancelProcessInstance({ processInstanceKey: t.key(key) });
    await t.waitForProcessState(key, 'TERMINATED');
  });
});
