import { beforeEach, describe, expect, it } from 'vitest';
import { EVENTS, TASK_TYPES } from '../../shared/index.js';
import { makeWorkerJob, silentLogger } from '../testing/make-worker-job.js';
import { createFakePermitWorkerStore, type FakePermitWorkerStore } from './fake-permit-worker-store.js';
import { createPublishEventHandler } from './publish-event-handler.js';

describe('permit.publish-event', () => {
  let permits: FakePermitWorkerStore;
  beforeEach(() => {
    permits = createFakePermitWorkerStore();
  });
  const handler = () => createPublishEventHandler({ permits, clock: () => new Date('2026-03-01T10:00:00Z') });
  const job = makeWorkerJob({ type: TASK_TYPES.permitPublishEvent, bpmnProcessId: 'spe-environment-setup', headers: { event: EVENTS.setupRejected }, variables: { permitId: 'P-1' } });

  it('enqueues the header event for the permit', async () => {
    await handler()(job, silentLogger);
    expect(permits.outbox).toEqual([
      {
        id: expect.any(String),
        name: EVENTS.setupRejected,
        permitId: 'P-1',
        payload: { permitId: 'P-1', actor: 'process:spe-environment-setup', processInstanceKey: job.processInstanceKey, occurredAt: '2026-03-01T10:00:00.000Z' },
      },
    ]);
  });

  it('enqueues nothing on a second delivery of the same job, and again for another element instance', async () => {
    await handler()(job, silentLogger);
    await handler()(job, silentLogger);
    expect(permits.outbox).toHaveLength(1);
    await handler()({ ...job, elementInstanceKey: `${job.elementInstanceKey}1` }, silentLogger);
    expect(permits.outbox).toHaveLength(2);
  });

  it('refuses a job without an event header', async () => {
    await expect(handler()({ ...job, headers: {} }, silentLogger)).rejects.toThrow('task header "event" is missing');
  });
});
