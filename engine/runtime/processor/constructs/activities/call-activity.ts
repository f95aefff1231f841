/**
 * Call activities: start the latest version of the called process with the caller's variables (all of them
 * when propagateAllParentVariables, else only the input-mapped ones), wait for it, and take its variables back
 * (all when propagateAllChildVariables, or through output mappings). Terminating the call activity terminates
 * the child instance.
 * https://docs.camunda.io/docs/components/modeler/bpmn/call-activities/
 */
import { evaluateString } from '../../../../feel/index.js';
import type { ElementInstanceRecord } from '../../../records.js';
import { RAISED } from '../../incidents.js';
import type { Variables } from '../../variable-scopes.js';
import { activateOnArrival, takeOutgoing } from '../common-hooks.js';
import type { ElementBehaviour, Processor } from '../construct.js';

export const callActivity: ElementBehaviour<Pick<Processor, 'ctx' | 'incidents' | 'lifecycle'>> = {
  activate: (ei, element, c) => {
    const called = element.calledElement!;
    const processId = c.incidents.evaluateOrRaise(ei, 'EXTRACT_VALUE_ERROR', () => evaluateString(called.processId, c.ctx.vars.visible(ei.elementInstanceKey)));
    if (processId === RAISED) return;
    const deployed = c.ctx.state.latestDefinition.get(processId);
    if (!deployed) {
      c.incidents.raise(ei, 'CALLED_ELEMENT_ERROR', `Expected process with BPMN process id '${processId}' to be deployed, but not found.`, { step: 'activate' });
      return;
    }
    const variables = called.propagateAllParentVariables ? c.ctx.vars.visible(ei.elementInstanceKey) : c.ctx.vars.local(ei.elementInstanceKey);
    const child = c.lifecycle.createInstance(deployed.record.processDefinitionKey, variables, { parent: ei });
    c.ctx.runtime(ei).childInstanceKey = child.processInstanceKey;
    c.ctx.state.touch(ei);
  },
  enter: activateOnArrival,
  leave: takeOutgoing,
  terminate: (ei, c) => {
    const childKey = c.ctx.runtime(ei).childInstanceKey;
    const child = childKey ? c.ctx.state.elements.get(childKey) : undefined;
    if (child) c.lifecycle.terminate(child);
  },
  catching: undefined,
};

/** The called process instance completed with `childVariables` (its root variables). */
export function callActivityChildCompleted(ei: ElementInstanceRecord, childVariables: Variables, c: Pick<Processor, 'ctx' | 'lifecycle'>): void {
  if (ei.state !== 'ACTIVE') return;
  const element = c.ctx.element(ei);
  delete c.ctx.runtime(ei).childInstanceKey;
  const propagate = element.calledElement!.propagateAllChildVariables || element.outputMappings.length > 0;
  c.lifecycle.complete(ei, propagate ? childVariables : undefined);
}
