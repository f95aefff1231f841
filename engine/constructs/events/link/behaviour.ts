/**
 * Link events: an intermediate link throw event completes and the token continues at the link catch event
 * of the same name in the same scope, which completes at once.
 * https://docs.camunda.io/docs/components/modeler/bpmn/link-events/
 */
import { refusedAtDeploy, type EventBehaviour, type Processor } from '../../../runtime/processor/constructs/construct.js';

export const linkEvent: EventBehaviour<'link', Pick<Processor, 'lifecycle' | 'ctx'>> = {
  thrown: (ei, _element, _def, c) => c.lifecycle.complete(ei),
  leaveThrow: (ei, element, scope, c) => {
    const link = element.eventDefinition;
    const target =
      link?.kind === 'link'
        ? Object.values(c.ctx.model(ei).elements).find(
            (e) =>
              e.type === 'INTERMEDIATE_CATCH_EVENT' &&
              e.eventDefinition?.kind === 'link' &&
              e.eventDefinition.name === link.name &&
              e.scopeId === element.scopeId,
          )
        : undefined;
    if (target) c.lifecycle.activateElement(target, scope);
    c.lifecycle.completeScopeIfDone(scope);
  },
  // Reached by its throw event, not by waiting: it completes at once.
  catchActivated: (ei, _element, c) => c.lifecycle.complete(ei),
  subscribe: () => refusedAtDeploy('waiting for a link event outside an intermediate catch event'),
  deployedStart: () => refusedAtDeploy('a link start event'),
};
