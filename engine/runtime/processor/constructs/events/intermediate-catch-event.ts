/**
 * Intermediate catch events (message, timer, signal, link): reached by a flow, they wait as their event
 * definition says (a link catch completes at once); reached through an event-based gateway, the event has
 * already arrived and they complete with its variables.
 * https://docs.camunda.io/docs/components/modeler/bpmn/events/#intermediate-events
 */
import { activateOnArrival, holdsNothing, takeOutgoing } from '../common-hooks.js';
import type { ElementBehaviour, Processor } from '../construct.js';
import { eventBehaviour, eventDefinitionOf } from '../../../../constructs/events/behaviours.js';
import { waitingCatch } from './waiting-catch.js';

export const intermediateCatchEvent: ElementBehaviour<Processor> = {
  activate: (ei, element, c) => {
    const trigger = c.ctx.runtime(ei).triggerVariables;
    if (trigger !== undefined) c.lifecycle.complete(ei, trigger);
    else eventBehaviour(eventDefinitionOf(element)).catchActivated(ei, element, c);
  },
  enter: activateOnArrival,
  leave: takeOutgoing,
  terminate: holdsNothing,
  catching: waitingCatch,
};
