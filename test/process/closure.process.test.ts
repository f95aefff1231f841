/**
 * BPMN 7 "Closure, Archival & Data Deletion" (`bpmn/7-closure-archival-deletion.bpmn`) on the embedded engine with
 * fake workers: the permit goes CLOSING → DATA_DELETION_PENDING → CLOSED; the analysis workspace is torn down and
 * archived first, the data is deleted only when the deletion grace period (default 30 days) is over, and the
 * deletion is published and announced before the permit is closed. The grace period is driven by pinning the
 * engine clock.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EVENTS, PROCESS_IDS, TASK_HEADERS, TASK_TYPES, type PermitStatus } from '../../shared/index.js';
import { startProcessTest, type ProcessTest } from './support/process-harness.js';
import { indexOf, isJob } from './support/job-matchers.js';

const GRACE_PERIOD_EVENT = 'Event_GracePeriodOver';
const MINUTE = 60 * 1000;
const DAY = 24 * 60 * MINUTE;

let t: ProcessTest;

beforeEach(async () => {
  t = await startProcessTest();
});

afterEach(async () => {
  await t?.resetClock();
  await t?.stop();
});

const jobsFor = (permitId: string) => t.jobs.filter((job) => job.variables.permitId === permitId);

/** Starts the closure and waits until it waits for the grace period; returns the key and when the wait began. */
async function startClosure(permitId: string, variables: Record<string, unknown> = {}) {
  const key = await t.startProcess(PROCESS_IDS.closure, { permitId, closeReason: 'EXPIRED', ...variables });
  const waiting = await t.waitForActiveElement(key, GRACE_PERIOD_EVENT);
  return { key, waitingSince: new Date(waiting.startDate ?? Date.now()).getTime() };
}

describe('7 Closure, Archival & Data Deletion', () => {
  it('tears down and archives the workspace, deletes the data after the grace period and only then publishes permit.data.deleted and closes the permit', async () => {
    const permitId = 'P-closure';
    const { key, waitingSince } = await startClosure(permitId, { deletionGracePeriod: 'P7D' });

    expect(t.statusesSet(permitId)).toEqual(['CLOSING', 'DATA_DELETION_PENDING'] satisfies PermitStatus[]);
    let jobs = jobsFor(permitId);
    const closing = indexOf(jobs, isJob(TASK_TYPES.permitSetStatus, { status: 'CLOSING' }));
    const tornDown = indexOf(jobs, isJob(TASK_TYPES.workspaceTeardown, { [TASK_HEADERS.phase]: 'analysis' }));
    const archived = indexOf(jobs, isJob(TASK_TYPES.workspaceArchive));
    const pending = indexOf(jobs, isJob(TASK_TYPES.permitSetStatus, { status: 'DATA_DELETION_PENDING' }));
    expect([closing, tornDown, archived, pending]).toEqual([0, 1, 2, 3]);
    expect(jobs.some(isJob(TASK_TYPES.workspaceDeleteData))).toBe(false);

    await t.pinClock(waitingSince + 7 * DAY - MINUTE);
    expect(jobsFor(permitId).some(isJob(TASK_TYPES.workspaceDeleteData)), 'a minute before the grace period ends, nothing is deleted').toBe(false);
    await t.waitForActiveElement(key, GRACE_PERIOD_EVENT);

    await t.pinClock(waitingSince + 7 * DAY + MINUTE);
    await t.waitForProcessState(key, 'COMPLETED');

    expect(t.statusesSet(permitId)).toEqual(['CLOSING', 'DATA_DELETION_PENDING', 'CLOSED'] satisfies PermitStatus[]);
    jobs = jobsFor(permitId);
    const deleted = indexOf(jobs, isJob(TASK_TYPES.workspaceDeleteData));
    const published = indexOf(jobs, isJob(TASK_TYPES.permitPublishEvent, { [TASK_HEADERS.event]: EVENTS.dataDeleted }));
    const told = indexOf(jobs, isJob(TASK_TYPES.notificationSend, { [TASK_HEADERS.template]: 'data-deleted' }));
    const closed = indexOf(jobs, isJob(TASK_TYPES.permitSetStatus, { status: 'CLOSED', [TASK_HEADERS.event]: EVENTS.closed }));
    expect([pending, deleted, published, told, closed]).toEqual([3, 4, 5, 6, 7]);
    expect(jobs[told]?.headers[TASK_HEADERS.audience]).toBe('hdab-and-data-holders');
    expect(jobs).toHaveLength(8);
    expect(await t.incidents(key)).toEqual([]);
  });

  it('keeps the data for 30 days when no deletion grace period is given', async () => {
    const permitId = 'P-closure-default';
    const { key, waitingSince } = await startClosure(permitId);

    await t.pinClock(waitingSince + 29 * DAY);
    expect(jobsFor(permitId).some(isJob(TASK_TYPES.workspaceDeleteData)), 'still within 30 days').toBe(false);
    await t.waitForActiveElement(key, GRACE_PERIOD_EVENT);

    await t.pinClock(waitingSince + 30 * DAY + MINUTE);
    await t.waitForProcessState(key, 'COMPLETED');
    expect(t.statusesSet(permitId)).toEqual(['CLOSING', 'DATA_DELETION_PENDING', 'CLOSED'] satisfies PermitStatus[]);
    expect(jobsFor(permitId).filter(isJob(TASK_TYPES.workspaceDeleteData))).toHaveLength(1);
  });
});
