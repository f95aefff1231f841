/**
 * Signal events: a throw or end event evaluates the signal name, completes, and broadcasts the signal after
 * the current step; a broadcast reaches every open signal subscription of that name (start events of latest
 * versions create instances). Catch sides open a signal subscription with the name evaluated now.
 * https://docs.camunda.io/docs/components/modeler/bpmn/signal-events/
 */
import { evaluateString } from '../../../feel/index.js';
import type { SignalSubscriptionRecord } from '../../../runtime/records.js';
import { RAISED } from '../../../runtime/processor/incidents.js';
import type { Variables } from '../../../runtime/processor/variable-scopes.js';
import { takeOutgoing } from '../../../runtime/processor/constructs/common-hooks.js';
import type { EventBehaviour, Processor } from '../../../runtime/processor/constructs/construct.js';

export const signalEvent: EventBehaviour<'signal', Pick<Processor, 'ctx' | 'lifecycle' | 'incidents' | 'events' | 'triggers'>> = {
  thrown: (ei, _element, def, c) => {
    const name = c.incidents.evaluateOrRaise(ei, 'EXTRACT_VALUE_ERROR', () => evaluateString(def.name, c.ctx.vars.visible(ei.elementInstanceKey)));
    if (name === RAISED) return;
    c.lifecycle.complete(ei);
    c.ctx.later(() => broadcastSignal(name, {}, c));
  },
  leaveThrow: takeOutgoing,
  catchActivated: (ei, element, c) => c.events.openCatchEvent(ei, element, ei),
  subscribe: (owner, catchElement, def, interrupting, context, c) => {
    const signalName = evaluateString(def.name, context);
    addSubscription({
      kind: 'signalSubscription',
      signalSubscriptionKey: c.ctx.keys.next(),
      signalName,
      processDefinitionKey: owner.processDefinitionKey,
      processInstanceKey: owner.processInstanceKey,
      elementInstanceKey: owner.elementInstanceKey,
      catchElementId: catchElement.id,
      interrupting,
      state: 'CREATED',
      tenantId: owner.tenantId,
    }, c);
  },
  deployedStart: (start, def, c) =>
    addSubscription({
      kind: 'signalSubscription',
      signalSubscriptionKey: c.ctx.keys.next(),
      signalName: def.name,
      processDefinitionKey: start.processDefinitionKey,
      catchElementId: start.elementId,
      interrupting: true,
      state: 'CREATED',
      tenantId: start.tenantId,
    }, c),
};

function addSubscription(sub: SignalSubscriptionRecord, c: Pick<Processor, 'ctx'>): void {
  c.ctx.state.addSignalSubscription(sub);
  c.ctx.state.touch(sub);
}

/** `POST /signals/broadcast` and signal throw events: every open subscription of the name runs its catch element. */
export function broadcastSignal(signalName: string, variables: Variables, c: Pick<Processor, 'ctx' | 'lifecycle' | 'triggers'>): void {
  const s = c.ctx.state;
  for (const key of [...s.signalSubscriptionsByName.get(signalName)]) {
    const sub = s.signalSubscriptions.get(key);
    if (!sub) continue;
    if (sub.elementInstanceKey === undefined) {
      c.lifecycle.createInstance(sub.processDefinitionKey, {}, { startElementIds: [sub.catchElementId], triggerVariables: variables });
      continue;
    }
    const owner = s.elements.get(sub.elementInstanceKey);
    if (!owner) continue;
    const catchElement = c.ctx.model(owner).elements[sub.catchElementId]!;
    if (!c.triggers.keepsListening(catchElement, sub.interrupting)) {
      sub.state = 'DELETED';
      s.removeSignalSubscription(sub);
      s.touch(sub);
    }
    c.triggers.trigger(owner, sub.catchElementId, variables, sub.interrupting);
  }
}
