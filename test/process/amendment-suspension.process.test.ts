/**
 * BPMN 6 "Amendment, Suspension & Revocation" (`bpmn/6-amendment-suspension-revocation.bpmn`) on the embedded
 * engine with fake workers, started on its own as the lifecycle process starts it (permitId + changeKind).
 * A suspension halts the workspace until the HDAB resumes the permit, which then returns to its previous status; a
 * revocation halts it for good and escalates PERMIT_REVOKED; an amendment is assessed and, when approved, applied
 * and synchronised to the workspace.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CANDIDATE_GROUPS,
  EVENTS,
  MESSAGES,
  PROCESS_IDS,
  REVIEW_VARIABLES,
  TASK_HEADERS,
  TASK_TYPES,
  type PermitStatus,
} from '../../shared/index.js';
import { startProcessTest, type ProcessTest } from './support/process-harness.js';
import { indexOf, isJob, notification } from './support/job-matchers.js';

const AMENDMENT = REVIEW_VARIABLES.AMENDMENT;
const ASSESSMENT_TASK = 'Task_AssessAmendment';
const RESUME_EVENT = 'Event_ResumeRequested';
const REVOKED_END = 'Event_PermitRevoked';

let t: ProcessTest;

// One engine for the file: each test has its own permit id and looks only at its own instance and jobs.
beforeAll(async () => {
  t = await startProcessTest();
});

afterAll(async () => {
  await t?.stop();
});

const jobsFor = (permitId: string) => t.jobs.filter((job) => job.variables.permitId === permitId);
const inOrder = (...indexes: number[]) => expect(indexes).toEqual(indexes.slice().sort((a, b) => a - b));

describe('6 Amendment, Suspension & Revocation', () => {
  it('suspends the permit and halts the workspace, waits for the resume request, then resumes the workspace and restores the previous status', async () => {
    const permitId = 'P-suspended';
    const key = await t.startProcess(PROCESS_IDS.amendment, { permitId, changeKind: 'SUSPENSION', suspensionReason: 'Suspected breach', suspendedBy: 'rita' });

    await t.waitForActiveElement(key, RESUME_EVENT);
    expect(t.statusesSet(permitId)).toEqual(['SUSPENDED'] satisfies PermitStatus[]);
    let jobs = jobsFor(permitId);
    const suspended = indexOf(jobs, isJob(TASK_TYPES.permitSetStatus, { status: 'SUSPENDED', [TASK_HEADERS.event]: EVENTS.suspended }));
    const halted = indexOf(jobs, isJob(TASK_TYPES.workspaceSuspend));
    const told = indexOf(jobs, notification('permit-suspended'));
    inOrder(suspended, halted, told);
    expect(jobs[told]?.headers).toMatchObject({ [TASK_HEADERS.audience]: 'everyone', [TASK_HEADERS.critical]: 'true' });
    expect(jobs[suspended]?.variables.suspensionReason).toBe('Suspected breach');
    expect(jobs.some(isJob(TASK_TYPES.workspaceResume)), 'nothing resumes before the HDAB says so').toBe(false);

    await t.correlate(MESSAGES.resumeRequested, permitId, { resumedBy: 'rita', resumeReason: 'Breach ruled out' });
    await t.waitForProcessState(key, 'COMPLETED');

    jobs = jobsFor(permitId);
    const resumed = indexOf(jobs, isJob(TASK_TYPES.workspaceResume));
    const restored = indexOf(jobs, isJob(TASK_TYPES.permitRestoreStatus, { [TASK_HEADERS.event]: EVENTS.resumed }));
    const toldResumed = indexOf(jobs, notification('permit-resumed'));
    inOrder(told, resumed, restored, toldResumed);
    expect(jobs[toldResumed]?.headers[TASK_HEADERS.audience]).toBe('everyone');
    expect(jobs[restored]?.variables.resumedBy).toBe('rita');
    // The status goes back through permit.restore-status (to the status before the suspension), not a fixed set-status.
    expect(t.statusesSet(permitId)).toEqual(['SUSPENDED'] satisfies PermitStatus[]);
    expect(await t.incidents(key)).toEqual([]);
  });

  it('revokes the permit, halts the workspace, tells everyone and ends with the PERMIT_REVOKED escalation, which completes a standalone instance without an incident', async () => {
    const permitId = 'P-revoked';
    const key = await t.startProcess(PROCESS_IDS.amendment, { permitId, changeKind: 'REVOCATION', revocationReason: 'Terms violated', revokedBy: 'rita' });

    // Zeebe: an escalation nobody catches is not an incident; the end event completes and so does the instance.
    await t.waitForProcessState(key, 'COMPLETED');
    expect(await t.incidents(key)).toEqual([]);
    expect((await t.completedElementIds(key)).at(-1)).toBe(REVOKED_END);

    expect(t.statusesSet(permitId)).toEqual(['REVOKED'] satisfies PermitStatus[]);
    const jobs = jobsFor(permitId);
    const revoked = indexOf(jobs, isJob(TASK_TYPES.permitSetStatus, { status: 'REVOKED', [TASK_HEADERS.event]: EVENTS.revoked }));
    const halted = indexOf(jobs, isJob(TASK_TYPES.workspaceSuspend));
    const told = indexOf(jobs, notification('permit-revoked'));
    inOrder(revoked, halted, told);
    expect(jobs[told]?.headers).toMatchObject({ [TASK_HEADERS.audience]: 'everyone', [TASK_HEADERS.critical]: 'true' });
    expect(jobs.some(isJob(TASK_TYPES.workspaceResume))).toBe(false);
  });

  it('applies an approved amendment and synchronises workspace access, telling the research team', async () => {
    const permitId = 'P-amended';
    const amendment = { addMembers: [{ userId: 'bob', teamRole: 'RESEARCH_TEAM' }] };
    const key = await t.startProcess(PROCESS_IDS.amendment, { permitId, changeKind: 'AMENDMENT', amendment, amendmentRequestedBy: 'alice' });

    const task = await t.waitForUserTask({ processInstanceKey: key, elementId: ASSESSMENT_TASK });
    expect(task.candidateGroups).toEqual([CANDIDATE_GROUPS.hdabReviewers]);
    expect(task.dueDate, 'the assessment is due in five days').toBeTruthy();
    await t.completeUserTask(task.userTaskKey, { [AMENDMENT.decision]: 'APPROVED', [AMENDMENT.comment]: 'Bob is a named analyst', [AMENDMENT.reviewer]: 'rita' });
    await t.waitForProcessState(key, 'COMPLETED');

    const jobs = jobsFor(permitId);
    const audited = indexOf(jobs, isJob(TASK_TYPES.auditRecord, { [TASK_HEADERS.action]: 'amendment.assessed', [TASK_HEADERS.stage]: 'AMENDMENT' }));
    const applied = indexOf(jobs, isJob(TASK_TYPES.permitApplyAmendment, { [TASK_HEADERS.event]: EVENTS.amended }));
    const synced = indexOf(jobs, isJob(TASK_TYPES.workspaceSyncAccess));
    const told = indexOf(jobs, notification('amendment-approved'));
    inOrder(audited, applied, synced, told);
    expect(jobs[audited]?.variables[AMENDMENT.decision]).toBe('APPROVED');
    expect(jobs[applied]?.variables.amendment).toEqual(amendment);
    expect(jobs[told]?.headers[TASK_HEADERS.audience]).toBe('research-team');
    expect(t.statusesSet(permitId), 'an amendment does not change the status').toEqual([]);
  });

  it('rejects an amendment: nothing is applied or synchronised, and the research team is told', async () => {
    const permitId = 'P-amendment-rejected';
    const key = await t.startProcess(PROCESS_IDS.amendment, { permitId, changeKind: 'AMENDMENT', amendment: { validUntil: '2031-01-01T00:00:00Z' }, amendmentRequestedBy: 'alice' });

    const task = await t.waitForUserTask({ processInstanceKey: key, elementId: ASSESSMENT_TASK });
    await t.completeUserTask(task.userTaskKey, { [AMENDMENT.decision]: 'REJECTED', [AMENDMENT.comment]: 'Extension not justified', [AMENDMENT.reviewer]: 'rita' });
    await t.waitForProcessState(key, 'COMPLETED');

    const jobs = jobsFor(permitId);
    expect(jobs.some(isJob(TASK_TYPES.auditRecord, { [TASK_HEADERS.action]: 'amendment.assessed' }))).toBe(true);
    expect(jobs.some(isJob(TASK_TYPES.permitApplyAmendment))).toBe(false);
    expect(jobs.some(isJob(TASK_TYPES.workspaceSyncAccess))).toBe(false);
    const told = jobs.find(notification('amendment-rejected'));
    expect(told?.headers[TASK_HEADERS.audience]).toBe('research-team');
    expect(told?.variables[AMENDMENT.comment]).toBe('Extension not justified');
  });

  it('raises an incident for an unknown change kind instead of guessing', async () => {
    const key = await t.startProcess(PROCESS_IDS.amendment, { permitId: 'P-unknown-change', changeKind: 'TRANSFER' });
    const incident = await t.waitForIncident(key);
    expect(String(incident.elementId)).toBe('Gateway_ChangeKind');
    expect(jobsFor('P-unknown-change')).toEqual([]);
  });
});
