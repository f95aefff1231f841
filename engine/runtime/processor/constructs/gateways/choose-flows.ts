/**
 * Exclusive and inclusive gateways choose their outgoing flows by FEEL conditions, in model order (an exclusive
 * gateway stops at the first true one); none true takes the default flow, and without one it is a
 * CONDITION_ERROR incident (resolving it chooses again).
 */
import type { CompiledElement } from '../../../../model/types.js';
import { evaluateCondition } from '../../../../feel/index.js';
import type { ElementInstanceRecord } from '../../../records.js';
import { RAISED } from '../../incidents.js';
import type { Processor } from '../construct.js';

/** The chosen flow ids, or undefined when an incident was raised instead. */
export function chooseFlows(
  ei: ElementInstanceRecord,
  element: CompiledElement,
  firstOnly: boolean,
  c: Pick<Processor, 'ctx' | 'incidents'>,
): string[] | undefined {
  const model = c.ctx.model(ei);
  if (element.outgoing.length === 1 && !model.flows[element.outgoing[0]!]!.condition) return element.outgoing;
  const context = c.ctx.vars.visible(ei.elementInstanceKey);
  const chosen: string[] = [];
  const evaluated = c.incidents.evaluateOrRaise(ei, 'CONDITION_ERROR', () => {
    for (const flowId of element.outgoing) {
      if (flowId === element.defaultFlow) continue;
      const flow = model.flows[flowId]!;
      if (flow.condition === undefined || evaluateCondition(flow.condition, context)) {
        chosen.push(flowId);
        if (firstOnly) break;
      }
    }
  });
  if (evaluated === RAISED) return undefined;
  if (chosen.length === 0 && element.defaultFlow) chosen.push(element.defaultFlow);
  if (chosen.length === 0) {
    c.incidents.raise(ei, 'CONDITION_ERROR', `Expected at least one condition to evaluate to true, or to have a default flow`, { step: 'activate' });
    return undefined;
  }
  return chosen;
}
