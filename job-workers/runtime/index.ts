/** The job-worker runtime: start workers, the error taxonomy handlers throw, typed headers and variables. */
export { startJobWorkers, type JobWorkerClient, type RunningJobWorkers, type StartJobWorkersOptions } from './start-job-workers.js';
export { createJobRunner, type JobRunner, type RunJobOptions } from './run-job.js';
export { BusinessRuleError, HoldJobError, NonRetryableError, TransientError } from './job-errors.js';
export { classifyJobError, isTransient, type JobAcknowledgement } from './classify-job-error.js';
export { DEFAULT_RETRY_BACK_OFF, retryBackOffMs, type RetryBackOffOptions } from './retry-back-off.js';
export { jobLabel, readHeaders, readVariables } from './job-input.js';
export { derivedUuid } from './derived-uuid.js';
export {
  jobIdempotencyKey,
  permitIdOf,
  processActor,
  toWorkerJob,
  type ActivatedJob,
  type JobHandler,
  type JobResult,
  type ListenedUserTask,
  type ListenerVerdict,
  type UserTaskJobResult,
  type WorkerJob,
} from './worker-job.js';
