/**
 * End events (none, message, signal, error, escalation, terminate): they do what their event definition does
 * when thrown; a completed end event ends its token, and its flow scope completes when no token is left.
 * https://docs.camunda.io/docs/components/modeler/bpmn/events/#end-events
 */
import { activateOnArrival, holdsNothing, takeOutgoing } from '../common-hooks.js';
import type { ElementBehaviour, Processor } from '../construct.js';
import { eventBehaviour, eventDefinitionOf } from '../../../../constructs/events/behaviours.js';

export const endEvent: ElementBehaviour<Processor> = {
  activate: (ei, element, c) => {
    const def = eventDefinitionOf(element);
    eventBehaviour(def).thrown(ei, element, def, c);
  },
  enter: activateOnArrival,
  leave: takeOutgoing,
  terminate: holdsNothing,
  catching: undefined,
};
