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
  /** Task listener jobs: the user task as the engine has it (assignee, key, form) and the listener's event. */
  readonly userTask?: ListenedUserTask;
}

export interface ListenedUserTask {
  /** `COMPLETING`, `ASSIGNING`, … */
  readonly eventType: string;
  readonly userTaskKey: string;
  /** The task's assignee when the event happened; undefined when unassigned. */
  readonly assignee?: string;
  readonly candidateGroups: readonly string[];
  readonly formKey?: string;
}

export interface JobResult {
  /** Variables to complete the job with. */
  readonly variables?: Record<string, unknown>;
  /**
   * A user task listener's verdict (task listener jobs only, which take no variables): the job is completed with
   * `result: { type: 'userTask', denied, deniedReason }`, so `denied: true` keeps the task open.
   */
  readonly listener?: ListenerVerdict;
}

export interface ListenerVerdict {
  readonly denied: boolean;
  /** Why, written for the person who tried to complete the task. */
  readonly deniedReason?: string;
}

/** The `result` of a job completion (Camunda 8.8 `JobResult` of type `userTask`). */
export interface UserTaskJobResult {
  type: 'userTask';
  denied: boolean;
  deniedReason?: string;
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
  /** `TASK_LISTENER` for user task listener jobs (Camunda 8.8). */
  kind?: string;
  listenerEventType?: string;
  userTask?: { assignee?: string | null; candidateGroups?: string[]; userTaskKey?: unknown; formKey?: unknown; action?: string } | null;
  complete(variables?: Record<string, unknown>): Promise<Receipt>;
  fail(body: { retries?: number; errorMessage?: string; retryBackOff?: number }): Promise<Receipt>;
  error(body: { errorCode: string; errorMessage?: string | null; variables?: Record<string, unknown> | null }): Promise<Receipt>;
  /** Marks the job handled without telling the engine (it times out and is delivered again). */
  ignore(): Promise<Receipt>;
  /**
   * Completes the job with a `result` (task listener verdicts). The SDK's job has no such method; `startJobWorkers`
   * adds it from the worker's client (`completeJob`).
   */
  completeWithResult?(result: UserTaskJobResult): Promise<Receipt>;
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
    ...(job.kind === 'TASK_LISTENER' ? { userTask: listenedUserTask(job) } : {}),
  };
}

/** The user task of a listener job: from `userTask`, else from the `io.camunda.zeebe:*` headers 8.8 also sets. */
function listenedUserTask(job: ActivatedJob): ListenedUserTask {
  const header = (name: string): unknown => job.customHeaders?.[`io.camunda.zeebe:${name}`];
  const text = (value: unknown): string | undefined => (value === undefined || value === null || value === '' ? undefined : String(value));
  const list = (value: unknown): string[] => {
    if (Array.isArray(value)) return value.map(String);
    if (typeof value === 'string' && value.startsWith('[')) {
      try {
        return (JSON.parse(value) as unknown[]).map(String);
      } catch {
        return [];
      }
    }
    return [];
  };
  const task = job.userTask ?? {};
  const assignee = text(task.assignee) ?? text(header('assignee'));
  const formKey = text(task.formKey) ?? text(header('formKey'));
  return {
    eventType: String(job.listenerEventType ?? ''),
    userTaskKey: text(task.userTaskKey) ?? text(header('userTaskKey')) ?? '',
    ...(assignee ? { assignee } : {}),
    candidateGroups: task.candidateGroups ?? list(header('candidateGroups')),
    ...(formKey ? { formKey } : {}),
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
