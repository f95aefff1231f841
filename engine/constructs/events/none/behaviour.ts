/**
 * None events (no event definition): a none start event starts its (sub-)process, a none intermediate throw or
 * end event completes and the token goes on. A none event is never waited for.
 * https://docs.camunda.io/docs/components/modeler/bpmn/none-events/
 */
import { takeOutgoing } from '../../../runtime/processor/constructs/common-hooks.js';
import { refusedAtDeploy, type EventBehaviour, type Processor } from '../../../runtime/processor/constructs/construct.js';

export const noneEvent: EventBehaviour<'none', Pick<Processor, 'lifecycle'>> = {
  thrown: (ei, _element, _def, c) => c.lifecycle.complete(ei),
  leaveThrow: takeOutgoing,
  catchActivated: () => refusedAtDeploy('a none intermediate catch event'),
  subscribe: () => refusedAtDeploy('waiting for a none event'),
  // A none start event is where createInstance starts; nothing listens for it.
  deployedStart: () => {},
};
