/**
 * Business rule tasks. With `zeebe:calledDecision` the engine evaluates the DMN decision at once on the
 * variables visible at the task: its result becomes the result variable, local to the task (output mappings
 * apply as for other tasks; without them it propagates), and the task completes. A decision that cannot be
 * found is a CALLED_DECISION_ERROR incident, a failing evaluation a DECISION_EVALUATION_ERROR one; resolving
 * either evaluates again. With a task definition instead, it is a job like a service task.
 * https://docs.camunda.io/docs/components/modeler/bpmn/business-rule-tasks/
 */
import { evaluateString } from '../../../../feel/index.js';
import { RAISED } from '../../incidents.js';
import { activateOnArrival, holdsNothing, takeOutgoing } from '../common-hooks.js';
import type { ElementBehaviour, Processor } from '../construct.js';

export const businessRuleTask: ElementBehaviour<Pick<Processor, 'ctx' | 'waits' | 'incidents' | 'lifecycle' | 'decisions'>> = {
  activate: (ei, element, c) => {
    const called = element.calledDecision;
    if (!called) {
      c.waits.createJob(ei, element);
      return;
    }
    const variables = c.ctx.vars.visible(ei.elementInstanceKey);
    const decisionId = c.incidents.evaluateOrRaise(ei, 'EXTRACT_VALUE_ERROR', () => evaluateString(called.decisionId, variables));
    if (decisionId === RAISED) return;
    const process = c.ctx.state.definitions.get(ei.processDefinitionKey)!.record;
    const decision = c.decisions.findCalled(decisionId, called, process);
    if (typeof decision === 'string') {
      c.incidents.raise(ei, 'CALLED_DECISION_ERROR', decision, { step: 'activate' });
      return;
    }
    const { evaluation } = c.decisions.run(decision, variables, {
      processDefinitionKey: ei.processDefinitionKey,
      processInstanceKey: ei.processInstanceKey,
      elementInstanceKey: ei.elementInstanceKey,
    });
    if (evaluation.failure) {
      const message = `Expected to evaluate decision '${decision.decisionDefinitionId}', but failed to evaluate decision '${evaluation.failure.decisionId}': ${evaluation.failure.message}`;
      c.incidents.raise(ei, 'DECISION_EVALUATION_ERROR', message, { step: 'activate' });
      return;
    }
    c.lifecycle.complete(ei, { [called.resultVariable]: evaluation.output ?? null });
  },
  enter: activateOnArrival,
  leave: takeOutgoing,
  terminate: holdsNothing,
  catching: undefined,
};
