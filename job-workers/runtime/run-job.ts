/**
 * Runs one activated job through its handler and acknowledges it on every path: complete on return, `job.error`
 * or `job.fail` on a throw (as `classifyJobError` decides). Each job logs through a child logger carrying the
 * task type, job key, process instance key, permit id and element id.
 */
import type { Logger } from 'pino';
import { classifyJobError } from './classify-job-error.js';
import { jobLabel } from './job-input.js';
import type { RetryBackOffOptions } from './retry-back-off.js';
import { permitIdOf, toWorkerJob, type ActivatedJob, type JobHandler, type UserTaskJobResult } from './worker-job.js';

export interface RunJobOptions {
  logger: Logger;
  backOff?: RetryBackOffOptions;
}

export type JobRunner = <Receipt>(activated: ActivatedJob<Receipt>) => Promise<Receipt>;

export function createJobRunner(handler: JobHandler, options: RunJobOptions): JobRunner {
  return async function runJob<Receipt>(activated: ActivatedJob<Receipt>): Promise<Receipt> {
    const job = toWorkerJob(activated);
    const logger = options.logger.child({
      taskType: job.type,
      jobKey: job.jobKey,
      processInstanceKey: job.processInstanceKey,
      permitId: permitIdOf(job),
      elementId: job.elementId,
    });
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    logger.debug({ retries: job.retries }, 'job activated');

    let acknowledge: () => Promise<Receipt>;
    try {
      const result = await handler(job, logger);
      const verdict = result?.listener;
      if (verdict) {
        const completeWithResult = activated.completeWithResult?.bind(activated);
        if (!completeWithResult) throw new Error('this worker cannot complete a job with a result (no completeWithResult on the job)');
        const body: UserTaskJobResult = { type: 'userTask', denied: verdict.denied, ...(verdict.deniedReason ? { deniedReason: verdict.deniedReason } : {}) };
        acknowledge = () => completeWithResult(body);
        logger.info({ durationMs: elapsed(), denied: verdict.denied }, verdict.denied ? 'job completed: task listener denied' : 'job completed: task listener accepted');
      } else {
        const variables = result?.variables ?? {};
        acknowledge = () => activated.complete(variables);
        logger.info({ durationMs: elapsed(), variables: Object.keys(variables) }, 'job completed');
      }
    } catch (error) {
      const ack = classifyJobError(error, { label: jobLabel(job), retries: job.retries, backOff: options.backOff });
      if (ack.kind === 'error') {
        acknowledge = () => activated.error({ errorCode: ack.errorCode, errorMessage: ack.errorMessage, variables: ack.variables });
        logger.info({ durationMs: elapsed(), errorCode: ack.errorCode, errorMessage: ack.errorMessage }, 'job ended with a BPMN error');
      } else {
        acknowledge = () => activated.fail({ retries: ack.retries, retryBackOff: ack.retryBackOff, errorMessage: ack.errorMessage });
        const fields = { durationMs: elapsed(), reason: ack.reason, retries: ack.retries, retryBackOffMs: ack.retryBackOff, err: error };
        if (ack.retries === 0) logger.error(fields, `job failed, incident raised: ${ack.errorMessage}`);
        else logger.warn(fields, `job failed, will be retried: ${ack.errorMessage}`);
      }
    }

    try {
      return await acknowledge();
    } catch (error) {
      // The engine did not take the acknowledgement (unreachable, or the job is gone). The job times out and is
      // delivered again; handlers are idempotent, so that is safe.
      logger.error({ err: error }, 'could not acknowledge the job; it will be delivered again after its timeout');
      return activated.ignore();
    }
  };
}
