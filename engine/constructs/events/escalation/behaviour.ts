/**
 * Escalation events: a throw or end event escalates its code; the nearest boundary event or event
 * sub-process catching it takes it (interrupting or not), searching outwards (error-propagation.ts).
 * Uncaught, the throw event simply completes. Catch sides open nothing: they are found by that search.
 * https://docs.camunda.io/docs/components/modeler/bpmn/escalation-events/
 */
import { takeOutgoing } from '../../../runtime/processor/constructs/common-hooks.js';
import { refusedAtDeploy, type EventBehaviour, type Processor } from '../../../runtime/processor/constructs/construct.js';

export const escalationEvent: EventBehaviour<'escalation', Pick<Processor, 'lifecycle' | 'errors'>> = {
  thrown: (ei, _element, def, c) => c.errors.throwEscalation(ei, def.escalationCode ?? ''),
  leaveThrow: takeOutgoing,
  catchActivated: () => refusedAtDeploy('an escalation intermediate catch event'),
  // Caught by the search in error-propagation.ts, not through a subscription.
  subscribe: () => {},
  deployedStart: () => refusedAtDeploy('an escalation start event on the process level'),
};
