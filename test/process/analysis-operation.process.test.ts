/**
 * BPMN 4 "Analysis Operation" (`bpmn/4-analysis-operation.bpmn`) on the embedded engine with fake workers: the
 * analysis runs until the permit's validUntil (a timer months ahead, reached by pinning the engine clock) or until
 * the research team closes it early; the team and the HDAB are warned 30, 7 and 1 days ahead; every output request
 * starts its own output review (BPMN 5) while the analysis goes on.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVENTS, MESSAGES, PROCESS_IDS, TASK_HEADERS, TASK_TYPES, type PermitStatus } from '../../shared/index.js';
import { startProcessTest, type ProcessTest, type RecordedJob } from './support/process-harness.js';

const ANALYSIS_WAIT = 'Activity_AnalysisInProgress';
const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;

let t: ProcessTest;
/** The engine clock once a test has pinned it (it then stands still); the tests share one engine. */
let pinnedAt: number | undefined;
const engineNow = () => pinnedAt ?? Date.now();

beforeAll(async () => {
  t = await startProcessTest();
});

afterAll(async () => {
  await t?.stop();
});

/** Moves the engine clock forward; every timer due by then fires before this returns. */
async function pinClock(at: number) {
  await t.pinClock(at);
  pinnedAt = at;
}

const jobsFor = (permitId: string) => t.jobs.filter((job) => job.variables.permitId === permitId);
const isExpiryWarning = (job: RecordedJob) => job.type === TASK_TYPES.notificationSend && job.headers[TASK_HEADERS.template] === 'expiry-warning';

/** Starts the analysis phase of a permit valid for `validForDays` more days; resolves once it waits. */
async function startAnalysis(permitId: string, validForDays = 180) {
  const validUntil = new Date(engineNow() + validForDays * DAY);
  const key = await t.startProcess(PROCESS_IDS.analysis, { permitId, validUntil: validUntil.toISOString() });
  await t.waitForActiveElement(key, ANALYSIS_WAIT);
  return { key, validUntil: validUntil.getTime() };
}

/** Child output reviews (BPMN 5) started by one analysis instance. */
async function outputReviewsOf(parentKey: string) {
  const instances = await t.instancesOf(PROCESS_IDS.egress);
  return instances.filter((instance) => String(instance.parentProcessInstanceKey) === parentKey);
}

describe('4 Analysis Operation', () => {
  it('expires at validUntil, months ahead: sets EXPIRED with permit.expired and ends with analysisOutcome EXPIRED', async () => {
    const permitId = 'P-analysis-expiry';
    const { key, validUntil } = await startAnalysis(permitId, 200);

    await pinClock(validUntil + HOUR);
    await t.waitForProcessState(key, 'COMPLETED');

    expect(t.statusesSet(permitId)).toEqual(['EXPIRED'] satisfies PermitStatus[]);
    const expired = jobsFor(permitId).find((job) => job.type === TASK_TYPES.permitSetStatus);
    expect(expired?.headers[TASK_HEADERS.event]).toBe(EVENTS.expired);
    expect(await t.variables(key)).toMatchObject({ analysisOutcome: 'EXPIRED' });
  });

  it('warns the research team and the HDAB 30, 7 and 1 days before expiry while the analysis goes on', async () => {
    const permitId = 'P-analysis-warnings';
    const { key, validUntil } = await startAnalysis(permitId, 120);
    expect(jobsFor(permitId).filter(isExpiryWarning)).toEqual([]);

    for (const [index, days] of [30, 7, 1].entries()) {
      await pinClock(validUntil - days * DAY + HOUR);
      const warning = await t.waitForJob(TASK_TYPES.notificationSend, (job) => job.variables.permitId === permitId && isExpiryWarning(job) && job.variables.days === days);
      expect(warning.headers[TASK_HEADERS.audience]).toBe('research-team-and-hdab');
      expect(jobsFor(permitId).filter(isExpiryWarning), `only the warnings due by ${days} days before`).toHaveLength(index + 1);
    }
    expect((await t.getInstance(key)).state).toBe('ACTIVE');
    expect(t.statusesSet(permitId)).toEqual([]);

    await pinClock(validUntil + HOUR);
    await t.waitForProcessState(key, 'COMPLETED');
    expect(jobsFor(permitId).filter(isExpiryWarning).map((job) => job.variables.days)).toEqual([30, 7, 1]);
  });

  it('re-arms the expiry and the warnings at a new end date (permit.validity-changed) without leaving the analysis', async () => {
    const permitId = 'P-analysis-extended';
    const { key, validUntil } = await startAnalysis(permitId, 60);
    // 20 days before the first end: the 30-day warning has gone out.
    await pinClock(validUntil - 20 * DAY);
    await t.waitForJob(TASK_TYPES.notificationSend, (job) => job.variables.permitId === permitId && isExpiryWarning(job) && job.variables.days === 30);

    const extended = validUntil + 90 * DAY;
    await t.correlate(MESSAGES.validityChanged, permitId, { validUntil: new Date(extended).toISOString() });
    await t.waitFor(async () => (await t.variables(key)).validUntil === new Date(extended).toISOString(), { message: 'the new end date in the analysis' });
    await t.waitForActiveElement(key, ANALYSIS_WAIT);

    // Past the first end date: still running, and no 7- or 1-day warning for a date that no longer holds.
    await pinClock(validUntil + HOUR);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((await t.getInstance(key)).state).toBe('ACTIVE');
    expect(t.statusesSet(permitId)).toEqual([]);
    expect(jobsFor(permitId).filter(isExpiryWarning).map((job) => job.variables.days)).toEqual([30]);

    // The warnings and the expiry follow the new date.
    await pinClock(extended - 30 * DAY + HOUR);
    await t.waitFor(() => jobsFor(permitId).filter(isExpiryWarning).length === 2, { message: 'the 30-day warning for the new end date' });
    await pinClock(extended + HOUR);
    await t.waitForProcessState(key, 'COMPLETED');
    expect(t.statusesSet(permitId)).toEqual(['EXPIRED'] satisfies PermitStatus[]);
    expect(jobsFor(permitId).filter(isExpiryWarning).map((job) => job.variables.days)).toEqual([30, 30, 7, 1]);
  });

  it('ends with analysisOutcome CLOSED_EARLY when the research team closes the analysis, cancelling the expiry timers', async () => {
    const permitId = 'P-analysis-closed';
    const { key, validUntil } = await startAnalysis(permitId);

    await t.correlate(MESSAGES.analysisCloseRequested, permitId, { closeRequestedBy: 'alice', closeReason: 'Study finished' });
    await t.waitForProcessState(key, 'COMPLETED');
    expect(await t.variables(key)).toMatchObject({ analysisOutcome: 'CLOSED_EARLY', closeReason: 'Study finished' });

    await pinClock(validUntil + HOUR);
    expect(t.statusesSet(permitId), 'no expiry after an early close').toEqual([]);
    expect(jobsFor(permitId).filter(isExpiryWarning)).toEqual([]);
  });

  it('starts an output review (BPMN 5) for every output request while the analysis goes on, and ends them when the analysis closes', async () => {
    const permitId = 'P-analysis-egress';
    const { key } = await startAnalysis(permitId);

    await t.correlate(MESSAGES.egressRequestSubmitted, permitId, {
      egressRequestId: 'E-1',
      egressSubmittedBy: 'alice',
      disclosureChecks: { smallCellSuppression: true },
    });
    const files = [{ path: 'figures/f2.png', checkStatus: 'review', sizeBytes: 2048 }];
    await t.correlate(MESSAGES.egressRequestSubmitted, permitId, { egressRequestId: 'E-2', egressSubmittedBy: 'alice', egressFiles: files });

    const reviews = await t.waitFor(async () => {
      const found = await outputReviewsOf(key);
      return found.length === 2 ? found : undefined;
    }, { message: 'two output reviews called from the analysis' });
    const variables = await Promise.all(reviews.map((review) => t.variables(String(review.processInstanceKey))));
    const byRequest = Object.fromEntries(variables.map((v) => [String(v.egressRequestId), v]));
    expect(byRequest['E-1']).toMatchObject({ permitId, egressRequestId: 'E-1', egressSubmittedBy: 'alice', disclosureChecks: { smallCellSuppression: true } });
    expect(byRequest['E-2']).toMatchObject({ permitId, egressRequestId: 'E-2', egressFiles: files });
    // The research team no longer says how many reviews it wants: the analysis passes no such number (issue 19).
    for (const v of variables) expect(v).not.toHaveProperty('egressRequiredReviews');
    expect(await t.activeElementIds(key)).toContain(ANALYSIS_WAIT);

    await t.correlate(MESSAGES.analysisCloseRequested, permitId, { closeRequestedBy: 'alice', closeReason: 'Done' });
    await t.waitForProcessState(key, 'COMPLETED');
    for (const review of reviews) {
      expect((await t.getInstance(String(review.processInstanceKey))).state, 'an open output review ends with the analysis').toBe('TERMINATED');
    }
  });
});
