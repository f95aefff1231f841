/**
 * The embedded engine: state in memory, every change committed to the store before anyone is answered,
 * commands serialised through one queue (as one Zeebe partition), timers and deadlines driven by the
 * engine clock, job activation by long polling.
 */
import type { Logger } from 'pino';
import { EngineError, invalidArgument } from '../errors.js';
import { setFeelClock } from '../feel/index.js';
import { compileBpmn, compileForm } from '../model/index.js';
import type { CompiledProcess, CompiledResource, UnsupportedElement } from '../model/types.js';
import type { EngineStore } from '../store/store.js';
import type { CompiledDecisionRequirements } from '../dmn/types.js';
import type { DecisionEvaluationOutcome, EvaluateDecisionInput } from './decision-api.js';
import { compileDmnResource } from './processor/dmn-functions.js';
import { EngineClock } from './clock.js';
import { CommandQueue } from './command-queue.js';
import { DueQueue } from './due-queue.js';
import type {
  ActivateJobsInput,
  ActivatedJob,
  CorrelateMessageInput,
  CreateInstanceInput,
  CreateInstanceResult,
  DeployResource,
  DeployResult,
  EngineCommands,
  FailJobInput,
  JobCompletionResult,
  MigrationPlan,
  ModificationInstructions,
  PublishMessageInput,
  ThrowErrorInput,
  UpdateJobInput,
  UserTaskChangeset,
  Variables,
} from './engine-api.js';
import { JobPollers } from './job-pollers.js';
import { KeyGenerator } from './key-generator.js';
import { Interpreter } from './processor/interpreter.js';
import { deleteResource } from './processor/resource-deletion.js';
import type { ProcessInstanceRecord } from './records.js';
import { RuntimeState } from './runtime-state.js';
import { TransitionWaiters } from './transition-waiters.js';

export interface EngineCoreOptions {
  store: EngineStore;
  logger: Logger;
  clock?: EngineClock;
  /** Default long-polling time for job activation, ms. */
  defaultRequestTimeout?: number;
  /** How long a user-task command waits for the task listeners it started before answering 504, ms (default 30 s). */
  taskListenerRequestTimeout?: number;
}

interface Awaiter {
  resolve: (variables: Variables) => void;
  reject: (error: unknown) => void;
}

const MAX_TIMER_WAIT = 60_000;
const TASK_LISTENER_REQUEST_TIMEOUT = 30_000;

export class EngineCore implements EngineCommands {
  readonly clock: EngineClock;
  private state = new RuntimeState();
  private keys = new KeyGenerator();
  private interp!: Interpreter;
  private readonly due = new DueQueue();
  private readonly queue: CommandQueue;
  private readonly pollers: JobPollers;
  private readonly awaiters = new Map<string, Awaiter>();
  private readonly quarantined = new Set<string>();
  private endedInBatch: Array<{ pi: ProcessInstanceRecord; variables: Variables }> = [];
  private readonly transitions: TransitionWaiters;
  private activatableTypes = new Set<string>();
  private dueTimer: NodeJS.Timeout | undefined;
  private stopped = false;
  private readonly log: Logger;
  private readonly unsubscribeClock: () => void;

  private constructor(private readonly options: EngineCoreOptions) {
    this.log = options.logger;
    this.clock = options.clock ?? new EngineClock();
    // FEEL's now()/today() read the engine clock. The hook is process-wide: with several engines in one
    // process (tests), the one opened last is the clock FEEL sees.
    setFeelClock(() => this.clock.now());
    this.queue = new CommandQueue(
      {
        execute: (run) => this.interp.run(run),
        beforeCommit: () => this.serveWaitingPollers(),
        commit: () => this.commit(),
        recover: () => this.recover(),
        afterCommit: () => this.afterCommit(),
      },
      this.log,
    );
    this.pollers = new JobPollers((fn) => this.queue.submit(fn), options.defaultRequestTimeout ?? 10_000);
    this.transitions = new TransitionWaiters(options.taskListenerRequestTimeout ?? TASK_LISTENER_REQUEST_TIMEOUT);
    this.unsubscribeClock = this.clock.onChange(() => this.armDueTimer());
  }

  static async open(options: EngineCoreOptions): Promise<EngineCore> {
    const engine = new EngineCore(options);
    await options.store.migrate();
    await engine.reload();
    return engine;
  }

  /** The read side needs the in-memory models (e.g. start forms). */
  get runtime(): RuntimeState {
    return this.state;
  }

  // ------------------------------------------------------------------ lifecycle

  private async reload(): Promise<void> {
    const loaded = await this.options.store.loadActive();
    const models = await this.compileStoredModels(loaded.records);
    const drgs = await this.compileStoredDecisions(loaded.records);
    this.state = new RuntimeState();
    this.state.load(loaded.records, models, drgs);
    this.keys = new KeyGenerator(loaded.keyHighWater);
    this.interp = new Interpreter(this.state, this.clock, this.keys, this.hooks(), this.log);
    this.due.clear();
    for (const t of this.state.timers.values()) this.due.push({ at: t.dueDate, what: 'timer', key: t.timerKey });
    for (const j of this.state.jobs.values()) {
      if (j.state === 'ACTIVATED' && j.deadline !== undefined) this.due.push({ at: j.deadline, what: 'jobDeadline', key: j.jobKey });
      if (j.recurAt !== undefined) this.due.push({ at: j.recurAt, what: 'jobBackoff', key: j.jobKey });
    }
    for (const m of this.state.messages.values()) this.due.push({ at: m.expiresAt, what: 'messageExpiry', key: m.messageKey });
    this.armDueTimer();
    this.log.info(
      { instances: this.state.instances.size, jobs: this.state.jobs.size, userTasks: this.state.userTasks.size, timers: this.state.timers.size },
      'engine state loaded',
    );
  }

  /** Memory ran ahead of the store (failed commit, unexpected failure): rebuild it, retrying while the store is down. */
  private async recover(): Promise<void> {
    this.pollers.dropDeliveries();
    this.endedInBatch = [];
    this.transitions.dropBatch();
    this.activatableTypes.clear();
    for (let attempt = 1; ; attempt++) {
      try {
        await this.reload();
        return;
      } catch (err) {
        this.log.error({ err, attempt }, 'cannot reload engine state from the store; retrying in 1 s (check the database)');
        await new Promise((r) => setTimeout(r, 1000));
      }
    }
  }

  private async compileStoredModels(records: Awaited<ReturnType<EngineStore['loadActive']>>['records']): Promise<Map<string, CompiledProcess>> {
    const models = new Map<string, CompiledProcess>();
    const byXml = new Map<string, CompiledProcess[]>();
    for (const r of records) {
      if (r.kind !== 'processDefinition' || r.deletedAt !== undefined) continue; // a deleted one is kept for its version only
      let compiled = byXml.get(r.checksum);
      if (!compiled) {
        const result = await compileBpmn(r.resourceName, r.xml);
        compiled = result.processes;
        byXml.set(r.checksum, compiled);
      }
      const model = compiled.find((p) => p.id === r.processDefinitionId);
      if (model) models.set(r.processDefinitionKey, model);
      else this.log.error({ processDefinitionKey: r.processDefinitionKey }, 'stored process definition no longer compiles');
    }
    return models;
  }

  /** The DRGs of the deployed DMN resources, compiled again from their stored XML (by decision requirements key). */
  private async compileStoredDecisions(records: Awaited<ReturnType<EngineStore['loadActive']>>['records']): Promise<Map<string, CompiledDecisionRequirements>> {
    const drgs = new Map<string, CompiledDecisionRequirements>();
    for (const r of records) {
      // A deleted DRG is kept for its version number only.
      if (r.kind !== 'decisionRequirements' || r.deletedAt !== undefined) continue;
      const result = await compileDmnResource(r.resourceName, r.xml);
      if (result.drg) drgs.set(r.decisionRequirementsKey, result.drg);
      else this.log.error({ decisionRequirementsKey: r.decisionRequirementsKey, errors: result.errors }, 'stored decision requirements no longer compile');
    }
    return drgs;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.dueTimer) clearTimeout(this.dueTimer);
    this.unsubscribeClock();
    this.pollers.closeAll();
    for (const a of this.awaiters.values()) a.reject(new EngineError('UNAVAILABLE', 'The engine is shutting down.'));
    this.awaiters.clear();
    this.transitions.rejectAll(new EngineError('UNAVAILABLE', 'The engine is shutting down.'));
    await this.queue.idle();
  }

  private hooks() {
    return {
      jobActivatable: (type: string) => this.activatableTypes.add(type),
      schedule: (entry: Parameters<DueQueue['push']>[0]) => this.due.push(entry),
      instanceEnded: (pi: ProcessInstanceRecord, variables: Variables) => this.endedInBatch.push({ pi, variables }),
      userTaskTransitionEnded: (userTaskKey: string, error?: EngineError) => this.transitions.transitionEnded(userTaskKey, error),
    };
  }

  private async commit(): Promise<void> {
    const records = this.state.takeDirty();
    if (records.length === 0) return;
    await this.options.store.commit({ records, keyHighWater: this.keys.highWater });
  }

  private afterCommit(): void {
    // Job workers first: an activation answered early is a job picked up early.
    this.pollers.deliver();
    for (const { pi, variables } of this.endedInBatch.splice(0)) {
      const awaiter = this.awaiters.get(pi.processInstanceKey);
      if (!awaiter) continue;
      this.awaiters.delete(pi.processInstanceKey);
      if (pi.state === 'COMPLETED') awaiter.resolve(variables);
      else awaiter.reject(new EngineError('INVALID_STATE', `Process instance ${pi.processInstanceKey} was terminated before it completed`));
    }
    this.transitions.afterCommit();
    this.armDueTimer();
  }

  /**
   * Runs a user-task command. When it started task listeners, answers only once they accepted (resolves) or
   * denied (rejects with the denial), or with 504 after the listener request timeout while the transition
   * carries on in the engine.
   */
  private async userTaskCommand(command: () => string | undefined): Promise<void> {
    let waiting: { userTaskKey: string; promise: Promise<void> } | undefined;
    await this.queue.submit(() => {
      const userTaskKey = command();
      if (userTaskKey !== undefined) waiting = { userTaskKey, promise: this.transitions.register(userTaskKey) };
    });
    if (waiting) await this.transitions.wait(waiting.userTaskKey, waiting.promise);
  }

  /** Jobs created in this batch go straight to workers already waiting for their type. */
  private serveWaitingPollers(): void {
    if (this.activatableTypes.size === 0) return;
    const types = [...this.activatableTypes];
    this.activatableTypes.clear();
    for (const t of types) this.pollers.serveWaiting(t);
  }

  private armDueTimer(): void {
    if (this.stopped) return;
    if (this.dueTimer) clearTimeout(this.dueTimer);
    this.dueTimer = undefined;
    const next = this.due.peek();
    if (!next) return;
    const wait = Math.max(0, Math.min(next.at - this.clock.now(), MAX_TIMER_WAIT));
    this.dueTimer = setTimeout(() => {
      this.dueTimer = undefined;
      if (this.due.peek() && this.due.peek()!.at > this.clock.now()) {
        this.armDueTimer();
        return;
      }
      void this.queue
        .submit(() => this.processDue())
        .catch((err: unknown) => this.log.error({ err }, 'processing due timers failed'));
    }, wait);
  }

  // ------------------------------------------------------------------ commands

  async deploy(resources: DeployResource[]): Promise<DeployResult> {
    if (resources.length === 0) throw invalidArgument('Expected to deploy at least one resource, but none given');
    const compiled: CompiledResource[] = [];
    const errors: UnsupportedElement[] = [];
    for (const r of resources) {
      const content = r.content.toString('utf8');
      if (r.name.endsWith('.bpmn') || r.name.endsWith('.xml')) {
        const result = await compileBpmn(r.name, content);
        errors.push(...result.errors);
        compiled.push({ resourceName: r.name, content, processes: result.processes, forms: [] });
      } else if (r.name.endsWith('.form')) {
        const result = compileForm(r.name, content);
        errors.push(...result.errors);
        compiled.push({ resourceName: r.name, content, processes: [], forms: result.form ? [result.form] : [] });
      } else if (r.name.endsWith('.dmn')) {
        const result = await compileDmnResource(r.name, content);
        errors.push(...result.errors);
        compiled.push({ resourceName: r.name, content, processes: [], forms: [], ...(result.drg ? { decisionRequirements: result.drg } : {}) });
      } else {
        errors.push({ resourceName: r.name, elementId: '', reason: 'unsupported resource type: expected a .bpmn, .dmn or .form file' });
      }
    }
    if (errors.length > 0) {
      const lines = errors.map((e) => `'${e.resourceName}'${e.elementId ? ` element '${e.elementId}'` : ''}: ${e.reason}`);
      throw invalidArgument(`Command 'CREATE' rejected with code 'INVALID_ARGUMENT': Expected to deploy new resources, but encountered the following errors:\n${lines.join('\n')}`);
    }
    const outcome = await this.queue.submit(() => this.interp.deployments.deploy(compiled));
    return {
      deployment: outcome.deployment,
      processes: outcome.processes,
      forms: outcome.forms,
      decisionRequirements: outcome.decisionRequirements,
      decisions: outcome.decisions,
    };
  }

  async createProcessInstance(input: CreateInstanceInput): Promise<CreateInstanceResult> {
    let completion: Promise<Variables> | undefined;
    const instance = await this.queue.submit(() => {
      const pi = this.interp.createInstance({
        ...input,
        ...(input.startInstructions ? { startElementIds: input.startInstructions.map((s) => s.elementId) } : {}),
      });
      if (input.awaitCompletion) {
        completion = new Promise<Variables>((resolve, reject) => this.awaiters.set(pi.processInstanceKey, { resolve, reject }));
      }
      return { ...pi };
    });
    if (!completion) return { instance };
    const timeoutMs = input.requestTimeout && input.requestTimeout > 0 ? input.requestTimeout : 10_000;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        this.awaiters.delete(instance.processInstanceKey);
        reject(new EngineError('DEADLINE_EXCEEDED', `Process instance ${instance.processInstanceKey} did not complete within ${timeoutMs} ms; it keeps running.`));
      }, timeoutMs);
    });
    try {
      const all = await Promise.race([completion, timeout]);
      const names = input.fetchVariables;
      const variables = names && names.length > 0 ? Object.fromEntries(Object.entries(all).filter(([k]) => names.includes(k))) : all;
      return { instance: { ...instance, state: 'COMPLETED' }, variables };
    } finally {
      clearTimeout(timer);
    }
  }

  cancelProcessInstance(processInstanceKey: string): Promise<void> {
    return this.queue.submit(() => this.interp.cancelInstance(processInstanceKey));
  }

  publishMessage(input: PublishMessageInput): Promise<{ messageKey: string }> {
    return this.queue.submit(() => {
      const r = this.interp.messages.publish(
        {
          name: input.name,
          correlationKey: input.correlationKey ?? '',
          variables: input.variables ?? {},
          timeToLive: input.timeToLive ?? 0,
          ...(input.messageId ? { messageId: input.messageId } : {}),
        },
        true,
      );
      return { messageKey: r.messageKey };
    });
  }

  correlateMessage(input: CorrelateMessageInput): Promise<{ messageKey: string; processInstanceKey: string }> {
    return this.queue.submit(() =>
      this.interp.messages.correlateNow({ name: input.name, correlationKey: input.correlationKey ?? '', variables: input.variables ?? {} }),
    );
  }

  broadcastSignal(input: { signalName: string; variables?: Variables }): Promise<{ signalKey: string }> {
    return this.queue.submit(() => {
      this.interp.broadcastSignal(input.signalName, input.variables ?? {});
      return { signalKey: this.keys.next() };
    });
  }

  activateJobs(input: ActivateJobsInput, signal?: AbortSignal): Promise<ActivatedJob[]> {
    if (input.maxJobsToActivate < 1) throw invalidArgument(`maxJobsToActivate must be at least 1, got ${input.maxJobsToActivate}`);
    if (input.timeout < 1) throw invalidArgument(`timeout must be a positive number of milliseconds, got ${input.timeout}`);
    return this.pollers.activate(
      input,
      (max) =>
        this.interp.jobs
          .activate(input.type, input.worker ?? '', input.timeout, max, input.fetchVariable)
          .map((a) => ({ job: { ...a.job }, variables: a.variables, deadline: a.deadline })),
      signal,
    );
  }

  completeJob(jobKey: string, variables?: Variables, result?: JobCompletionResult): Promise<void> {
    return this.queue.submit(() => this.interp.jobs.complete(jobKey, variables, result));
  }

  failJob(jobKey: string, input: FailJobInput): Promise<void> {
    return this.queue.submit(() =>
      this.interp.jobs.fail(jobKey, input.retries ?? 0, input.errorMessage ?? '', input.retryBackOff ?? 0, input.variables),
    );
  }

  throwJobError(jobKey: string, input: ThrowErrorInput): Promise<void> {
    return this.queue.submit(() => this.interp.jobs.throwError(jobKey, input.errorCode, input.errorMessage ?? '', input.variables));
  }

  updateJob(jobKey: string, changeset: UpdateJobInput): Promise<void> {
    return this.queue.submit(() => this.interp.jobs.update(jobKey, changeset.retries, changeset.timeout));
  }

  assignUserTask(userTaskKey: string, input: { assignee: string; allowOverride?: boolean; action?: string }): Promise<void> {
    return this.userTaskCommand(() => this.interp.userTasks.assign(userTaskKey, input.assignee, input.allowOverride ?? true, input.action || 'assign'));
  }

  unassignUserTask(userTaskKey: string): Promise<void> {
    return this.userTaskCommand(() => this.interp.userTasks.unassign(userTaskKey));
  }

  completeUserTask(userTaskKey: string, input: { variables?: Variables; action?: string }): Promise<void> {
    return this.userTaskCommand(() => this.interp.userTasks.complete(userTaskKey, input.variables, input.action || 'complete'));
  }

  updateUserTask(userTaskKey: string, changeset: UserTaskChangeset, action?: string): Promise<void> {
    return this.userTaskCommand(() => this.interp.userTasks.update(userTaskKey, changeset, action || 'update'));
  }

  setVariables(elementInstanceKey: string, input: { variables: Variables; local?: boolean }): Promise<void> {
    return this.userTaskCommand(() => this.interp.setVariables(elementInstanceKey, input.variables, input.local ?? false));
  }

  evaluateDecision(input: EvaluateDecisionInput): Promise<DecisionEvaluationOutcome> {
    return this.queue.submit(() => this.interp.decisions.evaluateStandalone(input));
  }

  resolveIncident(incidentKey: string): Promise<void> {
    return this.queue.submit(() => this.interp.incidents.resolve(incidentKey));
  }

  deleteResource(resourceKey: string): Promise<void> {
    return this.queue.submit(() => deleteResource(resourceKey, this.interp));
  }

  migrateProcessInstance(processInstanceKey: string, plan: MigrationPlan): Promise<void> {
    return this.queue.submit(() => this.interp.migrations.migrate(processInstanceKey, plan));
  }

  modifyProcessInstance(processInstanceKey: string, instructions: ModificationInstructions): Promise<void> {
    return this.queue.submit(() => this.interp.modifications.modify(processInstanceKey, instructions));
  }

  async pinClock(epochMs: number): Promise<void> {
    if (!Number.isFinite(epochMs) || epochMs < 0) throw invalidArgument(`timestamp must be a non-negative epoch milliseconds value, got ${epochMs}`);
    this.clock.pin(epochMs);
    await this.queue.submit(() => this.processDue());
  }

  async resetClock(): Promise<void> {
    this.clock.reset();
    await this.queue.submit(() => this.processDue());
  }

  /**
   * Everything due by the engine clock now: timers fire, deadlines and back-offs end, messages expire. An
   * entry whose processing fails unexpectedly is rolled back with its batch and then skipped (quarantined)
   * until the engine restarts, so one bad timer cannot stop all others; the error log names it.
   */
  private processDue(): void {
    for (const entry of this.due.popDue(this.clock.now())) {
      const id = `${entry.what}:${entry.key}`;
      if (this.quarantined.has(id)) continue;
      try {
        this.interp.due(entry);
      } catch (err) {
        if (!(err instanceof EngineError)) {
          this.quarantined.add(id);
          this.log.error({ err, due: entry }, 'due entry failed unexpectedly; it is skipped until the engine restarts');
        }
        throw err;
      }
    }
  }
}
