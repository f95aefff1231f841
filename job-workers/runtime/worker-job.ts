/**
 * What a job handler sees and returns. Handlers never acknowledge jobs themselves: they return (the runtime
 * completes the job, with `variables` when given) or throw (the runtime maps the error to `job.error` or
 * `job.fail`, see `classifyJobError`). That keeps every path acknowledged and handlers free of engine calls.
 */
import type { Logger } from 'pino';

/** A job as the handlers see it: plain data, keys as strings. */
export interface WorkerJob {
  /** The task type, e.g. `permit.set-status`. */
  readonly type: string;
  readonly jobKey: string;
  readonly processInstanceKey: string;
  /** Unique per activation of the service task: the idempotency anchor of everything a job writes. */
  readonly elementInstanceKey: string;
  readonly elementId: string;
  /** The BPMN process id of the job's process, e.g. `spe-permit-application`. */
  readonly bpmnProcessId: string;
  readonly retries: number;
  readonly headers: Readonly<Record<string, unknown>>;
  readonly variables: Readonly<Record<string, unknown>>;
}

export interface JobResult {
  /** Variables to complete the job with. */
  readonly variables?: Record<string, unknown>;
}

export type JobHandler = (job: WorkerJob, logger: Logger) => Promise<JobResult | void>;

/** The activated job the official client hands a worker (the subset the runtime uses). */
export interface ActivatedJob<Receipt = unknown> {
  type: string;
  jobKey: string;
  processInstanceKey: string;
  elementInstanceKey: string;
  elementId: string;
  processDefinitionId: string;
  retries: number;
  customHeaders: Record<string, unknown>;
  variables: Record<string, unknown>;
  complete(variables?: Record<string, unknown>): Promise<Receipt>;
  fail(body: { retries?: number; errorMessage?: string; retryBackOff?: number }): Promise<Receipt>;
  error(body: { errorCode: string; errorMessage?: string | null; variables?: Record<string, unknown> | null }): Promise<Receipt>;
  /** Marks the job handled without telling the engine (it times out and is delivered again). */
  ignore(): Promise<Receipt>;
}

export function toWorkerJob(job: ActivatedJob): WorkerJob {
  return {
    type: job.type,
    jobKey: String(job.jobKey),
    processInstanceKey: String(job.processInstanceKey),
    elementInstanceKey: String(job.elementInstanceKey),
    elementId: String(job.elementId),
    bpmnProcessId: String(job.processDefinitionId),
    retries: job.retries,
    headers: job.customHeaders ?? {},
    variables: job.variables ?? {},
  };
}

/** The actor recorded for changes a process makes: `process:<bpmnProcessId>`. */
export function processActor(job: Pick<WorkerJob, 'bpmnProcessId'>): string {
  return `process:${job.bpmnProcessId}`;
}

/** `permitId` of the job, when it has one (every process of the series carries it); for logs. */
export function permitIdOf(job: Pick<WorkerJob, 'variables'>): string | undefined {
  const value = job.variables.permitId;
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

/**
 * The key that makes a job's writes idempotent: the task type, the permit and the element instance. The permit
 * id is part of it because element instance keys start again from the same number when an embedded engine gets
 * a fresh store while the Permit Manager's database lives on.
 */
export function jobIdempotencyKey(job: Pick<WorkerJob, 'type' | 'elementInstanceKey'>, permitId: string): string {
  return `${job.type}/${permitId}/${job.elementInstanceKey}`;
}
