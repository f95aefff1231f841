/**
 * The HDAB's output release policy (`bpmn/output-release-policy.dmn`, decision `spe-output-release-policy`) as the
 * engine deployed it with the diagrams: how many independent reviews an output request needs, from its files as
 * submitted and what the disclosure checks found (issue 19). Each rule of the table through the official client's
 * decision evaluation, then BPMN 5 calling it at every review round and handing the result to the worker that puts
 * the request in review.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DISCLOSURE_CHECKS, MESSAGES, PROCESS_IDS, PROCESS_VARIABLES, REVIEW_VARIABLES, TASK_HEADERS, TASK_TYPES } from '../../shared/index.js';
import { key as brand } from '../conformance/support/harness.js';
import { startProcessTest, type ProcessTest } from './support/process-harness.js';
import { isJob } from './support/job-matchers.js';

const DECISION_ID = 'spe-output-release-policy';
const EGRESS = REVIEW_VARIABLES.EGRESS;
const MIB = 1024 * 1024;

let t: ProcessTest;

beforeAll(async () => {
  t = await startProcessTest();
});
afterAll(async () => {
  await t?.stop();
});

/** The decision's result for these files, as `{ requiredReviews, reason }`. */
async function policyFor(egressFiles: unknown): Promise<{ requiredReviews: number; reason: string }> {
  const evaluated = await t.api.evaluateDecision({ decisionDefinitionId: brand(DECISION_ID), variables: egressFiles === undefined ? {} : { egressFiles } } as never);
  return JSON.parse(String(evaluated.output)) as { requiredReviews: number; reason: string };
}

const table = (path: string, checkStatus: string, sizeBytes = 2_000) => ({ path, checkStatus, sizeBytes, mediaType: 'text/csv' });

describe('the output release policy (decision table)', () => {
  it('is deployed with the diagrams', () => {
    expect(t.deployment.decisions?.map((d: { decisionDefinitionId?: unknown }) => d.decisionDefinitionId)).toEqual([DECISION_ID]);
  });

  it.each([
    ['tables that all passed the checks', 1, /^No file failed the disclosure checks/, [table('t1.csv', 'pass'), table('t2.csv', 'pass')]],
    ['a table that failed the checks', 2, /^At least one file failed the disclosure checks/, [table('t1.csv', 'fail'), table('t2.csv', 'pass')]],
    ['a figure the checks cannot read (the demo\'s Figure 2)', 2, /^At least one file could not be checked automatically/, [table('t1.csv', 'pass'), { path: 'f2.png', checkStatus: 'review', sizeBytes: 900 }]],
    ['a failed table and a figure: the first rule that matches decides', 2, /^At least one file failed/, [table('t1.csv', 'fail'), { path: 'f2.png', checkStatus: 'review' }]],
    ['more than 10 files to release', 2, /more than 10 files/, Array.from({ length: 11 }, (_, i) => table(`t${i}.csv`, 'pass'))],
    ['10 files and a supporting one (not released)', 1, /^No file failed/, [...Array.from({ length: 10 }, (_, i) => table(`t${i}.csv`, 'pass')), { ...table('support.csv', 'pass'), supporting: true }]],
    ['more than 50 MiB', 2, /more than 50 MiB/, [table('big.csv', 'pass', 51 * MIB)]],
    ['files nobody checked (no airlock)', 1, /^No file failed/, [{ path: 't1.csv' }]],
    ['no files at all', 1, /^No file failed/, undefined],
  ])('%s: %i review(s)', async (_case, requiredReviews, reason, files) => {
    const decided = await policyFor(files);
    expect(decided.requiredReviews).toBe(requiredReviews);
    expect(decided.reason).toMatch(reason);
  });
});

describe('BPMN 5 follows the policy', () => {
  it('decides at every review round, hands the result to the request going into review, and asks for a second review only when the policy does', async () => {
    const permitId = 'P-policy';
    const key = await t.startProcess(PROCESS_IDS.egress, { permitId, egressRequestId: 'E-policy', egressSubmittedBy: 'alice', egressFiles: [table('t1.csv', 'fail')] });

    // Round 1: a failed table needs two reviews; the worker that marks the request in review gets the decision.
    const first = await t.waitForUserTask({ processInstanceKey: key, elementId: 'Task_ReviewOutput' });
    const inReview = t.jobs.filter((job) => job.processInstanceKey === key).find(isJob(TASK_TYPES.permitSetEgressStatus, { [TASK_HEADERS.status]: 'IN_REVIEW' }));
    expect(inReview?.variables[PROCESS_VARIABLES.egressReleasePolicy]).toMatchObject({ requiredReviews: 2, reason: expect.stringMatching(/^At least one file failed/) });
    await t.completeUserTask(first.userTaskKey, { [EGRESS.decision]: 'APPROVED', [EGRESS.checklist]: [...DISCLOSURE_CHECKS], [EGRESS.comment]: 'ok' });
    const second = await t.waitForUserTask({ processInstanceKey: key, elementId: 'Task_SecondOutputReview' });
    await t.completeUserTask(second.userTaskKey, { [EGRESS.decision]: 'REWORK_REQUESTED', [EGRESS.comment]: 'Merge the small cells' });

    // Round 2: the team resubmits with the table fixed; the policy decides again: one review releases it.
    await t.waitForActiveElement(key, 'Event_RequestResubmitted');
    await t.correlate(MESSAGES.egressRequestResubmitted, 'E-policy', { egressSubmittedBy: 'alice', egressFiles: [table('t1.csv', 'pass')] });
    await t.waitFor(async () => ((await t.variables(key))[PROCESS_VARIABLES.egressReleasePolicy] as { requiredReviews?: number } | undefined)?.requiredReviews === 1 || undefined, {
      message: 'the policy decided anew for the resubmission',
    });
    const again = await t.waitForUserTask({ processInstanceKey: key, elementId: 'Task_ReviewOutput' });
    await t.completeUserTask(again.userTaskKey, { [EGRESS.decision]: 'APPROVED', [EGRESS.checklist]: [...DISCLOSURE_CHECKS], [EGRESS.comment]: 'ok now' });
    await t.waitForProcessState(key, 'COMPLETED');
    expect(await t.completedElementIds(key)).toEqual(expect.arrayContaining(['Activity_DecideRequiredReviews']));
    expect(t.jobs.filter((job) => job.processInstanceKey === key).some(isJob(TASK_TYPES.workspaceReleaseOutputs)), 'released after one review in round 2').toBe(true);
  });
});
