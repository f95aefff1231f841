/**
 * The BPMN interpreter: one object per engine that owns the runtime state and runs every command against it,
 * synchronously, with Zeebe's semantics. The engine (engine.ts) serialises commands, commits their effects
 * and answers callers.
 */
import type { Logger } from 'pino';
import { invalidArgument, invalidState, notFound } from '../../errors.js';
import type { EngineClock } from '../clock.js';
import type { DueEntry } from '../due-queue.js';
import type { KeyGenerator } from '../key-generator.js';
import type { ProcessInstanceRecord } from '../records.js';
import type { RuntimeState } from '../runtime-state.js';
import { DecisionCommands } from './decision-commands.js';
import { DeploymentCommand } from './deployment-command.js';
import { evaluateDmnDecision } from './dmn-functions.js';
import { ElementLifecycle } from './element-lifecycle.js';
import { ErrorPropagation } from './error-propagation.js';
import { EventSubscriptions } from './event-subscriptions.js';
import { EventTriggers } from './event-triggers.js';
import { Incidents } from './incidents.js';
import { InterpreterContext, type InterpreterHooks } from './interpreter-context.js';
import { JobCommands } from './job-commands.js';
import { MessageCorrelation } from './message-correlation.js';
import { MigrationCommand } from './migration-command.js';
import { ModificationCommand } from './modification-command.js';
import { MultiInstance } from './constructs/multi-instance.js';
import { broadcastSignal } from '../../constructs/events/signal/behaviour.js';
import { timerDue } from '../../constructs/events/timer/behaviour.js';
import { TaskListeners } from './task-listeners.js';
import { UserTaskCommands, type Pending } from './user-task-commands.js';
import type { Variables } from './variable-scopes.js';
import { WaitStates } from './wait-states.js';

export class Interpreter {
  readonly ctx: InterpreterContext;
  readonly lifecycle: ElementLifecycle;
  readonly events: EventSubscriptions;
  readonly triggers: EventTriggers;
  readonly errors: ErrorPropagation;
  readonly incidents: Incidents;
  readonly waits: WaitStates;
  readonly multiInstance: MultiInstance;
  readonly messages: MessageCorrelation;
  readonly jobs: JobCommands;
  readonly userTasks: UserTaskCommands;
  readonly taskListeners: TaskListeners;
  readonly deployments: DeploymentCommand;
  readonly migrations: MigrationCommand;
  readonly modifications: ModificationCommand;
  readonly decisions: DecisionCommands;

  constructor(state: RuntimeState, clock: EngineClock, keys: KeyGenerator, hooks: InterpreterHooks, log: Logger) {
    this.ctx = new InterpreterContext(state, clock, keys, hooks, log);
    this.lifecycle = new ElementLifecycle(this.ctx, this);
    this.events = new EventSubscriptions(this.ctx, this);
    this.triggers = new EventTriggers(this.ctx, this);
    this.errors = new ErrorPropagation(this.ctx, this);
    this.incidents = new Incidents(this.ctx, this);
    this.waits = new WaitStates(this.ctx, this);
    this.multiInstance = new MultiInstance(this);
    this.messages = new MessageCorrelation(this.ctx, this);
    this.jobs = new JobCommands(this.ctx, this);
    this.userTasks = new UserTaskCommands(this.ctx, this);
    this.taskListeners = new TaskListeners(this.ctx, this);
    this.deployments = new DeploymentCommand(this.ctx, this);
    this.migrations = new MigrationCommand(this.ctx, this);
    this.modifications = new ModificationCommand(this.ctx, this);
    this.decisions = new DecisionCommands(this.ctx, evaluateDmnDecision);
  }

  get state(): RuntimeState {
    return this.ctx.state;
  }

  /** Runs one command with all its follow-up steps. */
  run<T>(command: () => T): T {
    return this.ctx.run(command);
  }

  createInstance(input: {
    processDefinitionId?: string;
    processDefinitionKey?: string;
    processDefinitionVersion?: number;
    variables?: Variables;
    startElementIds?: string[];
    tags?: string[];
  }): ProcessInstanceRecord {
    const s = this.ctx.state;
    let deployed;
    if (input.processDefinitionKey !== undefined) {
      deployed = s.definitions.get(input.processDefinitionKey);
      if (!deployed) throw notFound(`Expected to find process definition with key '${input.processDefinitionKey}', but none found`);
    } else if (input.processDefinitionId !== undefined) {
      const version = input.processDefinitionVersion;
      if (version === undefined || version === -1) {
        deployed = s.latestDefinition.get(input.processDefinitionId);
      } else {
        deployed = [...s.definitions.values()].find(
          (d) => d.record.processDefinitionId === input.processDefinitionId && d.record.version === version,
        );
      }
      if (!deployed) {
        throw notFound(
          `Expected to find process definition with process ID '${input.processDefinitionId}'${version !== undefined && version !== -1 ? ` and version '${version}'` : ''}, but none found`,
        );
      }
    } else {
      throw invalidArgument('Expected either processDefinitionId or processDefinitionKey');
    }
    const model = deployed.model;
    const starts = input.startElementIds;
    if (starts) {
      for (const id of starts) {
        const el = model.elements[id];
        if (!el || el.scopeId !== model.id) {
          throw invalidArgument(`Expected to start instance at element '${id}', but no such element exists on the process level of '${model.id}'`);
        }
      }
    } else if (!model.noneStartEventId) {
      throw invalidState(`Expected to create instance of process with none start event, but there is no such event in '${model.id}'`);
    }
    const vars = input.variables ?? {};
    return this.lifecycle.createInstance(deployed.record.processDefinitionKey, vars, {
      ...(starts ? { startElementIds: starts } : {}),
      ...(input.tags ? { tags: input.tags } : {}),
    });
  }

  cancelInstance(processInstanceKey: string): void {
    const pi = this.ctx.state.instances.get(processInstanceKey);
    if (!pi) {
      throw notFound(`Expected to cancel a process instance with key '${processInstanceKey}', but no such process was found`);
    }
    if (pi.parentProcessInstanceKey) {
      throw invalidState(
        `Expected to cancel a process instance with key '${processInstanceKey}', but it is created by a parent process instance. Cancel the root process instance '${pi.parentProcessInstanceKey}' instead.`,
      );
    }
    const ei = this.ctx.state.elements.get(processInstanceKey);
    if (ei) this.lifecycle.terminate(ei);
  }

  /** `PUT /element-instances/{key}/variables`; on a user task with updating listeners, they run first. */
  setVariables(elementInstanceKey: string, variables: Variables, local: boolean): Pending {
    const ei = this.ctx.state.elements.get(elementInstanceKey);
    if (!ei) {
      throw notFound(`Expected to update variables for element with key '${elementInstanceKey}', but no such element was found`);
    }
    if (ei.type === 'USER_TASK') {
      const pending = this.userTasks.updateVariables(elementInstanceKey, variables, local);
      if (pending !== false) return pending;
    }
    if (local) this.ctx.vars.setLocal(elementInstanceKey, ei.processInstanceKey, ei.tenantId, variables);
    else this.ctx.vars.merge(elementInstanceKey, ei.processInstanceKey, ei.tenantId, variables);
    return undefined;
  }

  broadcastSignal(signalName: string, variables: Variables): void {
    broadcastSignal(signalName, variables, this);
  }

  /**
   * Handles something that became due: a timer, a job deadline or back-off, a message's expiry, with the steps
   * it leads to (so the engine's quarantine of a failing due entry also catches a flow after it that fails or loops).
   */
  due(entry: DueEntry): void {
    this.dueNow(entry);
    this.ctx.drain();
  }

  private dueNow(entry: DueEntry): void {
    switch (entry.what) {
      case 'timer':
        timerDue(entry.key, this);
        break;
      case 'jobDeadline':
        this.jobs.timeOut(entry.key);
        break;
      case 'jobBackoff':
        this.jobs.backOffEnded(entry.key);
        break;
      case 'messageExpiry':
        this.messages.expire(entry.key);
        break;
    }
  }
}
