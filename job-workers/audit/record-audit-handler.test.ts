import { beforeEach, describe, expect, it } from 'vitest';
import { REVIEW_VARIABLES, TASK_TYPES } from '../../shared/index.js';
import { makeWorkerJob, recordingLogger, silentLogger } from '../testing/make-worker-job.js';
import { createFakeAuditStore, type FakeAuditStore } from './fake-audit-store.js';
import { createRecordAuditHandler } from './record-audit-handler.js';

describe('audit.record', () => {
  let audit: FakeAuditStore;
  const decidedAt = new Date('2026-03-01T10:00:00Z');
  beforeEach(() => {
    audit = createFakeAuditStore();
  });
  const handler = () => createRecordAuditHandler({ audit, clock: () => decidedAt });
  const setup = REVIEW_VARIABLES.SETUP;
  const job = (headers: Record<string, string>, variables: Record<string, unknown>) =>
    makeWorkerJob({ type: TASK_TYPES.auditRecord, bpmnProcessId: 'spe-environment-setup', headers, variables: { permitId: 'P-1', ...variables } });

  it("stores the stage's review decision and an audit entry by the reviewer", async () => {
    const theJob = job(
      { action: 'setup.reviewed', stage: 'SETUP' },
      { [setup.decision]: 'REWORK_REQUESTED', [setup.comment]: 'Pin package versions', [setup.checklist]: { reproducible: false }, [setup.reviewer]: 'rita', setupSubmittedBy: 'alice', reviewTaskKey: 2251799813685999 },
    );
    expect(await handler()(theJob, silentLogger)).toEqual({ variables: { reviewTaskKey: null } });
    expect(audit.reviews).toEqual([
      {
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        permitId: 'P-1',
        stage: 'SETUP',
        decision: 'REWORK_REQUESTED',
        comment: 'Pin package versions',
        checklist: { reproducible: false },
        reviewer: 'rita',
        submittedBy: 'alice',
        egressRequestId: undefined,
        userTaskKey: '2251799813685999',
        decidedAt,
      },
    ]);
    expect(audit.entries).toEqual([
      {
        actor: 'rita',
        action: 'setup.reviewed',
        permitId: 'P-1',
        idempotencyKey: `audit.record/P-1/${theJob.elementInstanceKey}`,
        details: expect.objectContaining({ stage: 'SETUP', decision: 'REWORK_REQUESTED', reviewDecisionId: audit.reviews[0]?.id, submittedBy: 'alice' }),
      },
    ]);
  });

  it('records once however often the job is delivered', async () => {
    const theJob = job({ action: 'setup.reviewed', stage: 'SETUP' }, { [setup.decision]: 'APPROVED', [setup.reviewer]: 'rita' });
    expect(await handler()(theJob, silentLogger)).toBeUndefined();
    await handler()(theJob, silentLogger);
    expect(audit.reviews).toHaveLength(1);
    expect(audit.entries).toHaveLength(1);
  });

  it('stores the egress request of an EGRESS review', async () => {
    const egress = REVIEW_VARIABLES.EGRESS;
    await handler()(job({ action: 'egress.reviewed', stage: 'EGRESS' }, { [egress.decision]: 'APPROVED', [egress.reviewer]: 'victor', egressRequestId: 'E-1' }), silentLogger);
    expect(audit.reviews[0]).toMatchObject({ stage: 'EGRESS', egressRequestId: 'E-1', reviewer: 'victor' });
  });

  it('stores a review without reviewer as "unknown", warns, and audits as the process', async () => {
    const { logger, lines } = recordingLogger();
    await handler()(job({ action: 'setup.reviewed', stage: 'SETUP' }, { [setup.decision]: 'APPROVED' }), logger);
    expect(audit.reviews[0]?.reviewer).toBe('unknown');
    expect(audit.entries[0]?.actor).toBe('process:spe-environment-setup');
    expect(lines.some((l) => l.level === 40 && String(l.msg).includes('setupReviewedBy'))).toBe(true);
  });

  it('audits without a review when the stage is not a review stage or absent', async () => {
    await handler()(job({ action: 'workspace.checked', stage: 'ingress' }, {}), silentLogger);
    await handler()(makeWorkerJob({ type: TASK_TYPES.auditRecord, headers: { action: 'something.noted' }, variables: { permitId: 'P-1' } }), silentLogger);
    expect(audit.reviews).toEqual([]);
    expect(audit.entries.map((e) => e.action)).toEqual(['workspace.checked', 'something.noted']);
  });

  it('refuses a decision the stage does not know, and a missing decision or action', async () => {
    await expect(handler()(job({ action: 'application.assessed', stage: 'APPLICATION' }, { assessmentDecision: 'REWORK_REQUESTED' }), silentLogger)).rejects.toThrow(
      /variable "assessmentDecision": .*\(got "REWORK_REQUESTED"\)/,
    );
    await expect(handler()(job({ action: 'setup.reviewed', stage: 'SETUP' }, {}), silentLogger)).rejects.toThrow('variable "setupDecision" is missing');
    await expect(handler()(job({ stage: 'SETUP' }, {}), silentLogger)).rejects.toThrow('task header "action" is missing');
  });
});
