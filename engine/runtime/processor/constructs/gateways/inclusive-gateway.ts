/**
 * Inclusive gateways: a diverging one takes every outgoing flow whose condition is true (else the default
 * flow); a joining one fires once no token can still reach one of its incoming flows that has no token yet
 * (checked after each step that may end a token in the scope).
 * https://docs.camunda.io/docs/components/modeler/bpmn/inclusive-gateways/
 */
import type { CompiledElement, CompiledProcess } from '../../../../model/types.js';
import type { ElementInstanceRecord } from '../../../records.js';
import { holdsNothing, takeOutgoing } from '../common-hooks.js';
import type { ElementBehaviour, Processor } from '../construct.js';
import { chooseFlows } from './choose-flows.js';
import { addJoinToken, consumeJoin } from './joins.js';

type Needs = Pick<Processor, 'ctx' | 'incidents' | 'lifecycle'>;

export const inclusiveGateway: ElementBehaviour<Needs> = {
  activate: (ei, element, c) => {
    const flows = chooseFlows(ei, element, false, c);
    if (flows) c.lifecycle.completeGateway(ei, element, flows);
  },
  enter: (gateway, flowId, scope, c) => {
    if (gateway.incoming.length <= 1) {
      c.lifecycle.activateElement(gateway, scope);
      return;
    }
    addJoinToken(gateway, flowId, scope, c);
    c.ctx.later(() => tryInclusiveJoin(gateway, scope, c));
  },
  // Never reached: completeGateway takes the chosen flows itself.
  leave: takeOutgoing,
  terminate: holdsNothing,
  catching: undefined,
};

/** A converging inclusive gateway fires once no token can still reach one of its untaken incoming flows. */
function tryInclusiveJoin(gateway: CompiledElement, scope: ElementInstanceRecord, c: Pick<Processor, 'ctx' | 'lifecycle'>): void {
  if (scope.state !== 'ACTIVE') return;
  const tokens = c.ctx.runtime(scope).joins?.[gateway.id];
  if (!tokens || Object.values(tokens).every((n) => n <= 0)) return;
  const untaken = gateway.incoming.filter((f) => (tokens[f] ?? 0) <= 0);
  if (untaken.length > 0) {
    const model = c.ctx.model(scope);
    const sources = new Set(untaken.map((f) => model.flows[f]!.sourceId));
    const stillComing = c.ctx.activeChildren(scope.elementInstanceKey).some((child) => canReach(model, child.elementId, sources, gateway.id));
    const otherJoinsWaiting = Object.entries(c.ctx.runtime(scope).joins ?? {}).some(
      ([gid, t]) => gid !== gateway.id && Object.values(t).some((n) => n > 0) && canReach(model, gid, sources, gateway.id),
    );
    if (stillComing || otherJoinsWaiting) return;
  }
  consumeJoin(gateway, scope, c);
  c.lifecycle.activateElement(gateway, scope);
}

/** Converging inclusive gateways may be free to fire after a token ended elsewhere in the scope. */
export function retryInclusiveJoins(scope: ElementInstanceRecord, c: Pick<Processor, 'ctx' | 'lifecycle'>): void {
  const model = c.ctx.model(scope);
  for (const gid of Object.keys(c.ctx.runtime(scope).joins ?? {})) {
    const g = model.elements[gid];
    if (g?.type === 'INCLUSIVE_GATEWAY') tryInclusiveJoin(g, scope, c);
  }
}

/** Whether a token at `fromId` can reach any of `targets` without passing `stopAt`. */
function canReach(model: CompiledProcess, fromId: string, targets: Set<string>, stopAt: string): boolean {
  const seen = new Set<string>();
  const stack = [fromId];
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (targets.has(id)) return true;
    if (seen.has(id) || id === stopAt) continue;
    seen.add(id);
    const el = model.elements[id];
    if (!el) continue;
    for (const f of el.outgoing) stack.push(model.flows[f]!.targetId);
    for (const b of el.boundaryEvents) stack.push(b);
  }
  return false;
}
