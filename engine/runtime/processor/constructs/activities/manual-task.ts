/**
 * Manual tasks and undefined tasks (`bpmn:task`): nothing to wait for in the engine; they complete at once.
 * https://docs.camunda.io/docs/components/modeler/bpmn/manual-tasks/ and .../undefined-tasks/
 */
import { activateOnArrival, holdsNothing, takeOutgoing } from '../common-hooks.js';
import type { ElementBehaviour, Processor } from '../construct.js';

export const manualTask: ElementBehaviour<Pick<Processor, 'lifecycle'>> = {
  activate: (ei, _element, c) => c.lifecycle.complete(ei),
  enter: activateOnArrival,
  leave: takeOutgoing,
  terminate: holdsNothing,
  catching: undefined,
};

export const undefinedTask = manualTask;
