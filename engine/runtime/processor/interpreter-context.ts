/**
 * What every part of the interpreter shares: state, clock, keys, variables, the agenda of follow-up steps,
 * and the hooks through which the engine learns what to do after the batch is committed.
 */
import type { Logger } from 'pino';
import { EngineError } from '../../errors.js';
import type { CompiledElement, CompiledProcess } from '../../model/types.js';
import type { EngineClock } from '../clock.js';
import type { DueEntry } from '../due-queue.js';
import type { KeyGenerator } from '../key-generator.js';
import type { ElementInstanceRecord, ProcessInstanceRecord } from '../records.js';
import type { RuntimeState } from '../runtime-state.js';
import { VariableScopes, type Variables } from './variable-scopes.js';

export interface InterpreterHooks {
  /** A job of this type became activatable. */
  jobActivatable(type: string): void;
  /** Something becomes due at `entry.at`. */
  schedule(entry: DueEntry): void;
  /** A process instance completed or was terminated; `variables` are its root variables at that moment. */
  instanceEnded(instance: ProcessInstanceRecord, variables: Variables): void;
  /** A user task transition with task listeners ended: accepted (no error), denied or canceled (the error to answer). */
  userTaskTransitionEnded(userTaskKey: string, error?: EngineError): void;
}

/** Runtime bookkeeping kept in `ElementInstanceRecord.runtime`. */
export interface ElementRuntime {
  /** Where the element is in its lifecycle. */
  phase?: 'ACTIVATING' | 'ACTIVATED' | 'COMPLETING';
  /** Tokens waiting at joining gateways of this scope: gateway id → flow id → count. */
  joins?: Record<string, Record<string, number>>;
  /** Inner instance of a multi-instance body: its 1-based loop counter. */
  loopCounter?: number;
  /** Multi-instance body: the evaluated input collection and counters. */
  items?: unknown[];
  completed?: number;
  terminated?: number;
  started?: number;
  /** Call activity: the child process instance. */
  childInstanceKey?: string;
  /** Set on a scope interrupted by an interrupting event sub-process. */
  interrupted?: boolean;
  /** What to retry when this element's incident is resolved. */
  retry?: RetryStep;
  /** Boundary / event sub-process / link activation: variables delivered by the trigger. */
  triggerVariables?: Variables;
  /** Event sub-process instance: whether it interrupted its scope. */
  interrupting?: boolean;
}

export type RetryStep =
  | { step: 'activate' }
  | { step: 'complete'; variables?: Variables }
  | { step: 'job' }
  /** A task listener's job could not be created (expression): retry the user task's transition. */
  | { step: 'taskListener' }
  | { step: 'throwError'; errorCode: string; errorMessage: string; variables?: Variables };

/**
 * Most steps one command may run. A flow that loops without a wait state (`a` → `b` → `a`) ran forever on the
 * engine's one thread: every other caller waited and memory grew until the process died. Past the limit the
 * command fails as a whole (nothing applied) with 409 saying why.
 */
export const MAX_STEPS_PER_COMMAND = 100_000;

/**
 * Thrown when a command exceeds MAX_STEPS_PER_COMMAND. Not an EngineError, so the command queue rolls the
 * command's half-made changes back; its `refusal` is what the caller is answered.
 */
export class CommandStepLimitError extends Error {
  readonly refusal = new EngineError(
    'INVALID_STATE',
    `Expected to process the command within ${MAX_STEPS_PER_COMMAND} steps, but it took more without reaching a wait state (a flow that loops without a wait state, such as a task or gateway cycle with no job, user task, timer or message); nothing was applied`,
  );
  constructor() {
    super(`command exceeded ${MAX_STEPS_PER_COMMAND} steps`);
    this.name = 'CommandStepLimitError';
  }
}

export class InterpreterContext {
  readonly vars: VariableScopes;
  private readonly agenda: Array<() => void> = [];
  private agendaIndex = 0;

  constructor(
    readonly state: RuntimeState,
    readonly clock: EngineClock,
    readonly keys: KeyGenerator,
    readonly hooks: InterpreterHooks,
    readonly log: Logger,
  ) {
    this.vars = new VariableScopes(state, keys);
  }

  /** Queue a follow-up step of the current command. */
  later(step: () => void): void {
    this.agenda.push(step);
  }

  /** Runs a command and every follow-up step it queues, in order. */
  run<T>(command: () => T): T {
    try {
      const result = command();
      this.drain();
      return result;
    } finally {
      this.agenda.length = 0;
      this.agendaIndex = 0;
    }
  }

  /**
   * Runs the follow-up steps queued so far (and those they queue) now, inside the running command. A command made
   * of several independent parts (the due timers of one batch) drains after each, so a part that fails or loops is
   * known as the one that did.
   */
  drain(): void {
    while (this.agendaIndex < this.agenda.length) {
      const step = this.agenda[this.agendaIndex]!;
      this.agendaIndex += 1;
      if (this.agendaIndex > MAX_STEPS_PER_COMMAND) throw new CommandStepLimitError();
      step();
    }
  }

  now(): number {
    return this.clock.now();
  }

  iso(): string {
    return this.clock.isoNow();
  }

  model(ei: { processDefinitionKey: string }): CompiledProcess {
    const deployed = this.state.definitions.get(ei.processDefinitionKey);
    if (!deployed) throw new Error(`process definition ${ei.processDefinitionKey} is not loaded`);
    return deployed.model;
  }

  element(ei: ElementInstanceRecord): CompiledElement {
    const el = this.model(ei).elements[ei.elementId];
    if (!el) throw new Error(`element ${ei.elementId} not in process ${ei.processDefinitionId}`);
    return el;
  }

  runtime(ei: ElementInstanceRecord): ElementRuntime {
    ei.runtime ??= {};
    return ei.runtime as ElementRuntime;
  }

  instance(ei: { processInstanceKey: string }): ProcessInstanceRecord {
    const pi = this.state.instances.get(ei.processInstanceKey);
    if (!pi) throw new Error(`process instance ${ei.processInstanceKey} is not active`);
    return pi;
  }

  flowScope(ei: ElementInstanceRecord): ElementInstanceRecord | undefined {
    return ei.flowScopeKey === undefined ? undefined : this.state.elements.get(ei.flowScopeKey);
  }

  activeChildren(scopeKey: string): ElementInstanceRecord[] {
    const out: ElementInstanceRecord[] = [];
    for (const k of this.state.children.get(scopeKey)) {
      const ei = this.state.elements.get(k);
      if (ei) out.push(ei);
    }
    return out;
  }
}
