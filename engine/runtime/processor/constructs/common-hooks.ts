/**
 * The hooks most constructs share, named so a table entry says what it does rather than leaving it out.
 */
import type { ElementBehaviour, Processor } from './construct.js';

type Lifecycle = Pick<Processor, 'lifecycle'>;

/** A token arriving over a flow activates the element (everything but joining gateways). */
export const activateOnArrival: ElementBehaviour<Lifecycle>['enter'] = (element, _flowId, scope, c) => {
  c.lifecycle.activateElement(element, scope);
};

/** After completion the token takes every outgoing flow (or none, and the scope may complete). */
export const takeOutgoing: ElementBehaviour<Lifecycle>['leave'] = (ei, element, scope, c) => {
  c.lifecycle.takeOutgoing(ei, element, scope);
};

/** Nothing held beyond what every element releases (children, job, subscriptions, incidents). */
export const holdsNothing: ElementBehaviour<unknown>['terminate'] = () => {};

/** Completes at once with the variables its trigger delivered, if any (start and boundary events, tasks without work). */
export const completeAtOnce: ElementBehaviour<Pick<Processor, 'lifecycle' | 'ctx'>>['activate'] = (ei, _element, c) => {
  c.lifecycle.complete(ei, c.ctx.runtime(ei).triggerVariables);
};
