import { describe, expect, it } from 'vitest';
import { makeActivatedJob, makeWorkerJob, silentLogger } from '../testing/make-worker-job.js';
import { startJobWorkers, type JobWorkerClient } from './start-job-workers.js';
import type { JobHandler } from './worker-job.js';

type WorkerConfig = Parameters<JobWorkerClient['createJobWorker']>[0];

/** A client per call that records the worker it was asked to create. */
function fakeClients() {
  const created: { taskType: string; config?: WorkerConfig; stopped: boolean }[] = [];
  const createClient = (taskType: string): JobWorkerClient => {
    const entry: (typeof created)[number] = { taskType, stopped: false };
    created.push(entry);
    return {
      createJobWorker(config) {
        entry.config = config;
        return { start: () => undefined, stop: () => void (entry.stopped = true) };
      },
    };
  };
  return { created, createClient };
}

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('startJobWorkers', () => {
  const noop: JobHandler = async () => undefined;

  it('starts one worker on its own client per task type, with the configured limits', () => {
    const { created, createClient } = fakeClients();
    const workers = startJobWorkers({
      handlers: { 'permit.set-status': noop, 'audit.record': noop },
      createClient,
      logger: silentLogger,
      jobTimeoutMs: 30_000,
      maxParallelJobs: 4,
      pollIntervalMs: 50,
    });
    expect(workers.taskTypes).toEqual(['permit.set-status', 'audit.record']);
    expect(created.map((c) => c.taskType)).toEqual(['permit.set-status', 'audit.record']);
    expect(created[0]?.config).toMatchObject({ jobType: 'permit.set-status', jobTimeoutMs: 30_000, maxParallelJobs: 4, pollIntervalMs: 50, workerName: 'spe-permit.set-status' });
  });

  it('refuses a task type without a handler', () => {
    const { createClient } = fakeClients();
    expect(() => startJobWorkers({ handlers: {}, taskTypes: ['permit.issue'], createClient, logger: silentLogger })).toThrow(
      'startJobWorkers: no handler for task type "permit.issue"',
    );
  });

  it('needs a client factory or an engine address', () => {
    expect(() => startJobWorkers({ handlers: { 'permit.issue': noop }, logger: silentLogger })).toThrow(/createClient or camunda\.restAddress/);
  });

  it('stops polling at once and waits for running jobs to be acknowledged', async () => {
    const { created, createClient } = fakeClients();
    const gate = deferred();
    const workers = startJobWorkers({ handlers: { 'permit.issue': () => gate.promise }, createClient, logger: silentLogger });
    const activated = makeActivatedJob(makeWorkerJob({ type: 'permit.issue' }));
    const running = created[0]!.config!.jobHandler(activated);
    expect(workers.inFlight()).toBe(1);

    const stopping = workers.stop();
    expect(created[0]?.stopped).toBe(true);
    expect(activated.acks).toEqual([]);
    gate.resolve();
    await running;
    await expect(stopping).resolves.toEqual({ drained: true, remaining: 0 });
    expect(activated.acks.map((a) => a.kind)).toEqual(['complete']);
  });

  it('gives up draining after the timeout and reports what is left', async () => {
    const { created, createClient } = fakeClients();
    const workers = startJobWorkers({ handlers: { 'permit.issue': () => new Promise(() => undefined) }, createClient, logger: silentLogger });
    void created[0]!.config!.jobHandler(makeActivatedJob(makeWorkerJob({ type: 'permit.issue' })));
    await expect(workers.stop({ drainTimeoutMs: 10 })).resolves.toEqual({ drained: false, remaining: 1 });
  });
});
