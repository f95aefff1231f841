/**
 * The event definition kinds the engine runs, runtime side: one behaviour per kind of definitions.ts, from
 * `<kind>/behaviour.ts`. The table is checked against the kinds: a kind declared in definitions.ts without a
 * behaviour here (or a behaviour for a kind not declared there) does not compile.
 */
import type { EventDefinition } from '../../model/types.js';
import type { EventBehaviour, EventDefinitionOf, EventKind, Processor } from '../../runtime/processor/constructs/construct.js';
import { errorEvent } from './error/behaviour.js';
import { escalationEvent } from './escalation/behaviour.js';
import { linkEvent } from './link/behaviour.js';
import { messageEvent } from './message/behaviour.js';
import { noneEvent } from './none/behaviour.js';
import { signalEvent } from './signal/behaviour.js';
import { terminateEvent } from './terminate/behaviour.js';
import { timerEvent } from './timer/behaviour.js';

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
