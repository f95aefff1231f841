import { beforeEach, describe, expect, it } from 'vitest';
import { EVENTS, TASK_TYPES } from '../../shared/index.js';
import { makeWorkerJob, silentLogger } from '../testing/make-worker-job.js';
import { createFakePermitWorkerStore, type FakePermitWorkerStore } from './fake-permit-worker-store.js';
import { createSetEgressStatusHandler } from './set-egress-status-handler.js';

describe('permit.set-egress-status', () => {
  let permits: FakePermitWorkerStore;
  beforeEach(() => {
    permits = createFakePermitWorkerStore();
    permits.addPermit('P-1', 'EGRESS_REVIEW_PENDING');
    permits.addEgressRequest('E-1', 'P-1', 'SUBMITTED');
  });
  const handler = () => createSetEgressStatusHandler({ permits });
  const job = (headers: Record<string, string>, variables: Record<string, unknown> = { permitId: 'P-1', egressRequestId: 'E-1' }) =>
    makeWorkerJob({ type: TASK_TYPES.permitSetEgressStatus, bpmnProcessId: 'spe-output-review', headers, variables });

  it('moves the egress request and publishes the header event', async () => {
    await handler()(job({ status: 'IN_REVIEW', event: EVENTS.egressSubmitted }), silentLogger);
    expect(permits.egressRequests.get('E-1')?.status).toBe('IN_REVIEW');
    expect(permits.audit).toEqual([expect.objectContaining({ action: 'egress.status.changed', actor: 'process:spe-output-review' })]);
    expect(permits.outbox.map((e) => e.name)).toEqual([EVENTS.egressSubmitted]);
  });

  it('changes nothing on a second delivery', async () => {
    const theJob = job({ status: 'IN_REVIEW', event: EVENTS.egressSubmitted });
    await handler()(theJob, silentLogger);
    await handler()(theJob, silentLogger);
    expect(permits.outbox).toHaveLength(1);
  });

  it('raises an incident for a change the egress machine refuses', async () => {
    await expect(handler()(job({ status: 'RELEASED' }), silentLogger)).rejects.toThrow(/SUBMITTED and cannot move to RELEASED.*model or data problem/);
  });

  it("records the output release policy's decision when the request goes into review", async () => {
    const egressReleasePolicy = { requiredReviews: 2, reason: 'At least one file failed the disclosure checks.' };
    await handler()(job({ status: 'IN_REVIEW' }, { permitId: 'P-1', egressRequestId: 'E-1', egressReleasePolicy }), silentLogger);
    expect(permits.egressRequests.get('E-1')?.releasePolicy).toEqual(egressReleasePolicy);
  });

  it('leaves the required reviews alone on other changes, and when the process has no policy result', async () => {
    await handler()(job({ status: 'IN_REVIEW' }), silentLogger);
    expect(permits.egressRequests.get('E-1')?.releasePolicy).toBeUndefined();
    await handler()(job({ status: 'APPROVED' }, { permitId: 'P-1', egressRequestId: 'E-1', egressReleasePolicy: { requiredReviews: 1, reason: 'r' } }), silentLogger);
    expect(permits.egressRequests.get('E-1')?.releasePolicy).toBeUndefined();
  });

  it('raises an incident naming a policy result that is not 1 or 2 reviews', async () => {
    const egressReleasePolicy = { requiredReviews: 3, reason: 'Three pairs of eyes' };
    await expect(handler()(job({ status: 'IN_REVIEW' }, { permitId: 'P-1', egressRequestId: 'E-1', egressReleasePolicy }), silentLogger)).rejects.toThrow(
      'variable "egressReleasePolicy.requiredReviews": must be 1 or 2',
    );
  });

  it('names a missing egressRequestId variable', async () => {
    await expect(handler()(job({ status: 'IN_REVIEW' }, { permitId: 'P-1' }), silentLogger)).rejects.toThrow('variable "egressRequestId" is missing');
  });
});
