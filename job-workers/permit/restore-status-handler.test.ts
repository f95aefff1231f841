import { beforeEach, describe, expect, it } from 'vitest';
import { EVENTS, TASK_TYPES } from '../../shared/index.js';
import { makeWorkerJob, silentLogger } from '../testing/make-worker-job.js';
import { createFakePermitWorkerStore, type FakePermitWorkerStore } from './fake-permit-worker-store.js';
import { createRestoreStatusHandler } from './restore-status-handler.js';

describe('permit.restore-status', () => {
  let permits: FakePermitWorkerStore;
  beforeEach(() => {
    permits = createFakePermitWorkerStore();
    permits.addPermit('P-1', 'ANALYSIS_ACTIVE');
  });
  const job = makeWorkerJob({ type: TASK_TYPES.permitRestoreStatus, bpmnProcessId: 'spe-permit-amendment', headers: { event: EVENTS.resumed }, variables: { permitId: 'P-1' } });
  const suspend = () => permits.transition({ permitId: 'P-1', to: 'SUSPENDED', actor: 'rita', processInstanceKey: '1', idempotencyKey: `s-${Math.random()}` });
  const handler = () => createRestoreStatusHandler({ permits });

  it('resumes into the status before the latest suspension, with the event', async () => {
    await permits.transition({ permitId: 'P-1', to: 'EGRESS_REVIEW_PENDING', actor: 'p', processInstanceKey: '1', idempotencyKey: 'a' });
    await suspend();
    await handler()(job, silentLogger);
    expect(permits.permits.get('P-1')?.status).toBe('EGRESS_REVIEW_PENDING');
    expect(permits.history.at(-1)).toMatchObject({ previousStatus: 'SUSPENDED', newStatus: 'EGRESS_REVIEW_PENDING', actor: 'process:spe-permit-amendment' });
    expect(permits.outbox.at(-1)?.name).toBe(EVENTS.resumed);
  });

  it('changes nothing on a second delivery', async () => {
    await suspend();
    await handler()(job, silentLogger);
    await handler()(job, silentLogger);
    expect(permits.history.map((h) => h.newStatus)).toEqual(['SUSPENDED', 'ANALYSIS_ACTIVE']);
  });

  it('raises an incident when the permit was never suspended', async () => {
    await expect(handler()(job, silentLogger)).rejects.toThrow('permit P-1 has never been suspended, so there is no status to restore');
  });

  it('raises an incident when the permit moved on to something else (revoked)', async () => {
    await suspend();
    await permits.transition({ permitId: 'P-1', to: 'REVOKED', actor: 'rita', processInstanceKey: '1', idempotencyKey: 'r' });
    await expect(handler()(job, silentLogger)).rejects.toThrow('permit P-1 is REVOKED, not SUSPENDED, so it cannot be resumed into ANALYSIS_ACTIVE');
  });
});
