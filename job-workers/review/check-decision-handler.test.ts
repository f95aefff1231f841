import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DECISION_DENIALS, TASK_TYPES, decisionDenialKind } from '../../shared/index.js';
import { NonRetryableError } from '../runtime/job-errors.js';
import { makeWorkerJob, recordingLogger, silentLogger } from '../testing/make-worker-job.js';
import type { WorkerJob } from '../runtime/worker-job.js';
import { createCheckDecisionHandler } from './check-decision-handler.js';
import { createFakeDecisionStore, createFakeTaskLookups } from './fake-decision-store.js';

const form = (id: string) => JSON.parse(readFileSync(new URL(`../../forms/${id}.form`, import.meta.url), 'utf8')) as unknown;

const PERMIT = 'P-1';
const FULL_ASSESSMENT_CHECKLIST = ['LEGAL_BASIS_VERIFIED', 'DATA_MINIMISATION', 'APPLICANT_VETTED', 'ETHICS_APPROVAL_PRESENT'];
const TASK_KEY = '4503599627370600';

function setup() {
  const decisions = createFakeDecisionStore();
  decisions.permits.set(PERMIT, {
    createdBy: 'alice',
    members: [
      { userId: 'alice', teamRole: 'RESEARCH_TEAM' },
      { userId: 'bob', teamRole: 'RESEARCH_TEAM' },
      { userId: 'rita', teamRole: 'HDAB_TEAM' },
      { userId: 'victor', teamRole: 'HDAB_TEAM' },
      { userId: 'dana', teamRole: 'DATA_HOLDER' },
    ],
  });
  const lookups = createFakeTaskLookups();
  lookups.forms.set(TASK_KEY, { formId: 'application-assessment', schema: form('application-assessment') });
  const handler = createCheckDecisionHandler({ decisions, lookups });
  return { decisions, lookups, handler };
}

function listenerJob(overrides: { assignee?: string; variables?: Record<string, unknown>; bpmnProcessId?: string; elementId?: string; eventType?: string } = {}): WorkerJob {
  return makeWorkerJob({
    type: TASK_TYPES.reviewCheckDecision,
    bpmnProcessId: overrides.bpmnProcessId ?? 'spe-permit-application',
    elementId: overrides.elementId ?? 'Task_AssessApplication',
    variables: overrides.variables ?? { permitId: PERMIT, assessmentDecision: 'APPROVED', assessmentChecklist: FULL_ASSESSMENT_CHECKLIST, validUntil: '2027-06-30T23:59Z' },
    userTask: {
      eventType: overrides.eventType ?? 'COMPLETING',
      userTaskKey: TASK_KEY,
      candidateGroups: ['hdab-reviewers'],
      ...(overrides.assignee === undefined ? {} : { assignee: overrides.assignee }),
    },
  });
}

const reasonOf = (result: unknown) => (result as { listener?: { denied: boolean; deniedReason?: string } }).listener;

describe('review.check-decision', () => {
  it('denies an unassigned completion and asks to assign the task first', async () => {
    const { handler, decisions } = setup();
    const verdict = reasonOf(await handler(listenerJob(), silentLogger));
    expect(verdict?.denied).toBe(true);
    expect(verdict?.deniedReason).toMatch(/^Not allowed: assign the task "Assess permit application" to yourself/);
    expect(decisionDenialKind(verdict?.deniedReason ?? '')).toBe('notAllowed');
    expect(decisions.recorded).toEqual([]);
  });

  it.each([
    ['alice', /alice is not on the HDAB team.*alice is on the research team.*alice created permit P-1/],
    ['bob', /bob is on the research team of permit P-1/],
    ['dana', /dana is a data holder of permit P-1/],
    ['mallory', /mallory is not on the HDAB team of permit P-1/],
  ])('denies %s with every rule broken, in words', async (assignee, reason) => {
    const { handler, decisions } = setup();
    const verdict = reasonOf(await handler(listenerJob({ assignee }), silentLogger));
    expect(verdict).toEqual({ denied: true, deniedReason: expect.stringMatching(reason) });
    expect(verdict?.deniedReason).toMatch(/Unassign the task so that someone who may decide can take it\.$/);
    expect(decisions.recorded).toEqual([]);
  });

  it('denies an HDAB member who submitted the application (from the audit log, not variables)', async () => {
    const { handler, decisions } = setup();
    decisions.authorsByKind['audit-actions'] = ['alice', 'rita'];
    const verdict = reasonOf(await handler(listenerJob({ assignee: 'rita', variables: { permitId: PERMIT, assessmentDecision: 'APPROVED', validUntil: '2027-06-30T23:59Z', submittedBy: 'alice' } }), silentLogger));
    expect(verdict?.deniedReason).toMatch(/rita wrote or submitted what "Assess permit application" decides on/);
  });

  it('denies invalid form values field by field, with the invalid-values prefix', async () => {
    const { handler, decisions } = setup();
    const verdict = reasonOf(await handler(listenerJob({ assignee: 'rita', variables: { permitId: PERMIT, assessmentDecision: 'APPROVED', validUntil: 'not-a-date' } }), silentLogger));
    expect(verdict?.denied).toBe(true);
    expect(verdict?.deniedReason?.startsWith(DECISION_DENIALS.invalidValues)).toBe(true);
    expect(verdict?.deniedReason).toMatch(/validUntil/);
    expect(decisions.recorded).toEqual([]);
  });

  it('denies a completion that changes permitId', async () => {
    const { handler, lookups } = setup();
    const job = listenerJob({ assignee: 'rita' });
    lookups.stored.set(`${job.processInstanceKey}/permitId`, 'P-OTHER');
    const verdict = reasonOf(await handler(job, silentLogger));
    expect(verdict?.deniedReason).toMatch(/^Check the form: only the form's fields may be set .* changes permitId/);
  });

  it('accepts a proper reviewer, records the review with the assignee as decider, once, and logs it', async () => {
    const { handler, decisions, lookups } = setup();
    decisions.authorsByKind['audit-actions'] = ['alice'];
    const job = listenerJob({ assignee: 'rita' });
    lookups.stored.set(`${job.processInstanceKey}/permitId`, PERMIT);
    const { logger, lines } = recordingLogger();
    expect(await handler(job, logger)).toEqual({ listener: { denied: false } });
    expect(await handler(job, silentLogger)).toEqual({ listener: { denied: false } });
    expect(decisions.recorded).toHaveLength(1);
    expect(decisions.recorded[0]).toMatchObject({
      userTaskKey: TASK_KEY,
      permitId: PERMIT,
      decider: 'rita',
      formId: 'application-assessment',
      review: { stage: 'APPLICATION', decision: 'APPROVED', submittedBy: 'alice', egressRequestId: null },
    });
    expect(lines.some((line) => String(line.msg).includes('accepted and recorded'))).toBe(true);
  });

  it('denies the first reviewer of the round on the second output review, but not after a rework', async () => {
    const { handler, decisions, lookups } = setup();
    lookups.forms.set(TASK_KEY, { formId: 'egress-review', schema: form('egress-review') });
    const variables = { permitId: PERMIT, egressRequestId: 'E-1', egressDecision: 'APPROVED', egressReviewChecks: ['MIN_CELL_COUNT_10', 'ROUNDING_APPLIED', 'NO_DOMINANCE', 'NO_DIFFERENCING', 'NO_IDENTIFIERS'] };
    const second = { assignee: 'rita', bpmnProcessId: 'spe-output-review', elementId: 'Task_SecondOutputReview', variables };
    decisions.reviews.set('E-1', [{ userTaskKey: '1', reviewer: 'rita', decision: 'APPROVED' }]);
    expect(reasonOf(await handler(listenerJob(second), silentLogger))?.deniedReason).toMatch(/rita gave the first review of output request E-1/);
    decisions.reviews.set('E-1', [
      { userTaskKey: '1', reviewer: 'rita', decision: 'APPROVED' },
      { userTaskKey: '2', reviewer: 'victor', decision: 'REWORK_REQUESTED' },
      { userTaskKey: '3', reviewer: 'victor', decision: 'APPROVED' },
    ]);
    expect(reasonOf(await handler(listenerJob(second), silentLogger))).toEqual({ denied: false });
    expect(decisions.recorded[0]?.review).toMatchObject({ stage: 'EGRESS', egressRequestId: 'E-1' });
  });

  it('lets only administrators resolve a provisioning exception and records it as an audit entry with the values', async () => {
    const { handler, decisions, lookups } = setup();
    lookups.forms.set(TASK_KEY, { formId: 'provisioning-exception', schema: form('provisioning-exception') });
    const job = (assignee: string) =>
      listenerJob({ assignee, bpmnProcessId: 'spe-environment-setup', elementId: 'Task_ResolveProvisioning', variables: { permitId: PERMIT, provisioningDecision: 'RETRY', provisioningComment: 'Quota raised' } });
    expect(reasonOf(await handler(job('rita'), silentLogger))?.deniedReason).toMatch(/rita is not a platform administrator/);
    decisions.roles.set('adam', ['admin']);
    expect(reasonOf(await handler(job('adam'), silentLogger))).toEqual({ denied: false });
    expect(decisions.recorded[0]).toMatchObject({ decider: 'adam', values: { provisioningDecision: 'RETRY', provisioningComment: 'Quota raised' } });
    expect(decisions.recorded[0]?.review).toBeUndefined();
  });

  it('fails (retries, no denial) when the database is down', async () => {
    const { handler, decisions } = setup();
    decisions.down = new Error('connection refused');
    await expect(handler(listenerJob({ assignee: 'rita' }), silentLogger)).rejects.toThrow('connection refused');
  });

  it('raises an incident for a listener on a task it has no rules for, or on another event', async () => {
    const { handler } = setup();
    await expect(handler(listenerJob({ assignee: 'rita', elementId: 'Task_Unknown' }), silentLogger)).rejects.toThrow(NonRetryableError);
    await expect(handler(listenerJob({ assignee: 'rita', eventType: 'ASSIGNING' }), silentLogger)).rejects.toThrow(/completing user task listener/);
  });

  it('denies an approval whose checklist is not ticked in full, naming what is missing, and records nothing', async () => {
    const { handler, decisions } = setup();
    const job = listenerJob({ assignee: 'rita', variables: { permitId: PERMIT, assessmentDecision: 'APPROVED', assessmentChecklist: ['LEGAL_BASIS_VERIFIED'], validUntil: '2027-06-30T23:59Z' } });
    const verdict = reasonOf(await handler(job, silentLogger));
    expect(verdict?.denied).toBe(true);
    expect(verdict?.deniedReason).toMatch(/^Check the form: "What you verified \(every point, to approve\)" must be confirmed in full to approve; not ticked: "Data minimisation/);
    expect(decisionDenialKind(verdict?.deniedReason ?? '')).toBe('invalidValues');
    expect(decisions.recorded).toEqual([]);
  });
});
