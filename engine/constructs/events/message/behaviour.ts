/**
 * Message events: catch sides (intermediate catch event, receive task, boundary event, event sub-process start,
 * event-based gateway target) open a message subscription for the message name and correlation key evaluated
 * now, which takes a buffered message at once if one waits (message-correlation.ts correlates published ones).
 * Message start events on the process level are found by name when a message is published. Message throw and
 * end events are job workers in Zeebe: with a task definition they create a job, else they complete.
 * https://docs.camunda.io/docs/components/modeler/bpmn/message-events/
 */
import { evaluateString } from '../../../feel/index.js';
import type { MessageSubscriptionRecord } from '../../../runtime/records.js';
import { takeOutgoing } from '../../../runtime/processor/constructs/common-hooks.js';
import type { EventBehaviour, Processor } from '../../../runtime/processor/constructs/construct.js';

export const messageEvent: EventBehaviour<'message', Pick<Processor, 'lifecycle' | 'ctx' | 'waits' | 'events' | 'messages'>> = {
  thrown: (ei, element, _def, c) => {
    if (element.job) c.waits.createJob(ei, element);
    else c.lifecycle.complete(ei);
  },
  leaveThrow: takeOutgoing,
  catchActivated: (ei, element, c) => c.events.openCatchEvent(ei, element, ei),
  subscribe: (owner, catchElement, def, interrupting, context, c) => {
    const messageName = evaluateString(def.name, context);
    const correlationKey = def.correlationKey ? evaluateString(def.correlationKey, context) : '';
    const sub: MessageSubscriptionRecord = {
      kind: 'messageSubscription',
      messageSubscriptionKey: c.ctx.keys.next(),
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
    c.ctx.state.addMessageSubscription(sub);
    c.ctx.state.touch(sub);
    c.ctx.later(() => c.messages.correlateBuffered(sub));
  },
  // Found by name in the latest versions when a message is published (MessageCorrelation.publish).
  deployedStart: () => {},
};
