import { describe, expect, it } from 'vitest';
import { makeActivatedJob, makeWorkerJob, silentLogger } from '../testing/make-worker-job.js';
import { shareCapacity, startJobWorkers, type JobWorkerClient } from './start-job-workers.js';
import type { JobHandler } from './worker-job.js';

type WorkerConfig = Parameters<JobWorkerClient['createJobWorker']>[0];

/** A client per call that records the workers it was asked to create. */
function fakeClients() {
  const created: { taskType: string; configs: WorkerConfig[]; stopped: number }[] = [];
  const createClient = (taskType: string): JobWorkerClient => {
    const entry: (typeof created)[number] = { taskType, configs: [], stopped: 0 };
    created.push(entry);
    return {
      createJobWorker(config) {
        entry.configs.push(config);
        return { start: () => undefined, stop: () => void (entry.stopped += 1) };
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

  it('starts a worker on its own client per task type, or two sharing that client and the configured limits', () => {
    const { created, createClient } = fakeClients();
    const workers = startJobWorkers({
      handlers: { 'permit.set-status': noop, 'audit.record': noop },
      createClient,
      logger: silentLogger,
      jobTimeoutMs: 30_000,
      maxParallelJobs: 4,
      maxParallelJobsByType: { 'audit.record': 5 },
      pollIntervalMs: 50,
      pollersPerType: 2,
    });
    expect(workers.taskTypes).toEqual(['permit.set-status', 'audit.record']);
    expect(created.map((c) => c.taskType)).toEqual(['permit.set-status', 'audit.record']);
    const [setStatus, audit] = created;
    expect(setStatus?.configs).toHaveLength(2);
    for (const config of setStatus!.configs) {
      expect(config).toMatchObject({ jobType: 'permit.set-status', jobTimeoutMs: 30_000, maxParallelJobs: 2, pollIntervalMs: 50, workerName: 'spe-permit.set-status' });
    }
    // Together they never take more jobs of the type than it allows.
    expect(audit?.configs.map((c) => c.maxParallelJobs)).toEqual([3, 2]);
  });

  it('starts one worker per task type unless asked for more', () => {
    const { created, createClient } = fakeClients();
    startJobWorkers({ handlers: { 'permit.issue': noop }, createClient, logger: silentLogger, maxParallelJobs: 4 });
    expect(created[0]?.configs.map((c) => c.maxParallelJobs)).toEqual([4]);
  });

  it('keeps as many activations in flight as asked, never more than the jobs a type may run', () => {
    const { created, createClient } = fakeClients();
    startJobWorkers({
      handlers: { 'permit.issue': noop, 'audit.record': noop },
      createClient,
      logger: silentLogger,
      maxParallelJobs: 1,
      maxParallelJobsByType: { 'audit.record': 8 },
      pollersPerType: 3,
    });
    expect(created.map((c) => c.configs.map((config) => config.maxParallelJobs))).toEqual([[1], [3, 3, 2]]);
    expect(() => startJobWorkers({ handlers: { 'permit.issue': noop }, createClient, logger: silentLogger, pollersPerType: 0 })).toThrow(/pollersPerType must be a positive integer/);
  });

  it('splits a capacity as evenly as it goes', () => {
    expect(shareCapacity(8, 2)).toEqual([4, 4]);
    expect(shareCapacity(5, 2)).toEqual([3, 2]);
    expect(shareCapacity(64, 1)).toEqual([64]);
    expect(shareCapacity(1, 2)).toEqual([1]);
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
    const workers = startJobWorkers({ handlers: { 'permit.issue': () => gate.promise }, createClient, logger: silentLogger, pollersPerType: 2 });
    const activated = makeActivatedJob(makeWorkerJob({ type: 'permit.issue' }));
    const running = created[0]!.configs[1]!.jobHandler(activated);
    expect(workers.inFlight()).toBe(1);

    const stopping = workers.stop();
    expect(created[0]?.stopped).toBe(2);
    expect(activated.acks).toEqual([]);
    gate.resolve();
    await running;
    await expect(stopping).resolves.toEqual({ drained: true, remaining: 0 });
    expect(activated.acks.map((a) => a.kind)).toEqual(['complete']);
  });

  it('gives up draining after the timeout and reports what is left', async () => {
    const { created, createClient } = fakeClients();
    const workers = startJobWorkers({ handlers: { 'permit.issue': () => new Promise(() => undefined) }, createClient, logger: silentLogger });
    void created[0]!.configs[0]!.jobHandler(makeActivatedJob(makeWorkerJob({ type: 'permit.issue' })));
    await expect(workers.stop({ drainTimeoutMs: 10 })).resolves.toEqual({ drained: false, remaining: 1 });
  });
});
