/**
 * The event definition table: one behaviour per event definition kind the model compiler accepts. A kind added
 * to `EventDefinition` (model/types.ts) without an entry here does not compile.
 */
import type { EventDefinition } from '../../../model/types.js';
import type { EventBehaviour, EventDefinitionOf, EventKind, Processor } from './construct.js';
import { errorEvent } from './events/error.js';
import { escalationEvent } from './events/escalation.js';
import { linkEvent } from './events/link.js';
import { messageEvent } from './events/message.js';
import { noneEvent } from './events/none.js';
import { signalEvent } from './events/signal.js';
import { terminateEvent } from './events/terminate.js';
import { timerEvent } from './events/timer.js';

export type EventTable = { readonly [K in EventKind]: EventBehaviour<K, Processor> };

const EVENT_BEHAVIOURS = {
  none: noneEvent,
  message: messageEvent,
  timer: timerEvent,
  signal: signalEvent,
  error: errorEvent,
  escalation: escalationEvent,
  terminate: terminateEvent,
  link: linkEvent,
} as const satisfies EventTable;

const NONE: EventDefinitionOf<'none'> = { kind: 'none' };

/** An element's event definition; an event without one is a none event. */
export function eventDefinitionOf(element: { eventDefinition?: EventDefinition }): EventDefinition {
  return element.eventDefinition ?? NONE;
}

/** The behaviour of an event definition's kind. */
export function eventBehaviour<K extends EventKind>(def: EventDefinitionOf<K>): EventBehaviour<K, Processor> {
  return (EVENT_BEHAVIOURS as EventTable)[def.kind as K];
}
