/**
 * Runs inside a worker thread: the benchmark's REST job worker as the platform runs its own
 * (`job-workers/runtime`'s `startJobWorkers`: the official client's `createJobWorker`, `pollersPerType` of them
 * sharing the capacity, each job run by the platform's job runner, which completes it when the handler returns),
 * as a worker process of its own would run it. Records when each job was activated and handed to the runtime, and
 * counts the activation requests sent; reports both to the parent thread on request.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { pino } from 'pino';
import type { EngineTarget } from '../../test/support/camunda-client.js';
import { startJobWorkers, type JobWorkerClient } from '../../job-workers/runtime/index.js';
import { createBenchClient } from './bench-client.js';
import { JOB_TYPE } from './bench-options.js';
import { threadCpuMs } from './thread-cpu.js';

const { target, maxParallelJobs, pollersPerType } = workerData as { target: EngineTarget; maxParallelJobs: number; pollersPerType: number | undefined };
const JOB_TIMEOUT_MS = 30_000;
let handled: Array<[string, number, number, number]> = [];
let cpuAtReset: number | undefined;
/** Activation requests the worker sent since the last reset: HTTP calls per instance beside create and complete. */
let activations = 0;

/** The bench client, counting activation requests and timing each job as the official worker hands it over. */
function instrumentedClient(): JobWorkerClient {
  const client = createBenchClient(target);
  const activateJobs = client.activateJobs.bind(client);
  client.activateJobs = ((...args: Parameters<typeof activateJobs>) => {
    activations += 1;
    return activateJobs(...args);
  }) as typeof client.activateJobs;
  const createJobWorker = client.createJobWorker.bind(client) as unknown as JobWorkerClient['createJobWorker'];
  return {
    completeJob: (input) => client.completeJob(input as never),
    createJobWorker: (config) =>
      createJobWorker({
        ...config,
        jobHandler: (job) => {
          // The activation's engine time: its deadline less the job timeout asked for.
          const raw = job as unknown as { elementInstanceKey: unknown; deadline: unknown };
          handled.push([String(raw.elementInstanceKey), Date.now(), Number(job.variables.createdAt), Number(raw.deadline) - JOB_TIMEOUT_MS]);
          return config.jobHandler(job);
        },
      }),
  };
}

const workers = startJobWorkers({
  handlers: { [JOB_TYPE]: async () => undefined },
  createClient: instrumentedClient,
  logger: pino({ level: 'silent' }),
  maxParallelJobs,
  jobTimeoutMs: JOB_TIMEOUT_MS,
  ...(pollersPerType === undefined ? {} : { pollersPerType }),
});
parentPort!.postMessage({ kind: 'ready' });
parentPort!.on('message', (msg: { kind: string }) => {
  if (msg.kind === 'reset') {
    handled = [];
    activations = 0;
    cpuAtReset = threadCpuMs();
    parentPort!.postMessage({ kind: 'reset' });
  } else if (msg.kind === 'report') {
    const now = threadCpuMs();
    parentPort!.postMessage({ kind: 'report', handled, activations, cpuMs: now === undefined || cpuAtReset === undefined ? undefined : now - cpuAtReset });
  } else if (msg.kind === 'stop') {
    void workers.stop({ drainTimeoutMs: 1_000 }).then(() => parentPort!.postMessage({ kind: 'stopped' }));
  }
});
