/**
 * The event definition kinds the engine runs, model side: one entry per `<kind>/definition.ts`. `EventDefinition`
 * (model/types.ts) is the union of their compiled forms and the compiler reads each through its entry, so adding
 * a kind here (and its runtime behaviour in behaviours.ts, which the type checker then asks for) is the whole
 * wiring. Model-level: this file and the definitions load no runtime code.
 */
import { eventKindTable } from '../../model/event-kind.js';
import { errorDefinition } from './error/definition.js';
import { escalationDefinition } from './escalation/definition.js';
import { linkDefinition } from './link/definition.js';
import { messageDefinition } from './message/definition.js';
import { noneDefinition } from './none/definition.js';
import { signalDefinition } from './signal/definition.js';
import { terminateDefinition } from './terminate/definition.js';
import { timerDefinition } from './timer/definition.js';

export const EVENT_KINDS = eventKindTable(
  noneDefinition,
  messageDefinition,
  timerDefinition,
  errorDefinition,
  escalationDefinition,
  signalDefinition,
  terminateDefinition,
  linkDefinition,
);

/**
 * Event definitions the engine refuses at deploy time, with why. A refusal test is derived from this list
 * (engine/model/compile-bpmn-refusals.test.ts), so taking a kind off it needs no test edit.
 */
export const REFUSED_EVENT_DEFINITIONS: Readonly<Record<`bpmn:${string}EventDefinition`, string>> = {
  'bpmn:CompensateEventDefinition': 'compensation is not supported',
  'bpmn:ConditionalEventDefinition': 'conditional events not supported',
  'bpmn:CancelEventDefinition': 'transaction/cancel not supported',
};
