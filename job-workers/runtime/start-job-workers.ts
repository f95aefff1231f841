/**
 * Starts one REST job worker (the official client's `createJobWorker`) per task type. Each worker gets its own
 * client instance: one client lets only 16 operations be in flight (its backpressure gate), so workers sharing a
 * client, or sharing it with the REST API, would starve each other's long-polling activations.
 *
 *   const workers = startJobWorkers({ camunda: { restAddress }, handlers: createTaskHandlers(deps), logger });
 *   …
 *   await workers.stop(); // no new jobs; waits for the running ones to be acknowledged
 */
import type { Logger } from 'pino';
import type { RetryBackOffOptions } from './retry-back-off.js';
import { createJobRunner } from './run-job.js';
import { createWorkerCamundaClient, type WorkerCamundaConnection } from './worker-camunda-client.js';
import type { ActivatedJob, JobHandler, UserTaskJobResult } from './worker-job.js';

/** The part of the official client a worker needs (tests hand in fakes). */
export interface JobWorkerClient {
  createJobWorker(config: {
    jobType: string;
    workerName: string;
    jobHandler: (job: ActivatedJob) => Promise<unknown>;
    maxParallelJobs: number;
    jobTimeoutMs: number;
    pollIntervalMs: number;
    pollTimeoutMs: number;
    autoStart: boolean;
  }): { start(): void; stop(): void };
  /** Completes a job with a `result` (task listener verdicts); the runtime offers it to handlers as `completeWithResult`. */
  completeJob?(input: { jobKey: string; result: UserTaskJobResult }): Promise<unknown>;
}

export interface StartJobWorkersOptions {
  /** Task type → handler (`createTaskHandlers`). */
  handlers: Readonly<Record<string, JobHandler>>;
  logger: Logger;
  /** Builds the client for one worker. Either this or `camunda`. */
  createClient?: (taskType: string) => JobWorkerClient;
  /**
   * Where the engine is: the REST address (and any further SDK settings, e.g. OAuth for a real cluster, and the
   * transport to send with).
   */
  camunda?: WorkerCamundaConnection;
  /** Only these task types (default: every type in `handlers`). */
  taskTypes?: readonly string[];
  /** How long a job stays with this worker before the engine hands it out again. Default 60 s. */
  jobTimeoutMs?: number;
  /** Jobs of one type handled at once. Default 8. */
  maxParallelJobs?: number;
  /**
   * Per task type, instead of `maxParallelJobs`: e.g. a completing task listener, whose jobs each hold a caller's
   * task completion open, takes as many at once as there are callers deciding (`REVIEW_LISTENER_PARALLEL_JOBS`).
   */
  maxParallelJobsByType?: Readonly<Partial<Record<string, number>>>;
  /** Pause between activation requests. Default 100 ms (requests long-poll, so this is rarely felt). */
  pollIntervalMs?: number;
  /** How long one activation request waits for a job. Default 10 s. */
  pollTimeoutMs?: number;
  backOff?: RetryBackOffOptions;
  workerNamePrefix?: string;
}

export interface RunningJobWorkers {
  readonly taskTypes: readonly string[];
  /** In-flight jobs right now. */
  inFlight(): number;
  /** Stops polling at once, then waits (up to `drainTimeoutMs`, default 10 s) for running jobs to be acknowledged. */
  stop(options?: { drainTimeoutMs?: number }): Promise<{ drained: boolean; remaining: number }>;
}

export function startJobWorkers(options: StartJobWorkersOptions): RunningJobWorkers {
  const createClient = options.createClient ?? camundaClientFactory(options.camunda);
  const taskTypes = [...(options.taskTypes ?? Object.keys(options.handlers))];
  const inFlight = new Set<Promise<unknown>>();
  const workers: { stop(): void }[] = [];

  for (const taskType of taskTypes) {
    const handler = options.handlers[taskType];
    if (!handler) throw new Error(`startJobWorkers: no handler for task type "${taskType}"`);
    const run = createJobRunner(handler, { logger: options.logger, backOff: options.backOff });
    const client = createClient(taskType);
    const worker = client.createJobWorker({
      jobType: taskType,
      workerName: `${options.workerNamePrefix ?? 'spe'}-${taskType}`,
      jobHandler: (job) => {
        const running = run(withCompleteWithResult(job, client));
        inFlight.add(running);
        void running.finally(() => inFlight.delete(running)).catch(() => undefined);
        return running;
      },
      maxParallelJobs: options.maxParallelJobsByType?.[taskType] ?? options.maxParallelJobs ?? 8,
      jobTimeoutMs: options.jobTimeoutMs ?? 60_000,
      pollIntervalMs: options.pollIntervalMs ?? 100,
      pollTimeoutMs: options.pollTimeoutMs ?? 10_000,
      autoStart: true,
    });
    workers.push(worker);
  }
  options.logger.info({ taskTypes }, `job workers started for ${taskTypes.length} task types`);

  let stopping: Promise<{ drained: boolean; remaining: number }> | undefined;
  return {
    taskTypes,
    inFlight: () => inFlight.size,
    stop({ drainTimeoutMs = 10_000 } = {}) {
      stopping ??= (async () => {
        for (const worker of workers) worker.stop();
        const drained = await settleWithin([...inFlight], drainTimeoutMs);
        const remaining = inFlight.size;
        if (drained) options.logger.info('job workers stopped; every running job was acknowledged');
        else options.logger.warn({ remaining }, 'job workers stopped before every running job finished; those jobs will be delivered again after their timeout');
        return { drained, remaining };
      })();
      return stopping;
    },
  };
}

/**
 * The SDK's job offers `complete(variables)` only; a task listener's verdict needs `completeJob` with a `result`.
 * After that call the job is marked acknowledged (`ignore()` only sets the SDK's flag), so the SDK does not warn.
 */
function withCompleteWithResult(job: ActivatedJob, client: JobWorkerClient): ActivatedJob {
  const completeJob = client.completeJob?.bind(client);
  if (!completeJob || job.completeWithResult) return job;
  job.completeWithResult = async (result) => {
    await completeJob({ jobKey: job.jobKey, result });
    return job.ignore();
  };
  return job;
}

function camundaClientFactory(camunda: StartJobWorkersOptions['camunda']): (taskType: string) => JobWorkerClient {
  if (!camunda) throw new Error('startJobWorkers needs either createClient or camunda.restAddress');
  // The SDK types its handler as returning its own receipt type; our runner returns exactly what the job's
  // complete/fail/error/ignore returned, i.e. that receipt.
  return () => createWorkerCamundaClient(camunda) as unknown as JobWorkerClient;
}

async function settleWithin(promises: Promise<unknown>[], timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  try {
    return await Promise.race([Promise.allSettled(promises).then(() => true as const), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
