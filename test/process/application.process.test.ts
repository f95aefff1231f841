/**
 * BPMN 1 "Permit Application & Issuance" (`bpmn/1-permit-application.bpmn`) on the embedded engine with fake
 * workers: a submitted application is assessed by an HDAB reviewer and issued, sent back to the applicant for
 * more information (30 days without an answer withdraw it), or rejected; the applicant may withdraw it at any time.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  CANDIDATE_GROUPS,
  EVENTS,
  FORM_IDS,
  MESSAGES,
  PROCESS_IDS,
  REVIEW_VARIABLES,
  STAGE_DECISIONS,
  TASK_HEADERS,
  TASK_TYPES,
  type PermitStatus,
} from '../../shared/index.js';
import { startProcessTest, type ProcessTest } from './support/process-harness.js';

const APPLICATION = REVIEW_VARIABLES.APPLICATION;
type AssessmentDecision = (typeof STAGE_DECISIONS.APPLICATION)[number];
const ASSESS_TASK = 'Task_AssessApplication';
const SUBMISSION_EVENT = 'Event_ApplicationSubmitted';
const AWAIT_INFO_GATEWAY = 'Gateway_AwaitApplicantInfo';
const DAY_MS = 24 * 60 * 60 * 1000;

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

const templatesSent = (permitId: string) =>
  t.jobsOf(TASK_TYPES.notificationSend, (job) => job.variables.permitId === permitId).map((job) => job.headers[TASK_HEADERS.template]);

async function startApplication(permitId: string): Promise<string> {
  const key = await t.startProcess(PROCESS_IDS.application, { permitId });
  await t.waitForActiveElement(key, SUBMISSION_EVENT);
  return key;
}

async function submit(permitId: string) {
  await t.correlate(MESSAGES.applicationSubmitted, permitId, { submittedBy: 'alice' });
}

async function assess(processInstanceKey: string, decision: AssessmentDecision, comment = 'Assessed') {
  const task = await t.waitForUserTask({ processInstanceKey, elementId: ASSESS_TASK });
  await t.completeUserTask(task.userTaskKey, { [APPLICATION.decision]: decision, [APPLICATION.comment]: comment, [APPLICATION.reviewer]: 'rita' });
}

async function outcome(processInstanceKey: string) {
  return (await t.variables(processInstanceKey)).applicationOutcome;
}

describe('1 Permit Application & Issuance', () => {
  it('issues the permit when the HDAB reviewer approves the submitted application', async () => {
    const permitId = 'P-application-approved';
    const key = await startApplication(permitId);
    await submit(permitId);

    const task = await t.waitForUserTask({ processInstanceKey: key, elementId: ASSESS_TASK });
    expect(task.candidateGroups).toEqual([CANDIDATE_GROUPS.hdabReviewers]);
    expect(task.formKey, `the task shows the ${FORM_IDS.applicationAssessment} form`).toBeTruthy();
    const dueInDays = (Date.parse(String(task.dueDate)) - Date.parse(String(task.creationDate))) / DAY_MS;
    expect(Math.round(dueInDays), 'the assessment is due in ten days').toBe(10);
    expect(t.statusesSet(permitId)).toEqual<PermitStatus[]>(['SUBMITTED', 'UNDER_ASSESSMENT']);

    await assess(key, 'APPROVED');
    await t.waitForProcessState(key, 'COMPLETED');

    expect(t.statusesSet(permitId)).toEqual<PermitStatus[]>(['SUBMITTED', 'UNDER_ASSESSMENT']);
    const issued = t.jobsOf(TASK_TYPES.permitIssue, (job) => job.variables.permitId === permitId);
    expect(issued.map((job) => job.headers[TASK_HEADERS.event]), 'the permit is issued (APPROVED) once').toEqual([EVENTS.analysisApproved]);
    expect(issued[0]?.variables[APPLICATION.decision]).toBe('APPROVED');
    const submitted = t.jobsOf(TASK_TYPES.permitSetStatus, (job) => job.variables.permitId === permitId)[0];
    expect(submitted?.headers[TASK_HEADERS.event]).toBe(EVENTS.applicationSubmitted);
    const audit = t.jobsOf(TASK_TYPES.auditRecord, (job) => job.variables.permitId === permitId);
    expect(audit.map((job) => [job.headers[TASK_HEADERS.action], job.headers[TASK_HEADERS.stage]])).toEqual([['application.assessed', 'APPLICATION']]);
    expect(templatesSent(permitId)).toEqual(['application-submitted', 'permit-issued']);
    expect(await outcome(key)).toBe('ISSUED');
  });

  it('asks the applicant for more information and assesses the application again once it is provided', async () => {
    const permitId = 'P-application-info';
    const key = await startApplication(permitId);
    await submit(permitId);
    await assess(key, 'INFO_REQUESTED', 'Please describe the linkage of the cohorts');

    await t.waitForActiveElement(key, AWAIT_INFO_GATEWAY);
    expect(t.statusesSet(permitId)).toEqual<PermitStatus[]>(['SUBMITTED', 'UNDER_ASSESSMENT', 'AWAITING_APPLICANT_INFO']);
    expect(templatesSent(permitId)).toEqual(['application-submitted', 'information-requested']);
    // The next assessment's form shows the questions asked, and starts with its own fields empty.
    expect(await t.variables(key)).toMatchObject({ previousAssessmentComment: 'Please describe the linkage of the cohorts', assessmentDecision: null, assessmentComment: null, assessmentChecklist: null });

    await t.correlate(MESSAGES.applicationInfoProvided, permitId, { applicantResponse: 'Linked on pseudonymised ids', submittedBy: 'alice' });
    await assess(key, 'APPROVED');
    await t.waitForProcessState(key, 'COMPLETED');

    expect(t.statusesSet(permitId)).toEqual<PermitStatus[]>(['SUBMITTED', 'UNDER_ASSESSMENT', 'AWAITING_APPLICANT_INFO', 'SUBMITTED', 'UNDER_ASSESSMENT']);
    expect(t.jobsOf(TASK_TYPES.auditRecord, (job) => job.variables.permitId === permitId)).toHaveLength(2);
    expect(templatesSent(permitId)).toEqual(['application-submitted', 'information-requested', 'application-submitted', 'permit-issued']);
    expect(await outcome(key)).toBe('ISSUED');
  });

  it('withdraws the application when the applicant does not answer within 30 days', async () => {
    const permitId = 'P-application-lapsed';
    const key = await startApplication(permitId);
    await submit(permitId);
    await assess(key, 'INFO_REQUESTED');
    await t.waitForActiveElement(key, AWAIT_INFO_GATEWAY);

    await t.pinClock(Date.now() + 31 * DAY_MS);
    await t.waitForProcessState(key, 'COMPLETED');

    expect(t.statusesSet(permitId)).toEqual<PermitStatus[]>(['SUBMITTED', 'UNDER_ASSESSMENT', 'AWAITING_APPLICANT_INFO', 'WITHDRAWN']);
    const withdrawn = t.jobsOf(TASK_TYPES.permitSetStatus, (job) => job.variables.permitId === permitId).at(-1);
    expect(withdrawn?.headers[TASK_HEADERS.event]).toBe(EVENTS.applicationWithdrawn);
    expect(await outcome(key)).toBe('WITHDRAWN');
  });

  it('rejects the application and tells the research team', async () => {
    const permitId = 'P-application-rejected';
    const key = await startApplication(permitId);
    await submit(permitId);
    await assess(key, 'REJECTED', 'No legal basis for the secondary use');
    await t.waitForProcessState(key, 'COMPLETED');

    expect(t.statusesSet(permitId)).toEqual<PermitStatus[]>(['SUBMITTED', 'UNDER_ASSESSMENT', 'REJECTED']);
    const rejected = t.jobsOf(TASK_TYPES.permitSetStatus, (job) => job.variables.permitId === permitId).at(-1);
    expect(rejected?.headers[TASK_HEADERS.event]).toBe(EVENTS.applicationRejected);
    expect(templatesSent(permitId)).toEqual(['application-submitted', 'application-rejected']);
    expect(t.jobsOf(TASK_TYPES.permitIssue, (job) => job.variables.permitId === permitId)).toEqual([]);
    expect(await outcome(key)).toBe('REJECTED');
  });

  it('cancels the open assessment when the applicant withdraws the application', async () => {
    const permitId = 'P-application-withdrawn';
    const key = await startApplication(permitId);
    await submit(permitId);
    await t.waitForUserTask({ processInstanceKey: key, elementId: ASSESS_TASK });

    await t.correlate(MESSAGES.applicationWithdrawn, permitId, { withdrawnBy: 'alice', reason: 'Funding ended' });
    await t.waitForProcessState(key, 'COMPLETED');

    expect(await t.searchUserTasks({ processInstanceKey: key })).toEqual([]);
    expect(t.statusesSet(permitId)).toEqual<PermitStatus[]>(['SUBMITTED', 'UNDER_ASSESSMENT', 'WITHDRAWN']);
    const withdrawn = t.jobsOf(TASK_TYPES.permitSetStatus, (job) => job.variables.permitId === permitId).at(-1);
    expect(withdrawn?.headers[TASK_HEADERS.event]).toBe(EVENTS.applicationWithdrawn);
    expect(t.jobsOf(TASK_TYPES.auditRecord, (job) => job.variables.permitId === permitId)).toEqual([]);
    expect(await outcome(key)).toBe('WITHDRAWN');
  });

  it('lets the applicant withdraw a draft that was never submitted', async () => {
    const permitId = 'P-application-draft-withdrawn';
    const key = await startApplication(permitId);

    await t.correlate(MESSAGES.applicationWithdrawn, permitId, { withdrawnBy: 'alice' });
    await t.waitForProcessState(key, 'COMPLETED');

    expect(t.statusesSet(permitId)).toEqual<PermitStatus[]>(['WITHDRAWN']);
    expect(await outcome(key)).toBe('WITHDRAWN');
  });

  it('reminds the HDAB reviewers every three days while the assessment is open', async () => {
    const permitId = 'P-application-reminder';
    const key = await startApplication(permitId);
    await submit(permitId);
    await t.waitForUserTask({ processInstanceKey: key, elementId: ASSESS_TASK });

    await t.pinClock(Date.now() + 3 * DAY_MS + 60_000);
    const reminder = await t.waitForJob(TASK_TYPES.notificationSend, (job) => job.variables.permitId === permitId && job.headers[TASK_HEADERS.template] === 'review-overdue');
    expect(reminder.headers[TASK_HEADERS.audience]).toBe('hdab-reviewers');
    // The reminder does not interrupt the assessment.
    await assess(key, 'APPROVED');
    await t.waitForProcessState(key, 'COMPLETED');
    expect(await outcome(key)).toBe('ISSUED');
  });
});
