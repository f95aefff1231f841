/**
 * Opening and closing the subscriptions through which catch events wait: message subscriptions, timers and
 * signal subscriptions. Each is owned by an element instance (the catch event itself, the activity a boundary
 * event is attached to, the event-based gateway, or the scope of an event sub-process) and closes with it.
 */
import type { CompiledElement } from '../../model/types.js';
import type { ElementInstanceRecord } from '../records.js';
import type { Processor } from './constructs/construct.js';
import { eventBehaviour, eventDefinitionOf } from '../../constructs/events/behaviours.js';
import type { InterpreterContext } from './interpreter-context.js';
import type { Variables } from './variable-scopes.js';

export class EventSubscriptions {
  constructor(
    private readonly ctx: InterpreterContext,
    /** Subscribing dispatches to the event table, so it hands it the whole processor. */
    private readonly it: Processor,
  ) {}

  /** Boundary timer/message/signal events of an activity (error and escalation are caught by search). */
  openBoundaryEvents(owner: ElementInstanceRecord, activity: CompiledElement): void {
    const model = this.ctx.model(owner);
    const context = this.ctx.vars.visible(owner.elementInstanceKey);
    for (const id of activity.boundaryEvents) {
      const be = model.elements[id]!;
      this.open(owner, be, be.cancelActivity !== false, context);
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
        if (start) this.open(scope, start, start.interrupting !== false, context);
      }
    });
  }

  /** An intermediate catch event or receive task waiting for its own event. */
  openCatchEvent(ei: ElementInstanceRecord, element: CompiledElement, owner: ElementInstanceRecord): void {
    this.it.incidents.evaluateOrRaise(ei, 'EXTRACT_VALUE_ERROR', () =>
      this.open(owner, element, true, this.ctx.vars.visible(ei.elementInstanceKey)),
    );
  }

  /** An event-based gateway waits on the events of all its targets at once. */
  openEventBasedGateway(gateway: ElementInstanceRecord, element: CompiledElement): void {
    const model = this.ctx.model(gateway);
    const context = this.ctx.vars.visible(gateway.elementInstanceKey);
    this.it.incidents.evaluateOrRaise(gateway, 'EXTRACT_VALUE_ERROR', () => {
      for (const flowId of element.outgoing) {
        const target = model.elements[model.flows[flowId]!.targetId]!;
        this.open(gateway, target, true, context);
      }
    });
  }

  private open(owner: ElementInstanceRecord, catchElement: CompiledElement, interrupting: boolean, context: Variables): void {
    const def = eventDefinitionOf(catchElement);
    eventBehaviour(def).subscribe(owner, catchElement, def, interrupting, context, this.it);
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
