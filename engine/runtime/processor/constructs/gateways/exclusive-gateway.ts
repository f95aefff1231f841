/**
 * Exclusive gateways: take the first outgoing flow whose condition is true (else the default flow).
 * https://docs.camunda.io/docs/components/modeler/bpmn/exclusive-gateways/
 */
import { activateOnArrival, holdsNothing, takeOutgoing } from '../common-hooks.js';
import type { ElementBehaviour, Processor } from '../construct.js';
import { chooseFlows } from './choose-flows.js';

export const exclusiveGateway: ElementBehaviour<Pick<Processor, 'ctx' | 'incidents' | 'lifecycle'>> = {
  activate: (ei, element, c) => {
    const flows = chooseFlows(ei, element, true, c);
    if (flows) c.lifecycle.completeGateway(ei, element, flows);
  },
  enter: activateOnArrival,
  // Never reached: completeGateway takes the chosen flows itself.
  leave: takeOutgoing,
  terminate: holdsNothing,
  catching: undefined,
};
