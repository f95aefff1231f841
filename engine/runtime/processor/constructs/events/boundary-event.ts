/**
 * Boundary events: subscribed when their activity activates (timer, message, signal; error and escalation are
 * found by search) and closed with it. When the event arrives an interrupting boundary event terminates the
 * activity first; either way it is activated in the activity's flow scope and completes at once with the
 * event's variables. A non-interrupting one keeps listening.
 * https://docs.camunda.io/docs/components/modeler/bpmn/events/#boundary-events
 */
import { activateOnArrival, completeAtOnce, holdsNothing, takeOutgoing } from '../common-hooks.js';
import type { ElementBehaviour, Processor } from '../construct.js';

export const boundaryEvent: ElementBehaviour<Pick<Processor, 'ctx' | 'lifecycle'>> = {
  activate: completeAtOnce,
  enter: activateOnArrival,
  leave: takeOutgoing,
  terminate: holdsNothing,
  catching: {
    interrupting: (boundary) => boundary.cancelActivity !== false,
    keepsListening: (interrupting) => !interrupting,
    caught: (activity, boundary, variables, interrupting, c) => {
      const scope = c.ctx.flowScope(activity);
      if (!scope) return;
      if (interrupting) c.lifecycle.terminate(activity);
      c.lifecycle.activateElement(boundary, scope, { triggerVariables: variables });
    },
  },
};
