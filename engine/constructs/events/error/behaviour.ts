/**
 * Error events: an error end event throws its (possibly FEEL) error code; the nearest boundary event or event
 * sub-process catching the code (or catching all) takes it, searching outwards (error-propagation.ts).
 * Catch sides open nothing: they are found by that search. Uncaught, the error is an incident.
 * https://docs.camunda.io/docs/components/modeler/bpmn/error-events/
 */
import { evaluateString } from '../../../feel/index.js';
import { RAISED } from '../../../runtime/processor/incidents.js';
import { takeOutgoing } from '../../../runtime/processor/constructs/common-hooks.js';
import { refusedAtDeploy, type EventBehaviour, type Processor } from '../../../runtime/processor/constructs/construct.js';

export const errorEvent: EventBehaviour<'error', Pick<Processor, 'lifecycle' | 'ctx' | 'incidents' | 'errors'>> = {
  thrown: (ei, _element, def, c) => {
    const code = c.incidents.evaluateOrRaise(ei, 'EXTRACT_VALUE_ERROR', () => evaluateString(def.errorCode ?? '', c.ctx.vars.visible(ei.elementInstanceKey)));
    if (code === RAISED) return;
    c.errors.throwError(ei, code, def.errorMessage ?? '', undefined);
  },
  leaveThrow: takeOutgoing,
  catchActivated: () => refusedAtDeploy('an error intermediate catch event'),
  // Caught by the search in error-propagation.ts, not through a subscription.
  subscribe: () => {},
  deployedStart: () => refusedAtDeploy('an error start event on the process level'),
};
