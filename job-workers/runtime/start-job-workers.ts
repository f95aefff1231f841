/**
 * Starts the REST job workers (the official client's `createJobWorker`) of every task type. Each task type gets its
 * own client instance: one client lets only 16 operations be in flight (its backpressure gate), so task types
 * sharing a client, or sharing it with the REST API, would starve each other's long-polling activations.
 *
 * `pollersPerType` (default 1) starts that many of the client's workers per task type, sharing its capacity
 * (`maxParallelJobs`, split between them), so as many activation requests are in flight: the official worker keeps
 * one and sends the next only after it has started the handlers of the last answer. With two, a job created while
 * one answer travels is usually taken by the other's waiting request in the batch that creates it; the engine
 * hands a job to one request only, and together the workers never run more than `maxParallelJobs` jobs of the type
 * at once. Measured at saturation it moved the wait from before the activation to after it without shortening the
 * pick-up, and doubles the idle long polls (docs/engine.md, "Two activation requests in flight"), so one stays the
 * default; on an idle machine two made one job at a time ten times slower to pick up (p50 2 → 21 ms).
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
  /**
   * Activation requests kept in flight per task type: the official workers polling it, which share its
   * `maxParallelJobs` (a type allowed fewer jobs at once gets as many workers as jobs). Default 1; more is a
   * measured experiment, not a tuning knob (docs/engine.md, "Two activation requests in flight").
   */
  pollersPerType?: number;
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
  const pollersPerType = options.pollersPerType ?? 1;
  if (!Number.isInteger(pollersPerType) || pollersPerType < 1) throw new Error(`startJobWorkers: pollersPerType must be a positive integer, got ${pollersPerType}`);
  const taskTypes = [...(options.taskTypes ?? Object.keys(options.handlers))];
  const inFlight = new Set<Promise<unknown>>();
  const workers: { stop(): void }[] = [];

  for (const taskType of taskTypes) {
    const handler = options.handlers[taskType];
    if (!handler) throw new Error(`startJobWorkers: no handler for task type "${taskType}"`);
    const run = createJobRunner(handler, { logger: options.logger, backOff: options.backOff });
    const client = createClient(taskType);
    const jobHandler = (job: ActivatedJob): Promise<unknown> => {
      const running = run(withCompleteWithResult(job, client));
      inFlight.add(running);
      void running.finally(() => inFlight.delete(running)).catch(() => undefined);
      return running;
    };
    for (const maxParallelJobs of shareCapacity(options.maxParallelJobsByType?.[taskType] ?? options.maxParallelJobs ?? 8, pollersPerType)) {
      workers.push(
        client.createJobWorker({
          jobType: taskType,
          workerName: `${options.workerNamePrefix ?? 'spe'}-${taskType}`,
          jobHandler,
          maxParallelJobs,
          jobTimeoutMs: options.jobTimeoutMs ?? 60_000,
          pollIntervalMs: options.pollIntervalMs ?? 100,
          pollTimeoutMs: options.pollTimeoutMs ?? 10_000,
          autoStart: true,
        }),
      );
    }
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
 * A task type's capacity split between its pollers, as evenly as it goes: 8 over 2 is [4, 4], 5 over 2 is [3, 2],
 * 1 over 2 is [1] (a poller needs room for one job at least).
 */
export function shareCapacity(capacity: number, pollers: number): number[] {
  const count = Math.max(1, Math.min(pollers, capacity));
  return Array.from({ length: count }, (_, i) => Math.floor(capacity / count) + (i < capacity % count ? 1 : 0));
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
