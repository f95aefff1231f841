import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineError } from '../../errors.js';
import type { ActivatedJob } from '../../runtime/engine-api.js';
import { job } from '../testing/sample-records.js';
import { sdkError, startTestServer, type TestServer } from '../testing/start-test-server.js';

const activated = (over = {}): ActivatedJob => ({
  job: job({ state: 'ACTIVATED', worker: 'w1', deadline: 1_735_787_045_678, ...over }),
  variables: { orderId: 'A-1' },
  deadline: 1_735_787_045_678,
});

describe('jobs', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
    server.api.seed(job(), job({ jobKey: '2251799813685281', state: 'FAILED', retries: 0, errorMessage: 'boom', endTime: '2025-01-02T05:00:00.000Z' }));
  });
  afterAll(() => server.close());

  it('activates offered jobs as ActivatedJobResult', async () => {
    server.api.offerJobs(activated());
    const { jobs } = await server.client.activateJobs({ type: 'ship-order', worker: 'w1', timeout: 30_000, maxJobsToActivate: 5, requestTimeout: -1 });
    expect(jobs).toHaveLength(1);
    const { log: _log, ...first } = jobs[0] as unknown as Record<string, unknown>;
    expect(first).toMatchObject({
      jobKey: '2251799813685280', type: 'ship-order', worker: 'w1', retries: 3, deadline: 1_735_787_045_678, variables: { orderId: 'A-1' },
      customHeaders: { priority: 'high' }, kind: 'BPMN_ELEMENT', listenerEventType: 'UNSPECIFIED', tenantId: '<default>',
      elementInstanceKey: '2251799813685262', processDefinitionVersion: 1,
    });
    expect(server.api.callsOf('activateJobs').at(-1)?.[0]).toEqual({ type: 'ship-order', worker: 'w1', timeout: 30_000, maxJobsToActivate: 5, requestTimeout: -1 });
  });

  it('long-polls until a job is offered', async () => {
    const pending = server.client.activateJobs({ type: 'ship-order', timeout: 1000, maxJobsToActivate: 1, requestTimeout: 3000 });
    await new Promise((r) => setTimeout(r, 100));
    server.api.offerJobs(activated());
    const { jobs } = await pending;
    expect(jobs).toHaveLength(1);
  });

  it('aborts the engine-side long poll when the client goes away', async () => {
    const pending = server.client.activateJobs({ type: 'ship-order', timeout: 1000, maxJobsToActivate: 1, requestTimeout: 4000 });
    await new Promise((r) => setTimeout(r, 100));
    const signal = server.api.lastSignal;
    expect(signal?.aborted).toBe(false);
    pending.cancel();
    await expect(pending).rejects.toMatchObject({ name: 'CancelSdkError' });
    await new Promise((r) => setTimeout(r, 100));
    expect(signal?.aborted).toBe(true);
  });

  it('drives a createJobWorker handler to completion', async () => {
    const handled: string[] = [];
    server.api.offerJobs(activated());
    const done = new Promise<void>((resolve) => {
      server.client.createJobWorker({
        jobType: 'ship-order',
        jobTimeoutMs: 10_000,
        maxParallelJobs: 1,
        pollTimeoutMs: 500,
        jobHandler: async (j) => {
          handled.push(j.jobKey);
          const receipt = await j.complete({ shipped: true });
          resolve();
          return receipt;
        },
      });
    });
    await done;
    server.client.stopAllWorkers();
    expect(handled).toEqual(['2251799813685280']);
    expect(server.api.callsOf('completeJob').at(-1)).toEqual(['2251799813685280', { shipped: true }]);
  });

  it('completes, fails, throws errors and updates jobs with 204', async () => {
    const jobKey = '2251799813685280' as never;
    await server.client.completeJob({ jobKey, variables: { a: 1 } });
    await server.client.failJob({ jobKey, retries: 2, errorMessage: 'later', retryBackOff: 1000, variables: { b: 2 } });
    await server.client.throwJobError({ jobKey, errorCode: 'NOT_PAID', errorMessage: 'no money' });
    await server.client.updateJob({ jobKey, changeset: { retries: 5, timeout: 60_000 } });
    expect(server.api.callsOf('failJob').at(-1)).toEqual(['2251799813685280', { retries: 2, errorMessage: 'later', retryBackOff: 1000, variables: { b: 2 } }]);
    expect(server.api.callsOf('throwJobError').at(-1)).toEqual(['2251799813685280', { errorCode: 'NOT_PAID', errorMessage: 'no money' }]);
    expect(server.api.callsOf('updateJob').at(-1)).toEqual(['2251799813685280', { retries: 5, timeout: 60_000 }]);
  });

  it('answers completing a job twice (engine refusal) and unknown jobs with problems', async () => {
    server.api.failNext('completeJob', new EngineError('NOT_FOUND', "Job '2251799813685280' is not activated"));
    const twice = await sdkError(() => server.client.completeJob({ jobKey: '2251799813685280' as never }));
    expect(twice).toMatchObject({ status: 404, title: 'NOT_FOUND' });
    const unknown = await sdkError(() => server.client.failJob({ jobKey: '42' as never, retries: 0 }));
    expect(unknown).toMatchObject({ status: 404 });
  });

  it('refuses unknown keys and wrong types in job bodies', async () => {
    const unknown = await sdkError(() => server.client.failJob({ jobKey: '2251799813685280', retryBackoff: 10 } as never));
    expect(unknown.detail).toMatch(/'retryBackoff'/);
    const wrong = await sdkError(() => server.client.activateJobs({ type: 'x', timeout: 'soon', maxJobsToActivate: 1 } as never));
    expect(wrong.detail).toMatch(/'timeout'/);
    const empty = await sdkError(() => server.client.updateJob({ jobKey: '2251799813685280', changeset: {} } as never));
    expect(empty.detail).toMatch(/changeset/);
  });

  it('searches jobs and maps them to JobSearchResult', async () => {
    const result = await server.client.searchJobs({ filter: { state: 'FAILED', kind: 'BPMN_ELEMENT' } }, { consistency: { waitUpToMs: 0 } });
    expect(result.items).toHaveLength(1);
    expect(result.items[0]).toMatchObject({ jobKey: '2251799813685281', errorMessage: 'boom', endTime: '2025-01-02T05:00:00.000Z', kind: 'BPMN_ELEMENT', hasFailedWithRetriesLeft: false });
    const none = await server.client.searchJobs({ filter: { kind: 'TASK_LISTENER' } }, { consistency: { waitUpToMs: 0 } });
    expect(none.items).toEqual([]);
  });
});
