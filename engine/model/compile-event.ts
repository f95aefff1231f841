/**
 * Reads an event's event definition through the kind's own declaration (engine/constructs/events/<kind>/
 * definition.ts, listed in engine/constructs/events/definitions.ts): which kind the XML element is, whether Zeebe
 * accepts it at this position, and the kind's reader. Nothing here names a kind.
 */
import { EVENT_KINDS, REFUSED_EVENT_DEFINITIONS } from '../constructs/events/definitions.js';
import type { CompileContext } from './compile-context.js';
import { THROWING_POSITIONS, type EventKindDefinition, type EventPosition } from './event-kind.js';
import { bool, children, idOf, type El } from './moddle-element.js';
import type { EventDefinition } from './types.js';

export type { EventPosition } from './event-kind.js';

type AnyKind = EventKindDefinition<EventDefinition>;

const KINDS: readonly AnyKind[] = Object.values(EVENT_KINDS);
const BY_XML_TYPE = new Map<string, AnyKind>(KINDS.flatMap((kind) => (kind.xmlType ? [[kind.xmlType, kind] as const] : [])));
const NONE: AnyKind = EVENT_KINDS.none;
const REFUSED: Readonly<Record<string, string>> = REFUSED_EVENT_DEFINITIONS;

/**
 * Reads the event definition of an event at `position`. Returns undefined for a none event, and
 * refuses (returning undefined) anything the engine cannot run there. `interrupting` matters for
 * boundary events and event sub-process starts.
 */
export function readEventDefinition(el: El, position: EventPosition, ctx: CompileContext, interrupting = true): EventDefinition | undefined {
  const id = idOf(el);
  const definitions = children(el, 'eventDefinitions');
  if (definitions.length > 1) {
    ctx.refuse(id, 'events with several event definitions (multiple events) are not supported');
    return undefined;
  }
  const definition = definitions[0];
  const refused = definition && REFUSED[definition.$type];
  if (refused) {
    ctx.refuse(id, refused);
    return undefined;
  }
  const kind = definition ? BY_XML_TYPE.get(definition.$type) : NONE;
  if (kind === undefined || !kind.positions.includes(position)) {
    const what = kind === undefined ? definition!.$type : `${kind.kind} event`;
    if (position === 'sub-process start') ctx.refuse(id, `${kind?.kind ?? definition!.$type} start event inside sub-process; only a none start event is allowed`);
    else ctx.refuse(id, `${what} is not supported as ${position} event`);
    return undefined;
  }
  if (!definition) return undefined;
  return kind.read({ el, definition, id, position, throwing: THROWING_POSITIONS.includes(position), interrupting, ctx });
}

/** `cancelActivity` of a boundary event (default true) and `isInterrupting` of a start event (default true). */
export function isInterrupting(el: El): boolean {
  return bool(el, el.$type === 'bpmn:BoundaryEvent' ? 'cancelActivity' : 'isInterrupting') ?? true;
}
