/**
 * Opening and closing the subscriptions through which catch events wait: message subscriptions, timers and
 * signal subscriptions. Each is owned by an element instance (the catch event itself, the activity a boundary
 * event is attached to, the event-based gateway, or the scope of an event sub-process) and closes with it.
 */
import type { CompiledElement, EventDefinition } from '../../model/types.js';
import { evaluateString, evaluateTimer } from '../../feel/index.js';
import type { ElementInstanceRecord, MessageSubscriptionRecord, SignalSubscriptionRecord, TimerRecord } from '../records.js';
import type { InterpreterContext } from './interpreter-context.js';
import type { Interpreter } from './interpreter.js';
import type { Variables } from './variable-scopes.js';

export class EventSubscriptions {
  constructor(
    private readonly ctx: InterpreterContext,
    private readonly it: Interpreter,
  ) {}

  /** Boundary timer/message/signal events of an activity (error and escalation are caught by search). */
  openBoundaryEvents(owner: ElementInstanceRecord, activity: CompiledElement): void {
    const model = this.ctx.model(owner);
    const context = this.ctx.vars.visible(owner.elementInstanceKey);
    for (const id of activity.boundaryEvents) {
      const be = model.elements[id]!;
      this.open(owner, be, be.eventDefinition, be.cancelActivity !== false, context);
    }
  }

  /** Start events of the event sub-processes directly inside a scope. */
  openEventSubProcesses(scope: ElementInstanceRecord, scopeElement: CompiledElement): void {
    const ids = scopeElement.eventSubProcesses ?? [];
    if (ids.length === 0) return;
    const model = this.ctx.model(scope);
    const context = this.ctx.vars.visible(scope.elementInstanceKey);
    this.it.incidents.evaluateOrRaise(scope, 'EXTRACT_VALUE_ERROR', () => {
      for (const id of ids) {
        const start = model.elements[model.elements[id]!.eventSubProcessStartId ?? '']!;
        if (start) this.open(scope, start, start.eventDefinition, start.interrupting !== false, context);
      }
    });
  }

  /** An intermediate catch event or receive task waiting for its own event. */
  openCatchEvent(ei: ElementInstanceRecord, element: CompiledElement, owner: ElementInstanceRecord): void {
    this.it.incidents.evaluateOrRaise(ei, 'EXTRACT_VALUE_ERROR', () =>
      this.open(owner, element, element.eventDefinition, true, this.ctx.vars.visible(ei.elementInstanceKey)),
    );
  }

  /** An event-based gateway waits on the events of all its targets at once. */
  openEventBasedGateway(gateway: ElementInstanceRecord, element: CompiledElement): void {
    const model = this.ctx.model(gateway);
    const context = this.ctx.vars.visible(gateway.elementInstanceKey);
    this.it.incidents.evaluateOrRaise(gateway, 'EXTRACT_VALUE_ERROR', () => {
      for (const flowId of element.outgoing) {
        const target = model.elements[model.flows[flowId]!.targetId]!;
        this.open(gateway, target, target.eventDefinition, true, context);
      }
    });
  }

  private open(owner: ElementInstanceRecord, catchElement: CompiledElement, def: EventDefinition | undefined, interrupting: boolean, context: Variables): void {
    if (!def) return;
    if (def.kind === 'message') this.openMessage(owner, catchElement, def, interrupting, context);
    else if (def.kind === 'timer') this.openTimer(owner, catchElement, def, context);
    else if (def.kind === 'signal') this.openSignal(owner, catchElement, evaluateString(def.name, context), interrupting);
  }

  private openMessage(
    owner: ElementInstanceRecord,
    catchElement: CompiledElement,
    def: Extract<EventDefinition, { kind: 'message' }>,
    interrupting: boolean,
    context: Variables,
  ): void {
    const messageName = evaluateString(def.name, context);
    const correlationKey = def.correlationKey ? evaluateString(def.correlationKey, context) : '';
    const sub: MessageSubscriptionRecord = {
      kind: 'messageSubscription',
      messageSubscriptionKey: this.ctx.keys.next(),
      messageName,
      correlationKey,
      processInstanceKey: owner.processInstanceKey,
      processDefinitionKey: owner.processDefinitionKey,
      processDefinitionId: owner.processDefinitionId,
      elementId: catchElement.id,
      elementInstanceKey: owner.elementInstanceKey,
      catchElementId: catchElement.id,
      interrupting,
      state: 'CREATED',
      tenantId: owner.tenantId,
    };
    this.ctx.state.addMessageSubscription(sub);
    this.ctx.state.touch(sub);
    this.ctx.later(() => this.it.messages.correlateBuffered(sub));
  }

  openTimer(owner: ElementInstanceRecord, catchElement: CompiledElement, def: Extract<EventDefinition, { kind: 'timer' }>, context: Variables): void {
    this.startTimer(def, context, {
      processDefinitionKey: owner.processDefinitionKey,
      processInstanceKey: owner.processInstanceKey,
      elementInstanceKey: owner.elementInstanceKey,
      elementId: catchElement.id,
      tenantId: owner.tenantId,
    });
  }

  /** Evaluates a timer definition now and schedules it for its owner (an element instance, or a process definition for start events). */
  startTimer(
    def: Extract<EventDefinition, { kind: 'timer' }>,
    context: Variables,
    owner: Pick<TimerRecord, 'processDefinitionKey' | 'processInstanceKey' | 'elementInstanceKey' | 'elementId' | 'tenantId'>,
  ): void {
    const t = evaluateTimer(def, context, this.ctx.now());
    this.addTimer({
      kind: 'timer',
      timerKey: this.ctx.keys.next(),
      dueDate: t.dueDate,
      repetitions: t.repetitions,
      ...(t.interval ? { interval: t.interval } : {}),
      ...owner,
      state: 'CREATED',
    });
  }

  addTimer(timer: TimerRecord): void {
    this.ctx.state.addTimer(timer);
    this.ctx.state.touch(timer);
    this.ctx.hooks.schedule({ at: timer.dueDate, what: 'timer', key: timer.timerKey });
  }

  private openSignal(owner: ElementInstanceRecord, catchElement: CompiledElement, signalName: string, interrupting: boolean): void {
    const sub: SignalSubscriptionRecord = {
      kind: 'signalSubscription',
      signalSubscriptionKey: this.ctx.keys.next(),
      signalName,
      processDefinitionKey: owner.processDefinitionKey,
      processInstanceKey: owner.processInstanceKey,
      elementInstanceKey: owner.elementInstanceKey,
      catchElementId: catchElement.id,
      interrupting,
      state: 'CREATED',
      tenantId: owner.tenantId,
    };
    this.ctx.state.addSignalSubscription(sub);
    this.ctx.state.touch(sub);
  }

  /** Closes every subscription, timer and signal subscription an element instance owns. */
  closeOwnedSubscriptions(owner: ElementInstanceRecord, only?: (catchElementId: string) => boolean): void {
    const key = owner.elementInstanceKey;
    const s = this.ctx.state;
    for (const k of [...s.subscriptionsByOwner.get(key)]) {
      const sub = s.messageSubscriptions.get(k)!;
      if (only && !only(sub.catchElementId)) continue;
      sub.state = 'DELETED';
      s.removeMessageSubscription(sub);
      s.touch(sub);
    }
    for (const k of [...s.timersByOwner.get(key)]) {
      const timer = s.timers.get(k)!;
      if (only && !only(timer.elementId)) continue;
      timer.state = 'CANCELED';
      s.removeTimer(timer);
      s.touch(timer);
    }
    for (const k of [...s.signalSubscriptionsByOwner.get(key)]) {
      const sub = s.signalSubscriptions.get(k)!;
      if (only && !only(sub.catchElementId)) continue;
      sub.state = 'DELETED';
      s.removeSignalSubscription(sub);
      s.touch(sub);
    }
  }
}
