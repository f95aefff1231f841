/**
 * Parallel gateways: a joining one waits for a token on every incoming flow, then fires; firing takes every
 * outgoing flow.
 * https://docs.camunda.io/docs/components/modeler/bpmn/parallel-gateways/
 */
import { holdsNothing, takeOutgoing } from '../common-hooks.js';
import type { ElementBehaviour, Processor } from '../construct.js';
import { addJoinToken, consumeJoin } from './joins.js';

export const parallelGateway: ElementBehaviour<Pick<Processor, 'ctx' | 'lifecycle'>> = {
  activate: (ei, _element, c) => c.lifecycle.complete(ei),
  enter: (gateway, flowId, scope, c) => {
    if (gateway.incoming.length <= 1) {
      c.lifecycle.activateElement(gateway, scope);
      return;
    }
    const tokens = addJoinToken(gateway, flowId, scope, c);
    if (!gateway.incoming.every((f) => (tokens[f] ?? 0) > 0)) return;
    consumeJoin(gateway, scope, c);
    c.lifecycle.activateElement(gateway, scope);
  },
  leave: takeOutgoing,
  terminate: holdsNothing,
  catching: undefined,
};
