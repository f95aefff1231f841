/**
 * BPMN 5 "Output (Egress) Review & Release" (`bpmn/5-output-review-release.bpmn`) on the embedded engine with fake
 * workers. One process instance per egress request: the permit waits in EGRESS_REVIEW_PENDING while the request is
 * IN_REVIEW; an approval (by one reviewer, or by two when the HDAB's output release policy requires it) releases the outputs, a rework
 * request waits for the research team to resubmit that very request, a rejection ends it. Afterwards the permit is
 * ANALYSIS_ACTIVE again.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  CANDIDATE_GROUPS,
  DISCLOSURE_CHECKS,
  EVENTS,
  MESSAGES,
  PROCESS_IDS,
  PROCESS_VARIABLES,
  REVIEW_VARIABLES,
  TASK_HEADERS,
  TASK_TYPES,
  type EgressStatus,
  type PermitStatus,
  type ReviewDecision,
} from '../../shared/index.js';
import { NOW, key as brand } from '../conformance/support/harness.js';
import { startProcessTest, type ProcessTest } from './support/process-harness.js';
import { indexOf, isJob, notification } from './support/job-matchers.js';

const EGRESS = REVIEW_VARIABLES.EGRESS;
const REVIEW_TASK = 'Task_ReviewOutput';
const SECOND_REVIEW_TASK = 'Task_SecondOutputReview';
const RESUBMISSION_EVENT = 'Event_RequestResubmitted';
/** What makes the HDAB's output release policy (bpmn/output-release-policy.dmn) ask for two reviews: a file that failed the disclosure checks. */
const TWO_REVIEWS = { egressFiles: [{ path: 'tables/t1.csv', checkStatus: 'fail', sizeBytes: 120 }] };
const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;

let t: ProcessTest;

/** Who completed each instance's last review: the real audit.record reads it from the decision listener's record. */
const lastReviewer = new Map<string, string>();

beforeEach(async () => {
  t = await startProcessTest();
  lastReviewer.clear();
  // As the real audit.record: after a review it completes with the reviewer the decision listener recorded.
  t.handle(TASK_TYPES.auditRecord, (job) => {
    const reviewer = lastReviewer.get(String(job.processInstanceKey));
    return job.customHeaders[TASK_HEADERS.stage] === 'EGRESS' && reviewer ? { [EGRESS.reviewer]: reviewer } : {};
  });
});

afterEach(async () => {
  await t?.stop();
});

/** Jobs run for one egress request, in the order the fakes received them. */
const jobsOfRequest = (egressRequestId: string) => t.jobs.filter((job) => job.variables.egressRequestId === egressRequestId);

/** The `status` headers of the permit.set-egress-status jobs run for one request, in order. */
const egressStatuses = (egressRequestId: string) =>
  jobsOfRequest(egressRequestId).filter(isJob(TASK_TYPES.permitSetEgressStatus)).map((job) => job.headers[TASK_HEADERS.status]);

async function startReview(permitId: string, egressRequestId: string, variables: Record<string, unknown> = {}): Promise<string> {
  return t.startProcess(PROCESS_IDS.egress, {
    permitId,
    egressRequestId,
    egressSubmittedBy: 'alice',
    disclosureChecks: { smallCellSuppression: true, minimumCellCount: 10 },
    ...variables,
  });
}

/** Completes the open review of the instance as `reviewer` would through the form (the checks when approving). */
async function decide(processInstanceKey: string, decision: ReviewDecision, reviewer = 'rita', elementId = REVIEW_TASK) {
  const task = await t.waitForUserTask({ processInstanceKey, elementId });
  lastReviewer.set(processInstanceKey, reviewer);
  await t.completeUserTask(task.userTaskKey, {
    [EGRESS.decision]: decision,
    [EGRESS.comment]: `${decision} by ${reviewer}`,
    ...(decision === 'APPROVED' ? { [EGRESS.checklist]: [...DISCLOSURE_CHECKS] } : {}),
  });
  return task;
}

/** The variables a user task's form is filled from (what Tasklist reads), parsed. */
async function formVariables(userTaskKey: string): Promise<Record<string, unknown>> {
  const result = await t.api.searchUserTaskVariables({ userTaskKey: brand(userTaskKey), truncateValues: false, page: { limit: 100 } } as never, NOW);
  return Object.fromEntries((result.items ?? []).map((v: { name: string; value: string }) => [v.name, JSON.parse(v.value) as unknown]));
}

/** The process instance's own (root scope) variables, parsed. */
async function instanceVariables(processInstanceKey: string): Promise<Record<string, unknown>> {
  const result = await t.api.searchVariables({ filter: { processInstanceKey: brand(processInstanceKey), scopeKey: brand(processInstanceKey) }, truncateValues: false, page: { limit: 100 } } as never, NOW);
  return Object.fromEntries((result.items ?? []).map((v: { name: string; value: string }) => [v.name, JSON.parse(v.value) as unknown]));
}

/** Waits until the request waits for its resubmission (subscription open), then resubmits it. */
async function resubmit(processInstanceKey: string, egressRequestId: string) {
  await t.waitForActiveElement(processInstanceKey, RESUBMISSION_EVENT);
  await t.correlate(MESSAGES.egressRequestResubmitted, egressRequestId, { egressSubmittedBy: 'alice', disclosureChecks: { smallCellSuppression: true } });
}

describe('5 Output (Egress) Review & Release', () => {
  it('releases the outputs of an approved request: permit EGRESS_REVIEW_PENDING, request IN_REVIEW → APPROVED → RELEASED, permit back to ANALYSIS_ACTIVE', async () => {
    const permitId = 'P-egress-approved';
    const key = await startReview(permitId, 'E-approved');

    const review = await t.waitForUserTask({ processInstanceKey: key, elementId: REVIEW_TASK });
    expect(review.candidateGroups).toEqual([CANDIDATE_GROUPS.hdabReviewers]);
    expect(review.dueDate, 'the review is due in five days').toBeTruthy();
    expect(t.statusesSet(permitId)).toEqual(['EGRESS_REVIEW_PENDING'] satisfies PermitStatus[]);
    expect(egressStatuses('E-approved')).toEqual(['IN_REVIEW'] satisfies EgressStatus[]);
    const beforeReview = jobsOfRequest('E-approved');
    expect(beforeReview.find(isJob(TASK_TYPES.permitSetEgressStatus))?.headers[TASK_HEADERS.event]).toBe(EVENTS.egressSubmitted);
    expect(beforeReview.find(notification('egress-review-requested'))?.headers[TASK_HEADERS.audience]).toBe('hdab-reviewers');

    await t.completeUserTask(review.userTaskKey, { [EGRESS.decision]: 'APPROVED', [EGRESS.comment]: 'No disclosure risk', [EGRESS.checklist]: [...DISCLOSURE_CHECKS] });
    await t.waitForProcessState(key, 'COMPLETED');

    expect(t.statusesSet(permitId)).toEqual(['EGRESS_REVIEW_PENDING', 'ANALYSIS_ACTIVE'] satisfies PermitStatus[]);
    expect(egressStatuses('E-approved')).toEqual(['IN_REVIEW', 'APPROVED', 'RELEASED'] satisfies EgressStatus[]);
    const jobs = jobsOfRequest('E-approved');
    const audited = indexOf(jobs, isJob(TASK_TYPES.auditRecord, { [TASK_HEADERS.action]: 'egress.reviewed', [TASK_HEADERS.stage]: 'EGRESS' }));
    const approved = indexOf(jobs, isJob(TASK_TYPES.permitSetEgressStatus, { status: 'APPROVED', [TASK_HEADERS.event]: EVENTS.egressApproved }));
    const released = indexOf(jobs, isJob(TASK_TYPES.workspaceReleaseOutputs));
    const markedReleased = indexOf(jobs, isJob(TASK_TYPES.permitSetEgressStatus, { status: 'RELEASED', [TASK_HEADERS.event]: EVENTS.egressReleased }));
    const told = indexOf(jobs, notification('egress-released'));
    const backToAnalysis = indexOf(jobs, isJob(TASK_TYPES.permitSetStatus, { status: 'ANALYSIS_ACTIVE' }));
    expect([audited, approved, released, markedReleased, told, backToAnalysis]).toEqual([audited, approved, released, markedReleased, told, backToAnalysis].slice().sort((a, b) => a - b));
    expect(jobs[audited]?.variables[EGRESS.decision]).toBe('APPROVED');
    expect(jobs[released]?.variables.egressRequestId).toBe('E-approved');
    expect(jobs[told]?.headers[TASK_HEADERS.audience]).toBe('research-team');
    expect(jobs.filter(isJob(TASK_TYPES.workspaceReleaseOutputs))).toHaveLength(1);
    expect(await t.completedElementIds(key), 'one review is enough by default').not.toContain(SECOND_REVIEW_TASK);
    expect(await t.incidents(key)).toEqual([]);
  });

  it('goes round the rework loop twice: each resubmission, correlated by egressRequestId, reopens the review', async () => {
    const permitId = 'P-egress-rework';
    const key = await startReview(permitId, 'E-rework');

    const reviewed = new Set<string>();
    for (const round of [1, 2]) {
      const task = await decide(key, 'REWORK_REQUESTED', 'rita');
      reviewed.add(task.userTaskKey);
      await t.waitForActiveElement(key, RESUBMISSION_EVENT);
      expect(egressStatuses('E-rework').at(-1), `round ${round}: the request waits for rework`).toBe('REWORK_REQUESTED');
      expect(t.statusesSet(permitId).at(-1), `round ${round}: the research team works on again`).toBe('ANALYSIS_ACTIVE');
      await resubmit(key, 'E-rework');
    }
    const last = await decide(key, 'APPROVED', 'rita');
    reviewed.add(last.userTaskKey);
    await t.waitForProcessState(key, 'COMPLETED');

    expect(reviewed.size, 'each round opens a new review task').toBe(3);
    expect(t.statusesSet(permitId)).toEqual([
      'EGRESS_REVIEW_PENDING',
      'ANALYSIS_ACTIVE',
      'EGRESS_REVIEW_PENDING',
      'ANALYSIS_ACTIVE',
      'EGRESS_REVIEW_PENDING',
      'ANALYSIS_ACTIVE',
    ] satisfies PermitStatus[]);
    expect(egressStatuses('E-rework')).toEqual([
      'IN_REVIEW',
      'REWORK_REQUESTED',
      'SUBMITTED',
      'IN_REVIEW',
      'REWORK_REQUESTED',
      'SUBMITTED',
      'IN_REVIEW',
      'APPROVED',
      'RELEASED',
    ] satisfies EgressStatus[]);
    const jobs = jobsOfRequest('E-rework');
    const reworkMarks = jobs.filter(isJob(TASK_TYPES.permitSetEgressStatus, { status: 'REWORK_REQUESTED' }));
    expect(reworkMarks.map((job) => job.headers[TASK_HEADERS.event])).toEqual([EVENTS.egressReworkRequested, EVENTS.egressReworkRequested]);
    const asked = jobs.filter(notification('egress-rework-requested'));
    expect(asked.map((job) => job.headers[TASK_HEADERS.audience])).toEqual(['research-team', 'research-team']);
    expect(asked[0]?.variables[EGRESS.comment], 'the team gets the reviewer’s comment').toBe('REWORK_REQUESTED by rita');
    expect(jobs.filter(notification('egress-review-requested'))).toHaveLength(3);
    expect(jobs.filter(isJob(TASK_TYPES.workspaceReleaseOutputs))).toHaveLength(1);
  });

  it('rejects a request: REJECTED with permit.egress.rejected, research team told, nothing released, permit back to ANALYSIS_ACTIVE', async () => {
    const permitId = 'P-egress-rejected';
    const key = await startReview(permitId, 'E-rejected');
    await decide(key, 'REJECTED');
    await t.waitForProcessState(key, 'COMPLETED');

    expect(t.statusesSet(permitId)).toEqual(['EGRESS_REVIEW_PENDING', 'ANALYSIS_ACTIVE'] satisfies PermitStatus[]);
    expect(egressStatuses('E-rejected')).toEqual(['IN_REVIEW', 'REJECTED'] satisfies EgressStatus[]);
    const jobs = jobsOfRequest('E-rejected');
    const rejected = indexOf(jobs, isJob(TASK_TYPES.permitSetEgressStatus, { status: 'REJECTED', [TASK_HEADERS.event]: EVENTS.egressRejected }));
    const told = indexOf(jobs, notification('egress-rejected'));
    expect(rejected).toBeLessThan(told);
    expect(jobs[told]?.headers[TASK_HEADERS.audience]).toBe('research-team');
    expect(told).toBeLessThan(indexOf(jobs, isJob(TASK_TYPES.permitSetStatus, { status: 'ANALYSIS_ACTIVE' })));
    expect(jobs.some(isJob(TASK_TYPES.workspaceReleaseOutputs))).toBe(false);
  });

  it('with two required reviewers, opens the second review only after the first approval and follows the second decision', async () => {
    const permitId = 'P-egress-two-reviewers';
    const key = await startReview(permitId, 'E-two', TWO_REVIEWS);

    await t.waitForUserTask({ processInstanceKey: key, elementId: REVIEW_TASK });
    expect(await t.searchUserTasks({ processInstanceKey: key, elementId: SECOND_REVIEW_TASK })).toEqual([]);
    await decide(key, 'APPROVED', 'rita');

    const second = await t.waitForUserTask({ processInstanceKey: key, elementId: SECOND_REVIEW_TASK });
    expect(second.candidateGroups).toEqual([CANDIDATE_GROUPS.hdabReviewers]);
    expect(second.dueDate).toBeTruthy();
    expect(await t.searchUserTasks({ processInstanceKey: key, elementId: REVIEW_TASK }), 'the first review is done').toEqual([]);
    expect(egressStatuses('E-two'), 'not approved on one review').toEqual(['IN_REVIEW'] satisfies EgressStatus[]);
    expect(jobsOfRequest('E-two').some(isJob(TASK_TYPES.workspaceReleaseOutputs))).toBe(false);

    await decide(key, 'APPROVED', 'victor', SECOND_REVIEW_TASK);
    await t.waitForProcessState(key, 'COMPLETED');

    expect(egressStatuses('E-two')).toEqual(['IN_REVIEW', 'APPROVED', 'RELEASED'] satisfies EgressStatus[]);
    const audits = jobsOfRequest('E-two').filter(isJob(TASK_TYPES.auditRecord, { [TASK_HEADERS.action]: 'egress.reviewed', [TASK_HEADERS.stage]: 'EGRESS' }));
    expect(audits).toHaveLength(2);
    expect(audits[1]?.variables[EGRESS.reviewer], 'the release notifications name the last reviewer').toBe('rita');
    expect((await instanceVariables(key))[PROCESS_VARIABLES.egressReviews]).toMatchObject([{ reviewer: 'rita' }, { reviewer: 'victor' }]);
  });

  it("the second reviewer's form shows the first review (decision, checks, comment, who) and starts empty; the team's declarations survive both reviews", async () => {
    const declared = [{ path: 'tables/t1.csv', checks: ['MIN_CELL_COUNT_10'], note: 'Age bands merged' }];
    const key = await startReview('P-egress-sees-first', 'E-sees-first', { ...TWO_REVIEWS, disclosureChecks: declared });

    const first = await t.waitForUserTask({ processInstanceKey: key, elementId: REVIEW_TASK });
    const firstForm = await formVariables(first.userTaskKey);
    expect(firstForm.disclosureChecks, 'the first form shows the declarations').toEqual(declared);
    expect(firstForm, 'and no earlier review').not.toHaveProperty(PROCESS_VARIABLES.egressReviews);
    lastReviewer.set(key, 'rita');
    // The completion also tries to overwrite what the team declared: only the review's own fields leave the task.
    await t.completeUserTask(first.userTaskKey, {
      [EGRESS.decision]: 'APPROVED',
      [EGRESS.checklist]: [...DISCLOSURE_CHECKS],
      [EGRESS.comment]: 'Cells fine after merging',
      disclosureChecks: [{ path: 'tables/t1.csv', checks: ['ROUNDING_APPLIED'] }],
    });

    const second = await t.waitForUserTask({ processInstanceKey: key, elementId: SECOND_REVIEW_TASK });
    const shown = await formVariables(second.userTaskKey);
    expect(shown[PROCESS_VARIABLES.egressReviews], 'the first review, read-only context').toEqual([
      { reviewer: 'rita', decision: 'APPROVED', checks: [...DISCLOSURE_CHECKS], comment: 'Cells fine after merging' },
    ]);
    expect(shown.disclosureChecks, "the team's declarations as submitted").toEqual(declared);
    expect(
      { decision: shown[EGRESS.decision], checks: shown[EGRESS.checklist], comment: shown[EGRESS.comment] },
      "the second reviewer's own fields start empty, not prefilled with the first review",
    ).toEqual({ decision: null, checks: null, comment: null });

    await decide(key, 'REWORK_REQUESTED', 'victor', SECOND_REVIEW_TASK);
    await t.waitForActiveElement(key, RESUBMISSION_EVENT);
    const after = await instanceVariables(key);
    expect(after.disclosureChecks, 'declarations untouched by the reviews').toEqual(declared);
    expect(after[PROCESS_VARIABLES.egressReviews]).toEqual([
      { reviewer: 'rita', decision: 'APPROVED', checks: [...DISCLOSURE_CHECKS], comment: 'Cells fine after merging' },
      { reviewer: 'victor', decision: 'REWORK_REQUESTED', checks: null, comment: 'REWORK_REQUESTED by victor' },
    ]);
    expect(after[EGRESS.decision], 'the gateways read the last decision').toBe('REWORK_REQUESTED');
  });

  it('with two required reviewers, a rework request by the second reviewer sends the request back, and the next round needs both reviews again', async () => {
    const permitId = 'P-egress-second-rework';
    const key = await startReview(permitId, 'E-second-rework', TWO_REVIEWS);
    await decide(key, 'APPROVED', 'rita');
    await decide(key, 'REWORK_REQUESTED', 'victor', SECOND_REVIEW_TASK);
    await resubmit(key, 'E-second-rework');

    await decide(key, 'APPROVED', 'rita');
    await decide(key, 'APPROVED', 'victor', SECOND_REVIEW_TASK);
    await t.waitForProcessState(key, 'COMPLETED');

    expect(egressStatuses('E-second-rework')).toEqual(['IN_REVIEW', 'REWORK_REQUESTED', 'SUBMITTED', 'IN_REVIEW', 'APPROVED', 'RELEASED'] satisfies EgressStatus[]);
    expect(jobsOfRequest('E-second-rework').filter(isJob(TASK_TYPES.auditRecord))).toHaveLength(4);
  });

  it('with two required reviewers, a first-review rejection needs no second review', async () => {
    const key = await startReview('P-egress-first-rejects', 'E-first-rejects', TWO_REVIEWS);
    await decide(key, 'REJECTED', 'rita');
    await t.waitForProcessState(key, 'COMPLETED');

    expect(egressStatuses('E-first-rejects')).toEqual(['IN_REVIEW', 'REJECTED'] satisfies EgressStatus[]);
    expect(await t.completedElementIds(key)).not.toContain(SECOND_REVIEW_TASK);
  });

  it('keeps two concurrent requests on one permit apart: each review task, resubmission and release belongs to its own request', async () => {
    const permitId = 'P-egress-concurrent';
    const first = await startReview(permitId, 'E-first');
    const second = await startReview(permitId, 'E-second');

    // The REST API finds a request's review task by the process instance variables permitId and egressRequestId.
    const reviewOf = async (egressRequestId: string) => {
      const found = await t.waitFor(
        async () => {
          const result = await t.api.searchUserTasks(
            {
              filter: {
                state: 'CREATED',
                candidateGroup: CANDIDATE_GROUPS.hdabReviewers,
                processInstanceVariables: [
                  { name: 'permitId', value: JSON.stringify(permitId) },
                  { name: 'egressRequestId', value: JSON.stringify(egressRequestId) },
                ],
              } as never,
              page: { limit: 10 },
            },
            NOW,
          );
          return result.items?.length ? result.items : undefined;
        },
        { message: `the review task of ${egressRequestId}` },
      );
      expect(found, `exactly one open review for ${egressRequestId}`).toHaveLength(1);
      return found[0]!;
    };
    expect(await t.waitFor(async () => ((await t.searchUserTasks({ permitId })).length === 2 ? true : undefined), { message: 'two open reviews' })).toBe(true);
    const firstReview = await reviewOf('E-first');
    const secondReview = await reviewOf('E-second');
    expect(String(firstReview.processInstanceKey)).toBe(first);
    expect(String(secondReview.processInstanceKey)).toBe(second);

    await t.completeUserTask(String(firstReview.userTaskKey), { [EGRESS.decision]: 'REWORK_REQUESTED', [EGRESS.comment]: 'Suppress small cells' });
    await t.completeUserTask(String(secondReview.userTaskKey), { [EGRESS.decision]: 'APPROVED', [EGRESS.comment]: 'Fine', [EGRESS.checklist]: [...DISCLOSURE_CHECKS] });
    await t.waitForProcessState(second, 'COMPLETED');
    await t.waitForActiveElement(first, RESUBMISSION_EVENT);
    await expect(t.api.getUserTask({ userTaskKey: brand(String(secondReview.userTaskKey)) }, NOW)).resolves.toMatchObject({ state: 'COMPLETED' });

    // A resubmission keyed by the permit (not the request) reaches nobody; the request's own id reopens its review.
    await expect(t.correlate(MESSAGES.egressRequestResubmitted, permitId, { egressSubmittedBy: 'alice' })).rejects.toThrow();
    await resubmit(first, 'E-first');
    const reopened = await reviewOf('E-first');
    expect(String(reopened.processInstanceKey)).toBe(first);
    await t.completeUserTask(String(reopened.userTaskKey), { [EGRESS.decision]: 'APPROVED', [EGRESS.comment]: 'Fixed', [EGRESS.checklist]: [...DISCLOSURE_CHECKS] });
    await t.waitForProcessState(first, 'COMPLETED');

    expect(egressStatuses('E-first')).toEqual(['IN_REVIEW', 'REWORK_REQUESTED', 'SUBMITTED', 'IN_REVIEW', 'APPROVED', 'RELEASED'] satisfies EgressStatus[]);
    expect(egressStatuses('E-second')).toEqual(['IN_REVIEW', 'APPROVED', 'RELEASED'] satisfies EgressStatus[]);
    const releases = t.jobsOf(TASK_TYPES.workspaceReleaseOutputs);
    expect(releases.map((job) => job.variables.egressRequestId).sort()).toEqual(['E-first', 'E-second']);
    expect(releases.find((job) => job.variables.egressRequestId === 'E-first')?.processInstanceKey).toBe(first);
  });

  it('reminds the HDAB reviewers every two days while the review is open, and keeps the task open', async () => {
    const permitId = 'P-egress-overdue';
    const key = await startReview(permitId, 'E-overdue');
    const review = await t.waitForUserTask({ processInstanceKey: key, elementId: REVIEW_TASK });
    const opened = new Date(review.creationDate ?? Date.now()).getTime();
    const reminders = () => jobsOfRequest('E-overdue').filter(notification('review-overdue'));
    expect(reminders()).toEqual([]);

    await t.pinClock(opened + 2 * DAY + HOUR);
    await t.waitForJob(TASK_TYPES.notificationSend, (job) => job.variables.egressRequestId === 'E-overdue' && notification('review-overdue')(job));
    await t.pinClock(opened + 4 * DAY + 2 * HOUR);
    await t.waitFor(() => reminders().length === 2, { message: 'a second reminder' });

    expect(reminders().map((job) => job.headers[TASK_HEADERS.audience])).toEqual(['hdab-reviewers', 'hdab-reviewers']);
    const stillOpen = await t.waitForUserTask({ processInstanceKey: key, elementId: REVIEW_TASK });
    expect(stillOpen.userTaskKey).toBe(review.userTaskKey);
    await t.resetClock();
  });
});
