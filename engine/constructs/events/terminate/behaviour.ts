/**
 * Terminate end events: the end event completes, then every other token of its flow scope is terminated and
 * the scope completes.
 * https://docs.camunda.io/docs/components/modeler/bpmn/terminate-events/
 */
import { takeOutgoing } from '../../../runtime/processor/constructs/common-hooks.js';
import { refusedAtDeploy, type EventBehaviour, type Processor } from '../../../runtime/processor/constructs/construct.js';

export const terminateEvent: EventBehaviour<'terminate', Pick<Processor, 'lifecycle' | 'ctx'>> = {
  thrown: (ei, _element, _def, c) => {
    const scope = c.ctx.flowScope(ei);
    c.lifecycle.complete(ei);
    if (scope && scope.state === 'ACTIVE') {
      c.lifecycle.terminateChildren(scope);
      c.lifecycle.completeScopeIfDone(scope);
    }
  },
  leaveThrow: takeOutgoing,
  catchActivated: () => refusedAtDeploy('a terminate intermediate catch event'),
  subscribe: () => refusedAtDeploy('waiting for a terminate event'),
  deployedStart: () => refusedAtDeploy('a terminate start event'),
};
