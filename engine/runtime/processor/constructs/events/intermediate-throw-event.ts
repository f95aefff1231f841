/**
 * Intermediate throw events (none, message, signal, escalation, link): they do what their event definition
 * does when thrown, and after completing the token goes where the definition says (a link jumps to its catch).
 * https://docs.camunda.io/docs/components/modeler/bpmn/events/#intermediate-events
 */
import { activateOnArrival, holdsNothing } from '../common-hooks.js';
import type { ElementBehaviour, Processor } from '../construct.js';
import { eventBehaviour, eventDefinitionOf } from '../../../../constructs/events/behaviours.js';

export const intermediateThrowEvent: ElementBehaviour<Processor> = {
  activate: (ei, element, c) => {
    const def = eventDefinitionOf(element);
    eventBehaviour(def).thrown(ei, element, def, c);
  },
  enter: activateOnArrival,
  leave: (ei, element, scope, c) => eventBehaviour(eventDefinitionOf(element)).leaveThrow(ei, element, scope, c),
  terminate: holdsNothing,
  catching: undefined,
};
