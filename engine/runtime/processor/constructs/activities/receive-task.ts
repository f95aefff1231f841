/**
 * Receive tasks: wait for their message like a message intermediate catch event (the same subscription);
 * reached through an event-based gateway the message has already arrived and they complete with it.
 * https://docs.camunda.io/docs/components/modeler/bpmn/receive-tasks/
 */
import { activateOnArrival, holdsNothing, takeOutgoing } from '../common-hooks.js';
import type { ElementBehaviour, Processor } from '../construct.js';
import { waitingCatch } from '../events/waiting-catch.js';

export const receiveTask: ElementBehaviour<Pick<Processor, 'ctx' | 'events' | 'lifecycle'>> = {
  activate: (ei, element, c) => {
    const trigger = c.ctx.runtime(ei).triggerVariables;
    if (trigger !== undefined) c.lifecycle.complete(ei, trigger);
    else c.events.openCatchEvent(ei, element, ei);
  },
  enter: activateOnArrival,
  leave: takeOutgoing,
  terminate: holdsNothing,
  catching: waitingCatch,
};
