/**
 * BPMN 0 "Permit Lifecycle" (`bpmn/0-permit-lifecycle.bpmn`) calling the real phase processes (1–7) on the
 * embedded engine with fake workers: a permit goes from application to closure, ends early when the application
 * is not issued, the ingress is aborted or the workspace is not approved, and is suspended, amended or revoked
 * through the parent's event sub-processes while a phase runs. Timers (permit expiry, the deletion grace period)
 * are driven with the engine's test clock.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  BPMN_ERRORS,
  MESSAGES,
  PERMIT_STATUSES,
  PROCESS_IDS,
  REVIEW_VARIABLES,
  TASK_HEADERS,
  TASK_TYPES,
  canTransition,
  type PermitStatus,
  type ProcessId,
} from '../../shared/index.js';
import { startProcessTest, type ProcessTest } from './support/process-harness.js';
import { forPermit } from './support/job-matchers.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/** Wait states of the phase processes the test drives (element ids of bpmn/1–7). */
const WAIT = {
  applicationSubmitted: 'Event_ApplicationSubmitted',
  assessApplication: 'Task_AssessApplication',
  ingressInitiation: 'Event_IngressInitiationRequested',
  awaitUpload: 'Activity_AwaitUpload',
  handleBlockedDelivery: 'Task_HandleBlockedDelivery',
  prepareData: 'Task_PrepareData',
  setupSubmitted: 'Event_SetupSubmitted',
  reviewSetup: 'Task_ReviewSetup',
  analysisInProgress: 'Activity_AnalysisInProgress',
  reviewOutput: 'Task_ReviewOutput',
  resumeRequested: 'Event_ResumeRequested',
  assessAmendment: 'Task_AssessAmendment',
  gracePeriod: 'Event_GracePeriodOver',
} as const;

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


/**
 * The permit's statuses in the order the fakes were asked to set them: `permit.set-status`, `permit.issue`
 * (APPROVED) and `permit.restore-status` (back to the status before the suspension).
 */
function statusTrail(permitId: string): PermitStatus[] {
  const trail: PermitStatus[] = [];
  for (const job of t.jobs.filter(forPermit(permitId))) {
    if (job.type === TASK_TYPES.permitSetStatus) trail.push(job.headers[TASK_HEADERS.status] as PermitStatus);
    else if (job.type === TASK_TYPES.permitIssue) trail.push('APPROVED');
    else if (job.type === TASK_TYPES.permitRestoreStatus) {
      const suspendedAt = trail.lastIndexOf('SUSPENDED');
      const before = trail[suspendedAt - 1];
      if (before) trail.push(before);
    }
  }
  return trail;
}

/** Every step of the trail, starting from DRAFT, is allowed by the permit status machine. */
function expectLegalTrail(trail: PermitStatus[]) {
  for (const status of trail) expect(PERMIT_STATUSES).toContain(status);
  const steps = (['DRAFT', ...trail] as PermitStatus[]).slice(0, -1).map((from, i) => [from, trail[i]!] as const);
  const illegal = steps.filter(([from, to]) => !canTransition(from, to));
  expect(illegal, 'status changes the permit status machine forbids').toEqual([]);
}

/** The (first) instance of `processId` called by the lifecycle instance `parentKey`, once it exists. */
async function childOf(parentKey: string, processId: ProcessId, state: 'ACTIVE' | 'COMPLETED' | 'TERMINATED' = 'ACTIVE'): Promise<string> {
  const child = await t.waitFor(
    async () => (await t.instancesOf(processId)).find((i) => String(i.parentProcessInstanceKey) === parentKey && i.state === state),
    { message: `a ${state} ${processId} instance called by ${parentKey}` },
  );
  return String(child.processInstanceKey);
}

async function childrenOf(parentKey: string, processId: ProcessId) {
  return (await t.instancesOf(processId)).filter((i) => String(i.parentProcessInstanceKey) === parentKey);
}

async function completeTask(permitId: string, elementId: string, variables: Record<string, unknown>) {
  const task = await t.waitForUserTask({ permitId, elementId });
  await t.completeUserTask(task.userTaskKey, variables);
}

async function startLifecycle(permitId: string, extra: Record<string, unknown> = {}): Promise<{ key: string; validUntil: number }> {
  const validUntil = Date.now() + 180 * DAY_MS;
  const key = await t.startProcess(PROCESS_IDS.lifecycle, { permitId, validUntil: new Date(validUntil).toISOString(), ...extra });
  return { key, validUntil };
}

async function issuePermit(key: string, permitId: string) {
  const application = await childOf(key, PROCESS_IDS.application);
  await t.waitForActiveElement(application, WAIT.applicationSubmitted);
  await t.correlate(MESSAGES.applicationSubmitted, permitId, { submittedBy: 'alice' });
  await completeTask(permitId, WAIT.assessApplication, { [REVIEW_VARIABLES.APPLICATION.decision]: 'APPROVED', [REVIEW_VARIABLES.APPLICATION.reviewer]: 'rita' });
}

async function startIngress(key: string, permitId: string): Promise<string> {
  const ingress = await childOf(key, PROCESS_IDS.ingress);
  await t.waitForActiveElement(ingress, WAIT.ingressInitiation);
  await t.correlate(MESSAGES.ingressInitiationRequested, permitId, { dataHolders: ['dana'], initiatedBy: 'rita' });
  await t.waitForActiveElement(ingress, WAIT.awaitUpload);
  await t.correlate(MESSAGES.ingressUploadConfirmed, `${permitId}/dana`, { uploadManifest: { files: ['cohort.parquet'] }, confirmedBy: 'dana' });
  return ingress;
}

async function prepareData(permitId: string) {
  await completeTask(permitId, WAIT.prepareData, {
    preparationOutcome: 'PREPARED',
    preparationChecklist: ['PSEUDONYMISED', 'MINIMISED_TO_PERMIT_SCOPE', 'CODEBOOK_PROVIDED', 'QUALITY_CHECKED'],
    preparationNotes: 'Done',
    preparationConfirmed: true,
  });
}

async function reviewSetup(key: string, permitId: string, decision: 'APPROVED' | 'REJECTED') {
  const setup = await childOf(key, PROCESS_IDS.setup);
  await t.waitForActiveElement(setup, WAIT.setupSubmitted);
  await t.correlate(MESSAGES.setupSubmitted, permitId, { setupSubmittedBy: 'alice' });
  await completeTask(permitId, WAIT.reviewSetup, { [REVIEW_VARIABLES.SETUP.decision]: decision, [REVIEW_VARIABLES.SETUP.reviewer]: 'rita' });
}

/** Drives the permit through phases 1–3 until the analysis runs; returns the analysis instance. */
async function driveToAnalysis(key: string, permitId: string): Promise<string> {
  await issuePermit(key, permitId);
  await startIngress(key, permitId);
  await prepareData(permitId);
  await reviewSetup(key, permitId, 'APPROVED');
  const analysis = await childOf(key, PROCESS_IDS.analysis);
  await t.waitForActiveElement(analysis, WAIT.analysisInProgress);
  return analysis;
}

/** Waits until the closure waits out the deletion grace period, checks nothing was deleted yet, then lets it pass. */
async function passDeletionGracePeriod(key: string, permitId: string, now: number, gracePeriodDays: number) {
  const closure = await childOf(key, PROCESS_IDS.closure);
  await t.waitForActiveElement(closure, WAIT.gracePeriod);
  expect(t.jobsOf(TASK_TYPES.workspaceDeleteData, forPermit(permitId)), 'no data deleted before the grace period is over').toEqual([]);
  await t.pinClock(now + (gracePeriodDays + 1) * DAY_MS);
}

const ANALYSIS_TRAIL: PermitStatus[] = [
  'SUBMITTED',
  'UNDER_ASSESSMENT',
  'APPROVED',
  'DATA_INGRESS_PENDING',
  'DATA_INGRESS_IN_PROGRESS',
  'DATA_PREPARATION_PENDING',
  'WORKSPACE_SETUP_PENDING',
  'WORKSPACE_SETUP_REVIEW_PENDING',
  'ANALYSIS_PROVISIONING',
  'ANALYSIS_ACTIVE',
];
const CLOSURE_TRAIL: PermitStatus[] = ['CLOSING', 'DATA_DELETION_PENDING', 'CLOSED'];

describe('0 Permit Lifecycle', { timeout: 60_000 }, () => {
  it('runs a permit from application through every phase to expiry, closure and data deletion', async () => {
    const permitId = 'P-lifecycle-expired';
    const { key, validUntil } = await startLifecycle(permitId, { deletionGracePeriod: 'P7D' });
    const analysis = await driveToAnalysis(key, permitId);

    // One output request is reviewed and released during the analysis (phase 5, called by phase 4).
    await t.correlate(MESSAGES.egressRequestSubmitted, permitId, {
      egressRequestId: 'E-1',
      egressSubmittedBy: 'alice',
      disclosureChecks: { smallCells: 'none below 10' },
    });
    await completeTask(permitId, WAIT.reviewOutput, { [REVIEW_VARIABLES.EGRESS.decision]: 'APPROVED', [REVIEW_VARIABLES.EGRESS.reviewer]: 'rita' });
    await childOf(analysis, PROCESS_IDS.egress, 'COMPLETED');
    expect(t.jobsOf(TASK_TYPES.workspaceReleaseOutputs, forPermit(permitId))).toHaveLength(1);

    const expiredAt = validUntil + 60_000;
    await t.pinClock(expiredAt);
    await passDeletionGracePeriod(key, permitId, expiredAt, 7);
    await t.waitForProcessState(key, 'COMPLETED', 20_000);

    const trail = statusTrail(permitId);
    expect(trail).toEqual([...ANALYSIS_TRAIL, 'EGRESS_REVIEW_PENDING', 'ANALYSIS_ACTIVE', 'EXPIRED', ...CLOSURE_TRAIL]);
    expectLegalTrail(trail);
    expect(await t.variables(key)).toMatchObject({
      applicationOutcome: 'ISSUED',
      ingressOutcome: 'COMPLETED',
      setupOutcome: 'APPROVED',
      analysisOutcome: 'EXPIRED',
    });
    const closing = t.jobsOf(TASK_TYPES.permitSetStatus, (job) => forPermit(permitId)(job) && job.headers[TASK_HEADERS.status] === 'CLOSING');
    expect(closing.map((job) => job.variables.closeReason)).toEqual(['EXPIRED']);
    expect(t.jobsOf(TASK_TYPES.workspaceDeleteData, forPermit(permitId))).toHaveLength(1);
    const warnings = t.jobsOf(TASK_TYPES.notificationSend, (job) => forPermit(permitId)(job) && job.headers[TASK_HEADERS.template] === 'expiry-warning');
    expect(warnings, 'expiry warnings 30, 7 and 1 days ahead').toHaveLength(3);
    expect(await t.completedElementIds(key)).toContain('Event_PermitClosed');
    for (const processId of [PROCESS_IDS.application, PROCESS_IDS.ingress, PROCESS_IDS.setup, PROCESS_IDS.analysis, PROCESS_IDS.closure]) {
      expect((await childrenOf(key, processId)).map((i) => i.state), processId).toEqual(['COMPLETED']);
    }
    // Outcomes come back through explicit output mappings only, not the children's other variables.
    expect(await t.variables(key)).not.toHaveProperty('assessmentDecision');
  });

  it('expires at the validity end the assessor confirmed on the form, not the one applied for', async () => {
    const permitId = 'P-lifecycle-shortened';
    const { key } = await startLifecycle(permitId);
    const shortened = Date.now() + 60 * DAY_MS;
    const application = await childOf(key, PROCESS_IDS.application);
    await t.waitForActiveElement(application, WAIT.applicationSubmitted);
    await t.correlate(MESSAGES.applicationSubmitted, permitId, { submittedBy: 'alice' });
    await completeTask(permitId, WAIT.assessApplication, {
      [REVIEW_VARIABLES.APPLICATION.decision]: 'APPROVED',
      [REVIEW_VARIABLES.APPLICATION.reviewer]: 'rita',
      validUntil: new Date(shortened).toISOString(),
    });
    await startIngress(key, permitId);
    await prepareData(permitId);
    await reviewSetup(key, permitId, 'APPROVED');
    const analysis = await childOf(key, PROCESS_IDS.analysis);
    await t.waitForActiveElement(analysis, WAIT.analysisInProgress);
    expect((await t.variables(key)).validUntil).toBe(new Date(shortened).toISOString());

    await t.pinClock(shortened + 60_000);
    await childOf(key, PROCESS_IDS.analysis, 'COMPLETED');
    expect(statusTrail(permitId)).toContain('EXPIRED');
  });

  it('ends without a permit when the application is rejected', async () => {
    const permitId = 'P-lifecycle-rejected';
    const { key } = await startLifecycle(permitId);
    const application = await childOf(key, PROCESS_IDS.application);
    await t.waitForActiveElement(application, WAIT.applicationSubmitted);
    await t.correlate(MESSAGES.applicationSubmitted, permitId, { submittedBy: 'alice' });
    await completeTask(permitId, WAIT.assessApplication, { [REVIEW_VARIABLES.APPLICATION.decision]: 'REJECTED' });
    await t.waitForProcessState(key, 'COMPLETED');

    expect(statusTrail(permitId)).toEqual<PermitStatus[]>(['SUBMITTED', 'UNDER_ASSESSMENT', 'REJECTED']);
    expect(await t.completedElementIds(key)).toContain('Event_ApplicationClosed');
    expect(await childrenOf(key, PROCESS_IDS.ingress)).toEqual([]);
    expect(await childrenOf(key, PROCESS_IDS.closure)).toEqual([]);
  });

  it('closes the permit when the data ingress is aborted', async () => {
    const permitId = 'P-lifecycle-ingress-aborted';
    t.handle(TASK_TYPES.workspaceScanIngress, async (job, recorded) =>
      recorded.variables.permitId === permitId ? job.error({ errorCode: BPMN_ERRORS.ingressCheckFailed, errorMessage: 'Malware found' }) : {},
    );
    const { key } = await startLifecycle(permitId);
    await issuePermit(key, permitId);
    await startIngress(key, permitId);
    await completeTask(permitId, WAIT.handleBlockedDelivery, { ingressExceptionDecision: 'ABORT_INGRESS', ingressExceptionComment: 'Not recoverable' });

    await passDeletionGracePeriod(key, permitId, Date.now(), 30);
    await t.waitForProcessState(key, 'COMPLETED');

    const trail = statusTrail(permitId);
    expect(trail).toEqual<PermitStatus[]>(['SUBMITTED', 'UNDER_ASSESSMENT', 'APPROVED', 'DATA_INGRESS_PENDING', 'DATA_INGRESS_IN_PROGRESS', 'DATA_INGRESS_BLOCKED', ...CLOSURE_TRAIL]);
    expectLegalTrail(trail);
    const closing = t.jobsOf(TASK_TYPES.permitSetStatus, (job) => forPermit(permitId)(job) && job.headers[TASK_HEADERS.status] === 'CLOSING');
    expect(closing.map((job) => job.variables.closeReason)).toEqual(['INGRESS_ABORTED']);
    expect(await childrenOf(key, PROCESS_IDS.setup)).toEqual([]);
  });

  it('closes the permit when the data steward finds the data cannot be prepared', async () => {
    const permitId = 'P-lifecycle-not-preparable';
    const { key } = await startLifecycle(permitId);
    await issuePermit(key, permitId);
    await startIngress(key, permitId);
    await completeTask(permitId, WAIT.prepareData, { preparationOutcome: 'CANNOT_BE_PREPARED', preparationProblem: 'The delivery covers other years than the permit' });

    await passDeletionGracePeriod(key, permitId, Date.now(), 30);
    await t.waitForProcessState(key, 'COMPLETED');

    const trail = statusTrail(permitId);
    expect(trail).toEqual<PermitStatus[]>(['SUBMITTED', 'UNDER_ASSESSMENT', 'APPROVED', 'DATA_INGRESS_PENDING', 'DATA_INGRESS_IN_PROGRESS', 'DATA_PREPARATION_PENDING', ...CLOSURE_TRAIL]);
    expectLegalTrail(trail);
    const closing = t.jobsOf(TASK_TYPES.permitSetStatus, (job) => forPermit(permitId)(job) && job.headers[TASK_HEADERS.status] === 'CLOSING');
    expect(closing.map((job) => job.variables.closeReason)).toEqual(['INGRESS_ABORTED']);
    expect(await childrenOf(key, PROCESS_IDS.setup)).toEqual([]);
  });

  it('closes the permit without an analysis when the workspace setup is rejected', async () => {
    const permitId = 'P-lifecycle-setup-rejected';
    const { key } = await startLifecycle(permitId);
    await issuePermit(key, permitId);
    await startIngress(key, permitId);
    await prepareData(permitId);
    await reviewSetup(key, permitId, 'REJECTED');

    await passDeletionGracePeriod(key, permitId, Date.now(), 30);
    await t.waitForProcessState(key, 'COMPLETED');

    const trail = statusTrail(permitId);
    expect(trail).toEqual<PermitStatus[]>([...ANALYSIS_TRAIL.slice(0, 8), ...CLOSURE_TRAIL]);
    expectLegalTrail(trail);
    const closing = t.jobsOf(TASK_TYPES.permitSetStatus, (job) => forPermit(permitId)(job) && job.headers[TASK_HEADERS.status] === 'CLOSING');
    expect(closing.map((job) => job.variables.closeReason)).toEqual(['SETUP_REJECTED']);
    expect(await childrenOf(key, PROCESS_IDS.analysis)).toEqual([]);
  });

  it('suspends the permit mid-analysis and restores it on resume, while the analysis keeps waiting', async () => {
    const permitId = 'P-lifecycle-suspended';
    const { key } = await startLifecycle(permitId);
    const analysis = await driveToAnalysis(key, permitId);

    await t.correlate(MESSAGES.suspensionRequested, permitId, { suspensionReason: 'Security incident', suspendedBy: 'rita' });
    const change = await childOf(key, PROCESS_IDS.amendment);
    await t.waitForActiveElement(change, WAIT.resumeRequested);
    expect(statusTrail(permitId)).toEqual([...ANALYSIS_TRAIL, 'SUSPENDED']);
    expect(t.jobsOf(TASK_TYPES.workspaceSuspend, forPermit(permitId))).toHaveLength(1);
    expect(t.jobsOf(TASK_TYPES.permitSetStatus, forPermit(permitId)).at(-1)?.variables.changeKind).toBe('SUSPENSION');

    await t.correlate(MESSAGES.resumeRequested, permitId, { resumedBy: 'rita', resumeReason: 'Incident closed' });
    await t.waitForProcessState(change, 'COMPLETED');
    expect(t.jobsOf(TASK_TYPES.workspaceResume, forPermit(permitId))).toHaveLength(1);
    expect(t.jobsOf(TASK_TYPES.permitRestoreStatus, forPermit(permitId))).toHaveLength(1);
    expect(statusTrail(permitId)).toEqual([...ANALYSIS_TRAIL, 'SUSPENDED', 'ANALYSIS_ACTIVE']);
    expect((await t.getInstance(analysis)).state, 'the analysis was never interrupted').toBe('ACTIVE');
    expect((await t.getInstance(key)).state).toBe('ACTIVE');

    await t.correlate(MESSAGES.analysisCloseRequested, permitId, { closeRequestedBy: 'alice', closeReason: 'Study finished' });
    await passDeletionGracePeriod(key, permitId, Date.now(), 30);
    await t.waitForProcessState(key, 'COMPLETED');

    const trail = statusTrail(permitId);
    expect(trail).toEqual([...ANALYSIS_TRAIL, 'SUSPENDED', 'ANALYSIS_ACTIVE', ...CLOSURE_TRAIL]);
    expectLegalTrail(trail);
    expect((await t.variables(key)).analysisOutcome).toBe('CLOSED_EARLY');
  });

  it('applies an approved amendment through the parent without interrupting the running phase', async () => {
    const permitId = 'P-lifecycle-amended';
    const { key } = await startLifecycle(permitId);
    const analysis = await driveToAnalysis(key, permitId);

    await t.correlate(MESSAGES.amendmentRequested, permitId, { amendment: { addMembers: ['bob'] }, amendmentRequestedBy: 'alice' });
    await completeTask(permitId, WAIT.assessAmendment, { [REVIEW_VARIABLES.AMENDMENT.decision]: 'APPROVED', [REVIEW_VARIABLES.AMENDMENT.reviewer]: 'rita' });
    const change = await childOf(key, PROCESS_IDS.amendment, 'COMPLETED');

    const applied = t.jobsOf(TASK_TYPES.permitApplyAmendment, forPermit(permitId));
    expect(applied.map((job) => job.variables.changeKind)).toEqual(['AMENDMENT']);
    expect(t.jobsOf(TASK_TYPES.workspaceSyncAccess, forPermit(permitId))).toHaveLength(1);
    expect(applied[0]?.processInstanceKey).toBe(change);
    expect((await t.getInstance(analysis)).state).toBe('ACTIVE');
    expect(statusTrail(permitId)).toEqual(ANALYSIS_TRAIL);

    await t.api.cancelProcessInstance({ processInstanceKey: t.key(key) });
    await t.waitForProcessState(key, 'TERMINATED');
  });

  it('an amendment approved before the analysis moves its end date: the analysis expires at the new date, not the old', async () => {
    const permitId = 'P-lifecycle-extended';
    const { key, validUntil } = await startLifecycle(permitId);
    const extended = validUntil + 185 * DAY_MS;
    await issuePermit(key, permitId);
    await startIngress(key, permitId);
    await prepareData(permitId);
    const setup = await childOf(key, PROCESS_IDS.setup);
    await t.waitForActiveElement(setup, WAIT.setupSubmitted);

    // Extended while the team sets up its workspace.
    await t.correlate(MESSAGES.amendmentRequested, permitId, { amendment: { validUntil: new Date(extended).toISOString() }, amendmentRequestedBy: 'alice' });
    await completeTask(permitId, WAIT.assessAmendment, { [REVIEW_VARIABLES.AMENDMENT.decision]: 'APPROVED', [REVIEW_VARIABLES.AMENDMENT.reviewer]: 'rita' });
    await childOf(key, PROCESS_IDS.amendment, 'COMPLETED');
    expect((await t.variables(key)).validUntil).toBe(new Date(extended).toISOString());

    await reviewSetup(key, permitId, 'APPROVED');
    const analysis = await childOf(key, PROCESS_IDS.analysis);
    await t.waitForActiveElement(analysis, WAIT.analysisInProgress);
    await t.pinClock(validUntil + 60_000);
    // Past the first end date: still running (give the engine a moment to fire anything due).
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((await t.getInstance(analysis)).state).toBe('ACTIVE');
    expect(statusTrail(permitId)).not.toContain('EXPIRED');

    await t.pinClock(extended + 60_000);
    await childOf(key, PROCESS_IDS.analysis, 'COMPLETED');
    expect(statusTrail(permitId)).toContain('EXPIRED');
  });

  it('a rejected amendment leaves the end date as it was', async () => {
    const permitId = 'P-lifecycle-extension-refused';
    const { key, validUntil } = await startLifecycle(permitId);
    await issuePermit(key, permitId);
    await t.correlate(MESSAGES.amendmentRequested, permitId, { amendment: { validUntil: new Date(validUntil + 30 * DAY_MS).toISOString() }, amendmentRequestedBy: 'alice' });
    await completeTask(permitId, WAIT.assessAmendment, { [REVIEW_VARIABLES.AMENDMENT.decision]: 'REJECTED', [REVIEW_VARIABLES.AMENDMENT.reviewer]: 'rita' });
    await childOf(key, PROCESS_IDS.amendment, 'COMPLETED');
    expect((await t.variables(key)).validUntil).toBe(new Date(validUntil).toISOString());

    await t.api.cancelProcessInstance({ processInstanceKey: t.key(key) });
    await t.waitForProcessState(key, 'TERMINATED');
  });

  it('interrupts the analysis and closes the permit when it is revoked', async () => {
    const permitId = 'P-lifecycle-revoked';
    const { key } = await startLifecycle(permitId, { deletionGracePeriod: 'P14D' });
    const analysis = await driveToAnalysis(key, permitId);

    await t.correlate(MESSAGES.revocationRequested, permitId, { revocationReason: 'Breach of the permit conditions', revokedBy: 'rita' });
    await t.waitForProcessState(analysis, 'TERMINATED');
    await passDeletionGracePeriod(key, permitId, Date.now(), 14);
    await t.waitForProcessState(key, 'COMPLETED');

    const trail = statusTrail(permitId);
    expect(trail).toEqual([...ANALYSIS_TRAIL, 'REVOKED', ...CLOSURE_TRAIL]);
    expectLegalTrail(trail);
    expect(t.jobsOf(TASK_TYPES.workspaceSuspend, forPermit(permitId)), 'access halted before the closure').toHaveLength(1);
    const closing = t.jobsOf(TASK_TYPES.permitSetStatus, (job) => forPermit(permitId)(job) && job.headers[TASK_HEADERS.status] === 'CLOSING');
    expect(closing.map((job) => job.variables.closeReason)).toEqual(['REVOKED']);
    const completed = await t.completedElementIds(key);
    expect(completed).toContain('Event_PermitRevokedAndClosed');
    expect(completed).not.toContain('Event_PermitClosed');
    expect((await childrenOf(key, PROCESS_IDS.closure)).map((i) => i.state)).toEqual(['COMPLETED']);
    expect((await childrenOf(key, PROCESS_IDS.amendment)).map((i) => i.state), 'the revocation itself is ended by the interruption').toEqual(['TERMINATED']);
  });
});
