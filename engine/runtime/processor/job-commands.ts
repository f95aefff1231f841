/**
 * Commands on jobs, with Zeebe's rules and rejection messages: activation, completion, failure (retries,
 * back-off, incident at zero), BPMN error, retries/timeout updates, and time-outs of activated jobs.
 */
import { invalidArgument, invalidState, notFound } from '../../errors.js';
import type { JobRecord } from '../records.js';
import type { InterpreterContext } from './interpreter-context.js';
import type { Interpreter } from './interpreter.js';
import type { ListenerJobResult } from './task-listeners.js';
import type { Variables } from './variable-scopes.js';

export interface Activation {
  job: JobRecord;
  variables: Variables;
  deadline: number;
}

export class JobCommands {
  constructor(
    private readonly ctx: InterpreterContext,
    /** The parts of the processor this one uses. */
    private readonly it: Pick<Interpreter, 'errors' | 'incidents' | 'lifecycle' | 'taskListeners' | 'waits'>,
  ) {}

  hasActivatable(type: string): boolean {
    return this.ctx.state.activatable.get(type).size > 0;
  }

  activate(type: string, worker: string, timeout: number, max: number, fetchVariables?: string[]): Activation[] {
    const s = this.ctx.state;
    const out: Activation[] = [];
    const deadline = this.ctx.now() + timeout;
    for (const jobKey of [...s.activatable.get(type)]) {
      if (out.length >= max) break;
      const job = s.jobs.get(jobKey);
      s.activatable.delete(type, jobKey);
      if (!job) continue;
      job.state = 'ACTIVATED';
      job.worker = worker;
      job.deadline = deadline;
      delete job.recurAt;
      s.touch(job);
      this.ctx.hooks.schedule({ at: deadline, what: 'jobDeadline', key: jobKey });
      const names = fetchVariables && fetchVariables.length > 0 ? fetchVariables : undefined;
      const variables = job.jobKind === 'TASK_LISTENER' ? this.it.taskListeners.variablesFor(job, names) : this.ctx.vars.visible(job.elementInstanceKey, names);
      out.push({ job, variables, deadline });
    }
    return out;
  }

  complete(jobKey: string, variables: Variables | undefined, result?: ListenerJobResult): void {
    const job = this.find(jobKey, 'complete');
    if (job.state !== 'ACTIVATED' && job.state !== 'CREATED' && job.state !== 'TIMED_OUT' && job.state !== 'RETRIES_UPDATED' && !(job.state === 'FAILED' && job.retries > 0)) {
      throw invalidState(`Expected to complete job with key '${jobKey}', but it is in state '${job.state}'`);
    }
    if (job.jobKind === 'TASK_LISTENER') {
      this.it.taskListeners.completeJob(job, variables, result, () => this.end(job, 'COMPLETED'));
      return;
    }
    if (result) throw invalidArgument("'result' (job-based user task / ad-hoc sub-process results) is not supported by this engine");
    this.end(job, 'COMPLETED');
    const ei = this.ctx.state.elements.get(job.elementInstanceKey);
    if (ei) this.it.lifecycle.complete(ei, variables);
  }

  fail(jobKey: string, retries: number, errorMessage: string, retryBackOff: number, variables: Variables | undefined): void {
    const job = this.find(jobKey, 'fail');
    if (job.state !== 'ACTIVATED') {
      throw invalidState(`Expected to fail activated job with key '${jobKey}', but it is in state '${job.state}'`);
    }
    const ei = this.ctx.state.elements.get(job.elementInstanceKey);
    if (ei && variables && Object.keys(variables).length > 0) {
      this.ctx.vars.setLocal(ei.elementInstanceKey, ei.processInstanceKey, ei.tenantId, variables);
    }
    job.state = 'FAILED';
    job.retries = retries;
    job.errorMessage = errorMessage;
    job.worker = '';
    delete job.deadline;
    job.hasFailedWithRetriesLeft = retries > 0;
    this.ctx.state.touch(job);
    if (retries > 0) {
      if (retryBackOff > 0) {
        job.recurAt = this.ctx.now() + retryBackOff;
        this.ctx.hooks.schedule({ at: job.recurAt, what: 'jobBackoff', key: jobKey });
      } else {
        this.it.waits.makeActivatable(job);
      }
      return;
    }
    if (ei) {
      this.it.incidents.raise(ei, job.jobKind === 'TASK_LISTENER' ? 'TASK_LISTENER_NO_RETRIES' : 'JOB_NO_RETRIES', errorMessage || 'No more retries left.', { step: 'job' }, jobKey);
    }
  }

  throwError(jobKey: string, errorCode: string, errorMessage: string, variables: Variables | undefined): void {
    const job = this.find(jobKey, 'throw an error for');
    if (job.jobKind === 'TASK_LISTENER') {
      throw invalidArgument(
        `Expected to throw an error for job with key '${jobKey}', but it is a task listener job (type '${job.type}'); task listener jobs cannot throw BPMN errors. Complete it (optionally denying the transition) or fail it.`,
      );
    }
    if (job.state !== 'ACTIVATED' && job.state !== 'CREATED' && job.state !== 'TIMED_OUT' && job.state !== 'RETRIES_UPDATED') {
      throw invalidState(`Expected to throw an error for job with key '${jobKey}', but it is in state '${job.state}'`);
    }
    job.errorCode = errorCode;
    job.errorMessage = errorMessage;
    const ei = this.ctx.state.elements.get(job.elementInstanceKey);
    if (ei && !this.it.errors.isCaught(ei, errorCode)) {
      // Uncaught: the job stays (ERROR_THROWN) with an incident; resolving it makes the job activatable again.
      job.state = 'ERROR_THROWN';
      job.worker = '';
      delete job.deadline;
      this.ctx.state.activatable.delete(job.type, jobKey);
      this.ctx.state.touch(job);
      this.it.errors.throwError(ei, errorCode, errorMessage, variables, jobKey);
      return;
    }
    this.end(job, 'ERROR_THROWN');
    if (ei) this.it.errors.throwError(ei, errorCode, errorMessage, variables);
  }

  update(jobKey: string, retries: number | undefined, timeout: number | undefined): void {
    const job = this.find(jobKey, 'update');
    if (retries !== undefined && retries < 1) {
      throw invalidArgument(`Expected to update retries for job with key '${jobKey}' with a positive amount of retries, but the amount given was '${retries}'`);
    }
    if (timeout !== undefined) {
      if (job.state !== 'ACTIVATED') {
        throw invalidState(`Expected to update the timeout of job with key '${jobKey}', but it is not activated (state '${job.state}')`);
      }
      job.deadline = this.ctx.now() + timeout;
      this.ctx.hooks.schedule({ at: job.deadline, what: 'jobDeadline', key: jobKey });
    }
    // A job without retries stays failed until its incident is resolved (as in Zeebe).
    if (retries !== undefined) job.retries = retries;
    this.ctx.state.touch(job);
  }

  /** An activated job whose deadline passed goes back to the pool. */
  timeOut(jobKey: string): void {
    const job = this.ctx.state.jobs.get(jobKey);
    if (!job || job.state !== 'ACTIVATED' || job.deadline === undefined || job.deadline > this.ctx.now()) return;
    job.state = 'TIMED_OUT';
    job.worker = '';
    delete job.deadline;
    this.ctx.state.touch(job);
    this.it.waits.makeActivatable(job);
  }

  /** A failed job's retry back-off ended. */
  backOffEnded(jobKey: string): void {
    const job = this.ctx.state.jobs.get(jobKey);
    if (!job || job.state !== 'FAILED' || job.recurAt === undefined || job.recurAt > this.ctx.now()) return;
    delete job.recurAt;
    this.ctx.state.touch(job);
    this.it.waits.makeActivatable(job);
  }

  private find(jobKey: string, action: string): JobRecord {
    const job = this.ctx.state.jobs.get(jobKey);
    if (!job) throw notFound(`Expected to ${action} job with key '${jobKey}', but no such job was found`);
    return job;
  }

  private end(job: JobRecord, state: 'COMPLETED' | 'ERROR_THROWN'): void {
    job.state = state;
    job.endTime = this.ctx.iso();
    delete job.deadline;
    delete job.recurAt;
    this.ctx.state.removeJob(job);
    this.ctx.state.touch(job);
  }
}
