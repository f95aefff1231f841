/**
 * Incidents: raised where Zeebe raises them (job retries exhausted, uncaught error, failing expression,
 * missing called process or form), visible on the element and process instance, and resolvable — resolving
 * retries exactly the step that failed.
 */
import { invalidState, notFound } from '../../errors.js';
import { ExpressionError } from '../../feel/index.js';
import type { ElementInstanceRecord, IncidentErrorType, IncidentRecord } from '../records.js';
import type { InterpreterContext, RetryStep } from './interpreter-context.js';
import type { Interpreter } from './interpreter.js';

/** What `evaluateOrRaise` returns when the expression failed and an incident was raised instead. */
export const RAISED: unique symbol = Symbol('incident raised');

export class Incidents {
  constructor(
    private readonly ctx: InterpreterContext,
    /** The parts of the processor this one uses. */
    private readonly it: Pick<Interpreter, 'errors' | 'events' | 'lifecycle' | 'taskListeners' | 'waits'>,
  ) {}

  raise(ei: ElementInstanceRecord, errorType: IncidentErrorType, errorMessage: string, retry: RetryStep, jobKey?: string): IncidentRecord {
    const incident: IncidentRecord = {
      kind: 'incident',
      incidentKey: this.ctx.keys.next(),
      errorType,
      errorMessage,
      elementId: ei.elementId,
      elementInstanceKey: ei.elementInstanceKey,
      processInstanceKey: ei.processInstanceKey,
      processDefinitionKey: ei.processDefinitionKey,
      processDefinitionId: ei.processDefinitionId,
      ...(jobKey ? { jobKey } : {}),
      creationTime: this.ctx.iso(),
      state: 'ACTIVE',
      tenantId: ei.tenantId,
    };
    this.ctx.state.addIncident(incident);
    this.ctx.state.touch(incident);
    const job = jobKey ? this.ctx.state.jobs.get(jobKey) : undefined;
    if (job) {
      job.incidentKey = incident.incidentKey;
      this.ctx.state.touch(job);
    }
    ei.hasIncident = true;
    ei.incidentKey = incident.incidentKey;
    this.ctx.runtime(ei).retry = retry;
    this.ctx.state.touch(ei);
    // Resolving re-runs the activation, which opens the element's subscriptions again.
    if (retry.step === 'activate') this.it.events.closeOwnedSubscriptions(ei);
    this.markInstance(ei.processInstanceKey);
    this.ctx.log.info({ incidentKey: incident.incidentKey, errorType, elementId: ei.elementId, processInstanceKey: ei.processInstanceKey }, errorMessage);
    return incident;
  }

  /**
   * Runs an evaluation for `ei`. A failing expression does not throw: it becomes an incident of `errorType`
   * on `ei` (resolving it retries `retry`), and the caller gets RAISED and stops.
   */
  evaluateOrRaise<T>(
    ei: ElementInstanceRecord,
    errorType: IncidentErrorType,
    evaluate: () => T,
    retry: RetryStep = { step: 'activate' },
  ): T | typeof RAISED {
    try {
      return evaluate();
    } catch (err) {
      if (!(err instanceof ExpressionError)) throw err;
      this.raise(ei, errorType, err.message, retry);
      return RAISED;
    }
  }

  /** Resolves an incident and retries the failed step. */
  resolve(incidentKey: string): void {
    const incident = this.ctx.state.incidents.get(incidentKey);
    if (!incident) throw notFound(`Expected to resolve incident with key '${incidentKey}', but no such incident was found`);
    const ei = this.ctx.state.elements.get(incident.elementInstanceKey);
    const retry = ei ? this.ctx.runtime(ei).retry : undefined;
    if (retry?.step === 'job' && incident.jobKey) {
      const job = this.ctx.state.jobs.get(incident.jobKey);
      if (job && job.retries <= 0) {
        throw invalidState(
          `Expected to resolve incident of job with key '${incident.jobKey}', but the job has no retries left; update the job's retries (PATCH /v2/jobs/${incident.jobKey}) first`,
        );
      }
    }
    this.close(incident);
    if (!ei || ei.state !== 'ACTIVE') return;
    delete this.ctx.runtime(ei).retry;
    this.ctx.state.touch(ei);
    switch (retry?.step) {
      case 'activate':
        this.it.lifecycle.activate(ei);
        break;
      case 'complete':
        this.it.lifecycle.complete(ei, retry.variables);
        break;
      case 'job': {
        const job = incident.jobKey ? this.ctx.state.jobs.get(incident.jobKey) : undefined;
        if (job) {
          job.state = 'RETRIES_UPDATED';
          delete job.incidentKey;
          this.ctx.state.touch(job);
          this.it.waits.makeActivatable(job);
        }
        break;
      }
      case 'taskListener': {
        const taskKey = this.ctx.state.userTaskByElement.get(ei.elementInstanceKey);
        const task = taskKey ? this.ctx.state.userTasks.get(taskKey) : undefined;
        if (task) this.it.taskListeners.retry(task);
        break;
      }
      case 'throwError':
        this.it.errors.throwError(ei, retry.errorCode, retry.errorMessage, retry.variables);
        break;
      default:
        break;
    }
  }

  /** Resolves every open incident of an element instance that ends. */
  resolveAllOf(ei: ElementInstanceRecord): void {
    if (!ei.hasIncident || !ei.incidentKey) return;
    const incident = this.ctx.state.incidents.get(ei.incidentKey);
    if (incident) this.close(incident);
  }

  private close(incident: IncidentRecord): void {
    incident.state = 'RESOLVED';
    this.ctx.state.removeIncident(incident);
    this.ctx.state.touch(incident);
    const ei = this.ctx.state.elements.get(incident.elementInstanceKey);
    if (ei && ei.incidentKey === incident.incidentKey) {
      ei.hasIncident = false;
      delete ei.incidentKey;
      this.ctx.state.touch(ei);
    }
    this.markInstance(incident.processInstanceKey);
  }

  private markInstance(processInstanceKey: string): void {
    const pi = this.ctx.state.instances.get(processInstanceKey);
    if (!pi) return;
    const has = this.ctx.state.incidentsByInstance.get(processInstanceKey).size > 0;
    if (pi.hasIncident !== has) {
      pi.hasIncident = has;
      this.ctx.state.touch(pi);
    }
  }
}
