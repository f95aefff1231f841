/**
 * How an intermediate catch event or a receive task runs when its event arrives: waiting for itself, it closes
 * that subscription and completes with the event's variables; as the target of an event-based gateway, the
 * gateway decides (the first event wins).
 */
import type { CatchBehaviour, Processor } from '../construct.js';
import { eventBasedGatewayTargetCaught } from '../gateways/event-based-gateway.js';

export const waitingCatch: CatchBehaviour<Pick<Processor, 'ctx' | 'lifecycle' | 'events'>> = {
  interrupting: () => true,
  keepsListening: () => false,
  caught: (owner, catchElement, variables, _interrupting, c) => {
    if (owner.type === 'EVENT_BASED_GATEWAY') {
      eventBasedGatewayTargetCaught(owner, catchElement, variables, c);
      return;
    }
    c.events.closeOwnedSubscriptions(owner, (id) => id === catchElement.id);
    c.lifecycle.complete(owner, variables);
  },
};
