/**
 * Runs inside a worker thread: the benchmark's REST job worker (the official client's `createJobWorker`),
 * as a worker process of its own would run it. Records when each job was activated and its handler called, and
 * counts the activation requests it sent; reports both to the parent thread on request.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { EngineTarget } from '../../test/support/camunda-client.js';
import { createBenchClient } from './bench-client.js';
import { JOB_TYPE } from './bench-options.js';
import { threadCpuMs } from './thread-cpu.js';

const { target, maxParallelJobs } = workerData as { target: EngineTarget; maxParallelJobs: number };
const JOB_TIMEOUT_MS = 30_000;
let handled: Array<[string, number, number, number]> = [];
let cpuAtReset: number | undefined;
/** Activation requests the worker sent since the last reset: HTTP calls per instance beside create and complete. */
let activations = 0;
const client = createBenchClient(target);
const activateJobs = client.activateJobs.bind(client);
client.activateJobs = ((...args: Parameters<typeof activateJobs>) => {
  activations += 1;
  return activateJobs(...args);
}) as typeof client.activateJobs;
const worker = client.createJobWorker({
  jobType: JOB_TYPE,
  maxParallelJobs,
  jobTimeoutMs: JOB_TIMEOUT_MS,
  pollTimeoutMs: 10_000,
  fetchVariables: ['createdAt'],
  jobHandler: (job) => {
    // The activation's engine time: its deadline less the job timeout asked for.
    handled.push([String(job.elementInstanceKey), Date.now(), Number(job.variables.createdAt), Number(job.deadline) - JOB_TIMEOUT_MS]);
    return job.complete();
  },
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
    worker.stop();
    parentPort!.postMessage({ kind: 'stopped' });
  }
});
