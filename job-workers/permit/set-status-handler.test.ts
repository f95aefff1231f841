import { beforeEach, describe, expect, it } from 'vitest';
import { EVENTS, TASK_TYPES } from '../../shared/index.js';
import { HoldJobError, NonRetryableError } from '../runtime/job-errors.js';
import { makeWorkerJob, silentLogger } from '../testing/make-worker-job.js';
import { createFakePermitWorkerStore, type FakePermitWorkerStore } from './fake-permit-worker-store.js';
import { SUSPENSION_HOLD_MS, createSetStatusHandler } from './set-status-handler.js';

describe('permit.set-status', () => {
  let permits: FakePermitWorkerStore;
  beforeEach(() => {
    permits = createFakePermitWorkerStore();
    permits.addPermit('P-1', 'DRAFT');
  });
  const handler = () => createSetStatusHandler({ permits });
  const job = (headers: Record<string, string>, variables: Record<string, unknown> = { permitId: 'P-1' }) =>
    makeWorkerJob({ type: TASK_TYPES.permitSetStatus, bpmnProcessId: 'spe-permit-application', headers, variables });

  it('moves the permit to the header status as process:<bpmnProcessId>, with the event and reason', async () => {
    await handler()(job({ status: 'SUBMITTED', event: EVENTS.applicationSubmitted, reason: 'Application submitted' }), silentLogger);
    expect(permits.permits.get('P-1')?.status).toBe('SUBMITTED');
    expect(permits.history).toEqual([
      expect.objectContaining({ previousStatus: 'DRAFT', newStatus: 'SUBMITTED', actor: 'process:spe-permit-application', reason: 'Application submitted' }),
    ]);
    expect(permits.outbox.map((e) => e.name)).toEqual([EVENTS.statusUpdated, EVENTS.applicationSubmitted]);
  });

  it('passes the process instance key and a job idempotency key', async () => {
    const calls: unknown[] = [];
    const spy = { ...permits, transition: async (change: Parameters<FakePermitWorkerStore['transition']>[0]) => (calls.push(change), permits.transition(change)) };
    const theJob = job({ status: 'SUBMITTED' });
    await createSetStatusHandler({ permits: spy })(theJob, silentLogger);
    expect(calls).toEqual([
      expect.objectContaining({ processInstanceKey: theJob.processInstanceKey, idempotencyKey: `permit.set-status/P-1/${theJob.elementInstanceKey}` }),
    ]);
  });

  it('changes nothing when the permit already has the status (a second delivery)', async () => {
    const theJob = job({ status: 'SUBMITTED', event: EVENTS.applicationSubmitted });
    await handler()(theJob, silentLogger);
    await handler()(theJob, silentLogger);
    expect(permits.history).toHaveLength(1);
    expect(permits.outbox).toHaveLength(2);
  });

  it('raises an incident with a clear message when the status machine refuses the change', async () => {
    const attempt = handler()(job({ status: 'ANALYSIS_ACTIVE' }), silentLogger);
    await expect(attempt).rejects.toThrow(NonRetryableError);
    await expect(handler()(job({ status: 'ANALYSIS_ACTIVE' }), silentLogger)).rejects.toThrow(
      /Permit P-1 is DRAFT and cannot move to ANALYSIS_ACTIVE .*the status machine refuses this change.*model or data problem/,
    );
    expect(permits.history).toEqual([]);
  });

  it('holds a job that would move a SUSPENDED permit on, without using up a retry, until the permit is resumed', async () => {
    permits.addPermit('P-2', 'SUSPENDED');
    const attempt = handler()(job({ status: 'ANALYSIS_ACTIVE' }, { permitId: 'P-2' }), silentLogger);
    await expect(attempt).rejects.toThrow(HoldJobError);
    await expect(handler()(job({ status: 'ANALYSIS_ACTIVE' }, { permitId: 'P-2' }), silentLogger)).rejects.toMatchObject({ backOffMs: SUSPENSION_HOLD_MS });
    expect(permits.permits.get('P-2')?.status).toBe('SUSPENDED');
    expect(permits.history).toEqual([]);
    // Revocation and expiry are not held: they end the suspension on purpose.
    await handler()(job({ status: 'REVOKED' }, { permitId: 'P-2' }), silentLogger);
    expect(permits.permits.get('P-2')?.status).toBe('REVOKED');
  });

  it('keeps the permit EGRESS_REVIEW_PENDING while another output request still awaits a decision', async () => {
    permits.addPermit('P-3', 'EGRESS_REVIEW_PENDING');
    permits.addEgressRequest('E-1', 'P-3', 'RELEASED');
    permits.addEgressRequest('E-2', 'P-3', 'IN_REVIEW');
    await handler()(job({ status: 'ANALYSIS_ACTIVE' }, { permitId: 'P-3', egressRequestId: 'E-1' }), silentLogger);
    expect(permits.permits.get('P-3')?.status).toBe('EGRESS_REVIEW_PENDING');

    permits.addEgressRequest('E-2', 'P-3', 'RELEASED');
    await handler()(job({ status: 'ANALYSIS_ACTIVE' }, { permitId: 'P-3', egressRequestId: 'E-2' }), silentLogger);
    expect(permits.permits.get('P-3')?.status).toBe('ANALYSIS_ACTIVE');
  });

  it('refuses a missing or unknown status header and an unknown event', async () => {
    await expect(handler()(job({}), silentLogger)).rejects.toThrow('task header "status" is missing');
    await expect(handler()(job({ status: 'DONE' }), silentLogger)).rejects.toThrow(/header "status".*\(got "DONE"\)/);
    await expect(handler()(job({ status: 'SUBMITTED', event: 'permit.made-up' }), silentLogger)).rejects.toThrow(/header "event"/);
  });

  it('refuses a job without permitId', async () => {
    await expect(handler()(job({ status: 'SUBMITTED' }, {}), silentLogger)).rejects.toThrow('variable "permitId" is missing');
  });
});
