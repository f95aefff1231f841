/**
 * (a) end-to-end throughput of our engine through the official client: `concurrency` loops each create an
 * instance with `awaitCompletion` (the call returns when the instance has completed) while a real REST job
 * worker (the platform's `startJobWorkers` over the official `createJobWorker`) completes the jobs; and (c) the time from job creation to handler call.
 *
 * Job creation time is the start date of the service task's element instance (the job is created when the
 * task is activated), read afterwards through element-instance search; handler time is Date.now() at the
 * handler's first line. Both come from the same clock (same process), at millisecond resolution. The time
 * from the create request being sent to the handler call is reported too, as an upper bound.
 *
 * The official client lets one client instance have at most 16 operations in flight (its backpressure gate,
 * `CAMUNDA_SDK_BACKPRESSURE_INITIAL_MAX`; job completions are exempt). The worker therefore gets its own client,
 * as it would in its own process, and the creating loops share one client per 16 of them; otherwise 16 waiting
 * `awaitCompletion` calls would starve the worker's activation request.
 */
import { NO_WAIT, type CamundaClient, type EngineTarget } from '../../test/support/camunda-client.js';
import { createBenchClient } from './bench-client.js';
import { benchJobPollers, SERVICE_TASK_BPMN, SERVICE_TASK_PROCESS_ID } from './bench-options.js';
import { percentile, progress } from './report.js';
import { runPool } from './run-pool.js';
import { nextMessage, startThread } from './thread.js';
import { threadCpuMs } from './thread-cpu.js';

export interface ThroughputResult {
  instancesPerSecond: number;
  /** job creation (element instance start) → handler call, ms, sorted */
  pickupMs: number[];
  /** create request sent → handler call, ms, sorted */
  createToHandlerMs: number[];
  /** The pick-up in two parts: job creation → activation (engine clock), activation → handler call; ms, sorted. */
  creationToActivationMs: number[];
  activationToHandlerMs: number[];
  /**
   * CPU µs per instance (thread-cpu.ts) of the engine's thread, the job worker's thread, this (creating) thread
   * and of each extra probe; undefined where not measurable. These move far less with the machine's load than
   * the rate.
   */
  cpuUsPerInstance: { engine: number | undefined; worker: number | undefined; creators: number | undefined; [probe: string]: number | undefined };
  /** Activation requests the job worker sent per instance (each instance also makes one create and one completion call). */
  activationsPerInstance: number;
}

const SDK_OPERATIONS_PER_CLIENT = 16;

export async function engineThroughput(
  target: EngineTarget,
  opts: { instances: number; warmup: number; concurrency: number },
  /** The engine thread's CPU ms so far (EngineUnderTest.engineCpuMs), when the engine runs in a thread. */
  engineCpuMs?: () => Promise<number | undefined>,
  /** More CPU counters (ms so far) to report per instance, by name. */
  extraCpuMs: Record<string, () => Promise<number | undefined>> = {},

): Promise<ThroughputResult> {
  const client = createBenchClient(target);
  const creators = Array.from({ length: Math.ceil(opts.concurrency / SDK_OPERATIONS_PER_CLIENT) }, () => createBenchClient(target));
  const deployment = await client.deployResourcesFromFiles([SERVICE_TASK_BPMN]);
  const processDefinitionKey = String(deployment.processes[0]?.processDefinitionKey ?? '');
  // The job worker runs in a thread of its own, as a worker process would, on the platform's worker runtime; it
  // reports handler call times.
  const worker = startThread('./job-worker-thread-main.ts', { target, maxParallelJobs: opts.concurrency * 2, pollersPerType: benchJobPollers() });
  await nextMessage(worker, 'ready');
  try {
    await createInstances(creators, opts.warmup, opts.concurrency);
    worker.postMessage({ kind: 'reset' });
    await nextMessage(worker, 'reset');
    const extraBefore = await Promise.all(Object.values(extraCpuMs).map((probe) => probe()));
    const engineCpuBefore = await engineCpuMs?.();
    const creatorsCpuBefore = threadCpuMs();
    const started = performance.now();
    await createInstances(creators, opts.instances, opts.concurrency, progress('engine instances', opts.instances));
    const instancesPerSecond = opts.instances / ((performance.now() - started) / 1000);
    const creatorsCpuAfter = threadCpuMs();
    const engineCpuAfter = await engineCpuMs?.();
    const extraAfter = await Promise.all(Object.values(extraCpuMs).map((probe) => probe()));
    worker.postMessage({ kind: 'report' });
    const report = await nextMessage<{ handled: Array<[string, number, number, number]>; activations: number; cpuMs: number | undefined }>(worker, 'report');
    const perInstance = (before: number | undefined, after: number | undefined): number | undefined =>
      before === undefined || after === undefined ? undefined : ((after - before) * 1000) / opts.instances;
    const cpuUsPerInstance = {
      engine: perInstance(engineCpuBefore, engineCpuAfter),
      worker: perInstance(0, report.cpuMs),
      creators: perInstance(creatorsCpuBefore, creatorsCpuAfter),
      ...Object.fromEntries(Object.keys(extraCpuMs).map((name, i) => [name, perInstance(extraBefore[i], extraAfter[i])])),
    };
    const handled = new Map(report.handled.map(([key, at, createdAt, activatedAt]) => [key, { at, createdAt, activatedAt }]));

    const startDates = await elementStartDates(client, processDefinitionKey, new Set(handled.keys()));
    const pickupMs: number[] = [];
    const createToHandlerMs: number[] = [];
    const creationToActivationMs: number[] = [];
    const activationToHandlerMs: number[] = [];
    for (const [key, { at, createdAt, activatedAt }] of handled) {
      const start = startDates.get(key);
      if (start !== undefined) {
        pickupMs.push(at - start);
        creationToActivationMs.push(activatedAt - start);
      }
      activationToHandlerMs.push(at - activatedAt);
      createToHandlerMs.push(at - createdAt);
    }
    for (const list of [pickupMs, createToHandlerMs, creationToActivationMs, activationToHandlerMs]) list.sort((a, b) => a - b);
    const activationsPerInstance = report.activations / opts.instances;
    return { instancesPerSecond, pickupMs, createToHandlerMs, creationToActivationMs, activationToHandlerMs, cpuUsPerInstance, activationsPerInstance };
  } finally {
    worker.postMessage({ kind: 'stop' });
    await nextMessage(worker, 'stopped');
    await worker.terminate();
  }
}

function createInstances(clients: CamundaClient[], total: number, concurrency: number, onDone?: (done: number) => void): Promise<void> {
  const create = (i: number) =>
    clients[i % clients.length]!.createProcessInstance({
      processDefinitionId: SERVICE_TASK_PROCESS_ID,
      awaitCompletion: true,
      requestTimeout: 60_000,
      variables: { createdAt: Date.now() },
    });
  return runPool(total, concurrency, create, onDone);
}

/** Start dates (epoch ms) of the service task's element instances, by element instance key. */
async function elementStartDates(client: CamundaClient, processDefinitionKey: string, wanted: Set<string>): Promise<Map<string, number>> {
  const dates = new Map<string, number>();
  const limit = 500;
  for (let from = 0; ; from += limit) {
    const page = await client.searchElementInstances(
      { filter: { processDefinitionKey: processDefinitionKey as never, elementId: 'work' as never }, page: { from, limit } },
      NO_WAIT,
    );
    const items = page.items ?? [];
    for (const item of items) {
      const key = String(item.elementInstanceKey);
      if (wanted.has(key) && item.startDate) dates.set(key, Date.parse(item.startDate));
    }
    if (items.length < limit) break;
  }
  return dates;
}

export function summarizePickup(sortedMs: readonly number[]): { p50: number; p99: number; max: number; count: number } {
  return { p50: percentile(sortedMs, 50), p99: percentile(sortedMs, 99), max: sortedMs[sortedMs.length - 1] ?? Number.NaN, count: sortedMs.length };
}
