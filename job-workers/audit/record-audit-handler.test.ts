import { beforeEach, describe, expect, it } from 'vitest';
import { REVIEW_VARIABLES, TASK_TYPES } from '../../shared/index.js';
import { NonRetryableError } from '../runtime/job-errors.js';
import { makeWorkerJob, silentLogger } from '../testing/make-worker-job.js';
import { createFakeAuditRecordStore, type FakeAuditRecordStore } from './fake-audit-record-store.js';
import { createRecordAuditHandler } from './record-audit-handler.js';

describe('audit.record', () => {
  let audit: FakeAuditRecordStore;
  beforeEach(() => {
    audit = createFakeAuditRecordStore();
  });
  const handler = () => createRecordAuditHandler({ audit });
  const setup = REVIEW_VARIABLES.SETUP;
  const job = (headers: Record<string, string>, variables: Record<string, unknown> = {}) =>
    makeWorkerJob({ type: TASK_TYPES.auditRecord, bpmnProcessId: 'spe-environment-setup', headers, variables: { permitId: 'P-1', ...variables } });
  const review = (processInstanceKey: string, reviewer: string, decision = 'REWORK_REQUESTED') => ({
    id: `R-${reviewer}`,
    permitId: 'P-1',
    stage: 'SETUP' as const,
    decision,
    comment: 'Pin package versions',
    reviewer,
    submittedBy: 'alice',
    egressRequestId: null,
    userTaskKey: '2251799813685999',
    elementId: 'Task_ReviewSetup',
    processInstanceKey,
  });

  it('audits the review the decision listener recorded, as its reviewer, and names the reviewer for what follows', async () => {
    const theJob = job({ action: 'setup.reviewed', stage: 'SETUP' }, { [setup.reviewer]: 'mallory' });
    audit.reviews.push(review(theJob.processInstanceKey, 'victor'), review(theJob.processInstanceKey, 'rita'), review('other-instance', 'mallory'));
    expect(await handler()(theJob, silentLogger)).toEqual({ variables: { [setup.reviewer]: 'rita' } });
    expect(audit.entries).toEqual([
      {
        actor: 'rita',
        action: 'setup.reviewed',
        permitId: 'P-1',
        idempotencyKey: `audit.record/P-1/${theJob.elementInstanceKey}`,
        details: expect.objectContaining({ stage: 'SETUP', decision: 'REWORK_REQUESTED', reviewDecisionId: 'R-rita', submittedBy: 'alice', reviewer: 'rita' }),
      },
    ]);
  });

  it('records once however often the job is delivered', async () => {
    const theJob = job({ action: 'setup.reviewed', stage: 'SETUP' });
    audit.reviews.push(review(theJob.processInstanceKey, 'rita', 'APPROVED'));
    await handler()(theJob, silentLogger);
    await handler()(theJob, silentLogger);
    expect(audit.entries).toHaveLength(1);
  });

  it('raises an incident when no review was recorded (a user task without the decision listener)', async () => {
    await expect(handler()(job({ action: 'setup.reviewed', stage: 'SETUP' }), silentLogger)).rejects.toThrow(NonRetryableError);
    expect(audit.entries).toEqual([]);
  });

  it('audits as the process when the stage is not a review stage or absent', async () => {
    expect(await handler()(job({ action: 'workspace.checked', stage: 'ingress' }), silentLogger)).toBeUndefined();
    await handler()(makeWorkerJob({ type: TASK_TYPES.auditRecord, headers: { action: 'something.noted' }, variables: { permitId: 'P-1' } }), silentLogger);
    expect(audit.entries.map((e) => [e.action, e.actor])).toEqual([
      ['workspace.checked', 'process:spe-environment-setup'],
      ['something.noted', 'process:spe-permit-application'],
    ]);
  });

  it('refuses a missing action', async () => {
    await expect(handler()(job({ stage: 'SETUP' }), silentLogger)).rejects.toThrow('task header "action" is missing');
  });
});
