/**
 * BPMN 3 "Environment Setup & Review" (`bpmn/3-environment-setup-review.bpmn`) on the embedded engine with fake
 * workers: the Setup workspace is provisioned and handed to the research team, a submission switches the internet
 * off and freezes the workspace for the HDAB review, and the decision either turns it into the Analysis workspace,
 * sends it back for rework or ends the phase. Provisioning failures become incidents (technical) or an operator
 * task (refused by the platform); the review reminds the reviewers every two days.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BPMN_ERRORS,
  CANDIDATE_GROUPS,
  EVENTS,
  MESSAGES,
  PROCESS_IDS,
  REVIEW_VARIABLES,
  TASK_HEADERS,
  TASK_TYPES,
  type PermitStatus,
  type ReviewDecision,
  type TaskType,
} from '../../shared/index.js';
import { startProcessTest, type FakeHandler, type ProcessTest } from './support/process-harness.js';
import { indexOf, isJob, notification } from './support/job-matchers.js';

const SETUP = REVIEW_VARIABLES.SETUP;
const REVIEW_TASK = 'Task_ReviewSetup';
const PROVISIONING_TASK = 'Task_ResolveProvisioning';
const SUBMISSION_EVENT = 'Event_SetupSubmitted';
const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;

let t: ProcessTest;

/** An engine per describe block; the tests in a block share it, each on its own permit. */
function withEngine() {
  beforeAll(async () => {
    t = await startProcessTest();
  });
  afterAll(async () => {
    await t?.stop();
  });
}

/** Replaces the fake of `type` for one permit's jobs; other permits' jobs complete as usual. */
function handleFor(permitId: string, type: TaskType, handler: FakeHandler) {
  t.handle(type, (job, recorded) => (recorded.variables.permitId === permitId ? handler(job, recorded) : {}));
}

/** Jobs run for one permit, in the order the fakes received them. */
const jobsFor = (permitId: string) => t.jobs.filter((job) => job.variables.permitId === permitId);

async function startSetup(permitId: string): Promise<string> {
  return t.startProcess(PROCESS_IDS.setup, { permitId });
}

/** Waits until the process waits for the submission (its subscription is open), then submits. */
async function submitSetup(processInstanceKey: string, permitId: string) {
  await t.waitForActiveElement(processInstanceKey, SUBMISSION_EVENT);
  await t.correlate(MESSAGES.setupSubmitted, permitId, { setupSubmittedBy: 'alice', setupSubmissionNote: 'R and Python packages installed' });
}

async function decide(processInstanceKey: string, decision: ReviewDecision, comment = 'Reviewed') {
  const task = await t.waitForUserTask({ processInstanceKey, elementId: REVIEW_TASK });
  await t.completeUserTask(task.userTaskKey, { [SETUP.decision]: decision, [SETUP.comment]: comment, [SETUP.reviewer]: 'rita' });
}

describe('3 Environment Setup & Review', () => {
  withEngine();

  it('provisions the setup workspace, reviews the submission and turns it into the analysis workspace on approval', async () => {
    const permitId = 'P-setup-approved';
    const key = await startSetup(permitId);
    await submitSetup(key, permitId);

    const review = await t.waitForUserTask({ processInstanceKey: key, elementId: REVIEW_TASK });
    expect(review.candidateGroups).toEqual([CANDIDATE_GROUPS.hdabReviewers]);
    const dueIn = new Date(review.dueDate ?? 0).getTime() - new Date(review.creationDate ?? 0).getTime();
    expect(Math.abs(dueIn - 5 * DAY), 'the review is due five days after it opens').toBeLessThan(HOUR);
    // By the time the reviewer sees the task, the internet is off and the workspace frozen.
    const beforeReview = jobsFor(permitId);
    const reviewPending = indexOf(beforeReview, isJob(TASK_TYPES.permitSetStatus, { status: 'WORKSPACE_SETUP_REVIEW_PENDING' }));
    const networkOff = indexOf(beforeReview, isJob(TASK_TYPES.workspaceDisableNetwork));
    const frozen = indexOf(beforeReview, isJob(TASK_TYPES.workspaceFreeze));
    expect(reviewPending).toBeLessThan(networkOff);
    expect(networkOff).toBeLessThan(frozen);
    expect(beforeReview[networkOff]?.headers[TASK_HEADERS.permanent]).not.toBe('true');
    expect(beforeReview[reviewPending]?.headers[TASK_HEADERS.event]).toBe(EVENTS.setupSubmitted);
    expect(beforeReview.some(notification('setup-review-requested'))).toBe(true);

    await t.completeUserTask(review.userTaskKey, { [SETUP.decision]: 'APPROVED', [SETUP.comment]: 'Environment is fine', [SETUP.reviewer]: 'rita' });
    await t.waitForProcessState(key, 'COMPLETED');

    expect(t.statusesSet(permitId)).toEqual([
      'WORKSPACE_SETUP_PENDING',
      'WORKSPACE_SETUP_REVIEW_PENDING',
      'ANALYSIS_PROVISIONING',
      'ANALYSIS_ACTIVE',
    ] satisfies PermitStatus[]);

    const jobs = jobsFor(permitId);
    const provisioned = indexOf(jobs, isJob(TASK_TYPES.workspaceProvision, { [TASK_HEADERS.phase]: 'setup' }));
    expect(provisioned).toBeLessThan(indexOf(jobs, notification('workspace-ready')));
    expect(jobs.filter(isJob(TASK_TYPES.workspaceProvision))).toHaveLength(1);

    const approved = indexOf(jobs, isJob(TASK_TYPES.permitSetStatus, { status: 'ANALYSIS_PROVISIONING' }));
    expect(jobs[approved]?.headers[TASK_HEADERS.event]).toBe(EVENTS.setupApproved);
    const audited = indexOf(jobs, isJob(TASK_TYPES.auditRecord, { [TASK_HEADERS.action]: 'setup.reviewed', [TASK_HEADERS.stage]: 'SETUP' }));
    expect(audited).toBeLessThan(approved);
    expect(jobs[audited]?.variables[SETUP.decision]).toBe('APPROVED');
    const internetGone = indexOf(jobs, isJob(TASK_TYPES.workspaceDisableNetwork, { [TASK_HEADERS.permanent]: 'true' }));
    const dataMounted = indexOf(jobs, isJob(TASK_TYPES.workspaceMountData, { [TASK_HEADERS.volume]: 'prepared', [TASK_HEADERS.readOnly]: 'true' }));
    const outputsMounted = indexOf(jobs, isJob(TASK_TYPES.workspaceMountOutputs));
    const started = indexOf(jobs, isJob(TASK_TYPES.workspaceStart));
    const active = indexOf(jobs, isJob(TASK_TYPES.permitSetStatus, { status: 'ANALYSIS_ACTIVE' }));
    expect([approved, internetGone, dataMounted, outputsMounted, started, active]).toEqual(
      [approved, internetGone, dataMounted, outputsMounted, started, active].slice().sort((a, b) => a - b),
    );
    expect(active).toBeLessThan(indexOf(jobs, notification('setup-approved')));
    expect(jobs.some(isJob(TASK_TYPES.workspaceEnableNetwork)), 'the internet never comes back after approval').toBe(false);

    expect(await t.variables(key)).toMatchObject({ setupOutcome: 'APPROVED' });
  });

  it('sends the workspace back for rework twice, re-opening the proxied internet each time, before approving it', async () => {
    const permitId = 'P-setup-rework';
    const key = await startSetup(permitId);

    for (const round of [1, 2]) {
      await submitSetup(key, permitId);
      await decide(key, 'REWORK_REQUESTED', `Remove the packages that phone home (round ${round})`);
      await t.waitForJob(TASK_TYPES.notificationSend, (job) => notification('setup-rework-requested')(job) && job.variables[SETUP.comment] === `Remove the packages that phone home (round ${round})`);
      // The next review's form shows this one as the earlier decision, and starts with its own fields empty.
      await t.waitForActiveElement(key, SUBMISSION_EVENT);
      expect(await t.variables(key)).toMatchObject({
        previousSetupDecision: 'REWORK_REQUESTED',
        previousSetupComment: `Remove the packages that phone home (round ${round})`,
        [SETUP.decision]: null,
        [SETUP.comment]: null,
        [SETUP.checklist]: null,
      });
    }
    await submitSetup(key, permitId);
    await decide(key, 'APPROVED');
    await t.waitForProcessState(key, 'COMPLETED');

    expect(t.statusesSet(permitId)).toEqual([
      'WORKSPACE_SETUP_PENDING',
      'WORKSPACE_SETUP_REVIEW_PENDING',
      'WORKSPACE_SETUP_PENDING',
      'WORKSPACE_SETUP_REVIEW_PENDING',
      'WORKSPACE_SETUP_PENDING',
      'WORKSPACE_SETUP_REVIEW_PENDING',
      'ANALYSIS_PROVISIONING',
      'ANALYSIS_ACTIVE',
    ] satisfies PermitStatus[]);

    const jobs = jobsFor(permitId);
    const reworkStatuses = jobs.filter(isJob(TASK_TYPES.permitSetStatus, { [TASK_HEADERS.event]: EVENTS.setupReworkRequested }));
    expect(reworkStatuses.map((job) => job.headers[TASK_HEADERS.status])).toEqual(['WORKSPACE_SETUP_PENDING', 'WORKSPACE_SETUP_PENDING']);
    expect(jobs.filter(isJob(TASK_TYPES.workspaceEnableNetwork, { [TASK_HEADERS.mode]: 'proxied' }))).toHaveLength(2);
    expect(jobs.filter(notification('setup-rework-requested'))).toHaveLength(2);
    // The setup workspace is kept between rounds: provisioned once, frozen and restarted each round.
    expect(jobs.filter(isJob(TASK_TYPES.workspaceProvision))).toHaveLength(1);
    expect(jobs.filter(isJob(TASK_TYPES.workspaceFreeze))).toHaveLength(3);
    expect(jobs.filter(isJob(TASK_TYPES.auditRecord))).toHaveLength(3);
    // Within a rework round: status back to pending, proxied internet, workspace restarted, then the team is told.
    const firstRework = indexOf(jobs, isJob(TASK_TYPES.permitSetStatus, { [TASK_HEADERS.event]: EVENTS.setupReworkRequested }));
    const reopened = indexOf(jobs, isJob(TASK_TYPES.workspaceEnableNetwork));
    const told = indexOf(jobs, notification('setup-rework-requested'));
    expect(firstRework).toBeLessThan(reopened);
    expect(reopened).toBeLessThan(told);
    expect(jobs.slice(reopened, told).some(isJob(TASK_TYPES.workspaceStart))).toBe(true);
    expect(await t.variables(key)).toMatchObject({ setupOutcome: 'APPROVED' });
  });

  it('ends with setupOutcome REJECTED, publishing permit.setup.rejected and telling the research team, when the reviewer rejects', async () => {
    const permitId = 'P-setup-rejected';
    const key = await startSetup(permitId);
    await submitSetup(key, permitId);
    await decide(key, 'REJECTED', 'The environment cannot be made safe');
    await t.waitForProcessState(key, 'COMPLETED');

    expect(await t.variables(key)).toMatchObject({ setupOutcome: 'REJECTED' });
    expect(t.statusesSet(permitId)).toEqual(['WORKSPACE_SETUP_PENDING', 'WORKSPACE_SETUP_REVIEW_PENDING'] satisfies PermitStatus[]);
    const jobs = jobsFor(permitId);
    const published = indexOf(jobs, isJob(TASK_TYPES.permitPublishEvent, { [TASK_HEADERS.event]: EVENTS.setupRejected }));
    expect(published).toBeLessThan(indexOf(jobs, notification('setup-rejected')));
    expect(jobs.some(isJob(TASK_TYPES.workspaceMountData))).toBe(false);
  });

  it('raises an incident when provisioning fails with no retries left, and carries on once retries are raised and the incident resolved', async () => {
    const permitId = 'P-setup-incident';
    let attempts = 0;
    handleFor(permitId, TASK_TYPES.workspaceProvision, async (job) => {
      attempts += 1;
      if (attempts === 1) return job.fail({ errorMessage: 'cluster API unreachable', retries: 0 });
      return {};
    });
    const key = await startSetup(permitId);

    const incident = await t.waitForIncident(key);
    expect(incident.errorType).toBe('JOB_NO_RETRIES');
    expect(incident.errorMessage).toBe('cluster API unreachable');
    expect(String(incident.elementId)).toBe('Activity_ProvisionSetupWorkspace');
    expect(jobsFor(permitId).some(notification('workspace-ready')), 'nothing is announced while provisioning is stuck').toBe(false);

    await t.api.updateJob({ jobKey: String(incident.jobKey), changeset: { retries: 1 } });
    await t.api.resolveIncident({ incidentKey: String(incident.incidentKey) });

    await t.waitForActiveElement(key, SUBMISSION_EVENT);
    expect(attempts).toBe(2);
    expect((await t.incidents(key)).map((i) => i.state)).toEqual(['RESOLVED']);
    expect(jobsFor(permitId).some(notification('workspace-ready'))).toBe(true);
  });

  it('hands a refused provisioning to the operators, and provisions again when they choose RETRY', async () => {
    const permitId = 'P-setup-refused';
    let attempts = 0;
    handleFor(permitId, TASK_TYPES.workspaceProvision, async (job) => {
      attempts += 1;
      if (attempts <= 2) return job.error({ errorCode: BPMN_ERRORS.provisioningRejected, errorMessage: 'GPU quota exhausted' });
      return {};
    });
    const key = await startSetup(permitId);

    const operatorTask = await t.waitForUserTask({ processInstanceKey: key, elementId: PROVISIONING_TASK });
    expect(operatorTask.candidateGroups).toEqual([CANDIDATE_GROUPS.operators]);
    const told = jobsFor(permitId).find(notification('provisioning-failed'));
    expect(told?.headers[TASK_HEADERS.audience]).toBe('operators');
    expect(await t.variables(key)).toMatchObject({ previousProvisioningComment: null, provisioningDecision: null });
    await t.completeUserTask(operatorTask.userTaskKey, { provisioningDecision: 'RETRY', provisioningComment: 'Quota raised' });

    // Refused again: the next operator sees the earlier note and starts from an empty form.
    const secondTask = await t.waitFor(
      async () => {
        const open = await t.waitForUserTask({ processInstanceKey: key, elementId: PROVISIONING_TASK });
        return open.userTaskKey === operatorTask.userTaskKey ? undefined : open;
      },
      { message: 'a second operator task after the retry was refused too' },
    );
    expect(await t.variables(key)).toMatchObject({ previousProvisioningComment: 'Quota raised', provisioningDecision: null, provisioningComment: null });
    await t.completeUserTask(secondTask.userTaskKey, { provisioningDecision: 'RETRY', provisioningComment: 'Quota raised again' });

    await t.waitForActiveElement(key, SUBMISSION_EVENT);
    expect(attempts).toBe(3);
    expect(jobsFor(permitId).filter(notification('workspace-ready'))).toHaveLength(1);
    expect(await t.incidents(key)).toEqual([]);
  });

  it('ends with setupOutcome FAILED when the operators abandon a refused provisioning', async () => {
    const permitId = 'P-setup-abandoned';
    handleFor(permitId, TASK_TYPES.workspaceProvision, (job) => job.error({ errorCode: BPMN_ERRORS.provisioningRejected, errorMessage: 'image not allowed' }));
    const key = await startSetup(permitId);

    const operatorTask = await t.waitForUserTask({ processInstanceKey: key, elementId: PROVISIONING_TASK });
    await t.completeUserTask(operatorTask.userTaskKey, { provisioningDecision: 'ABANDON', provisioningComment: 'Not supported' });
    await t.waitForProcessState(key, 'COMPLETED');

    expect(await t.variables(key)).toMatchObject({ setupOutcome: 'FAILED' });
    expect(jobsFor(permitId).some(notification('workspace-ready'))).toBe(false);
  });

});

describe('3 Environment Setup & Review: review reminder (pins the engine clock, so on an engine of its own)', () => {
  withEngine();

  it('reminds the HDAB reviewers when the setup review has been open for two days, and keeps the task open', async () => {
    const permitId = 'P-setup-overdue';
    const key = await startSetup(permitId);
    await submitSetup(key, permitId);
    const review = await t.waitForUserTask({ processInstanceKey: key, elementId: REVIEW_TASK });
    expect(jobsFor(permitId).some(notification('review-overdue'))).toBe(false);

    await t.pinClock(new Date(review.creationDate ?? Date.now()).getTime() + 2 * DAY + HOUR);

    const reminder = await t.waitForJob(TASK_TYPES.notificationSend, (job) => job.variables.permitId === permitId && notification('review-overdue')(job));
    expect(reminder.headers[TASK_HEADERS.audience]).toBe('hdab-reviewers');
    expect(jobsFor(permitId).filter(notification('review-overdue'))).toHaveLength(1);
    const stillOpen = await t.waitForUserTask({ processInstanceKey: key, elementId: REVIEW_TASK });
    expect(stillOpen.userTaskKey).toBe(review.userTaskKey);
  });
});
