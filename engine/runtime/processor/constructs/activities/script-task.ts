/**
 * Script tasks: with `zeebe:script` the FEEL expression is evaluated at once and its result becomes the result
 * variable (a failing expression is an incident); with a task definition it is a job like a service task.
 * https://docs.camunda.io/docs/components/modeler/bpmn/script-tasks/
 */
import { evaluateExpression } from '../../../../feel/index.js';
import { RAISED } from '../../incidents.js';
import { activateOnArrival, holdsNothing, takeOutgoing } from '../common-hooks.js';
import type { ElementBehaviour, Processor } from '../construct.js';

export const scriptTask: ElementBehaviour<Pick<Processor, 'ctx' | 'waits' | 'incidents' | 'lifecycle'>> = {
  activate: (ei, element, c) => {
    if (element.job) {
      c.waits.createJob(ei, element);
      return;
    }
    const script = element.script!;
    const result = c.incidents.evaluateOrRaise(ei, 'EXTRACT_VALUE_ERROR', () => evaluateExpression(script.expression, c.ctx.vars.visible(ei.elementInstanceKey)));
    if (result === RAISED) return;
    c.lifecycle.complete(ei, { [script.resultVariable]: result });
  },
  enter: activateOnArrival,
  leave: takeOutgoing,
  terminate: holdsNothing,
  catching: undefined,
};
