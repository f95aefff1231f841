/**
 * Event-based gateways: wait on the events of all their targets at once (message and timer catch events,
 * signal catch events, receive tasks); the first event wins: the gateway completes, its subscriptions close
 * and the chosen target runs with the event's variables.
 * https://docs.camunda.io/docs/components/modeler/bpmn/event-based-gateways/
 */
import type { CompiledElement } from '../../../../model/types.js';
import type { ElementInstanceRecord } from '../../../records.js';
import type { Variables } from '../../variable-scopes.js';
import { activateOnArrival, holdsNothing, takeOutgoing } from '../common-hooks.js';
import type { ElementBehaviour, Processor } from '../construct.js';

export const eventBasedGateway: ElementBehaviour<Pick<Processor, 'events' | 'lifecycle'>> = {
  activate: (ei, element, c) => c.events.openEventBasedGateway(ei, element),
  enter: activateOnArrival,
  // Never reached: the gateway completes through completeGateway when an event arrives.
  leave: takeOutgoing,
  terminate: holdsNothing,
  // The gateway holds its targets' subscriptions; the targets' catch behaviour hands them here.
  catching: undefined,
};

/** An event the gateway waited for arrived at `target`. */
export function eventBasedGatewayTargetCaught(
  gateway: ElementInstanceRecord,
  target: CompiledElement,
  variables: Variables,
  c: Pick<Processor, 'ctx' | 'events' | 'lifecycle'>,
): void {
  const scope = c.ctx.flowScope(gateway);
  c.events.closeOwnedSubscriptions(gateway);
  c.lifecycle.completeGateway(gateway, c.ctx.element(gateway), []);
  if (scope) c.lifecycle.activateElement(target, scope, { triggerVariables: variables });
}
