import { ExpressionError, evaluateTimer, isExpression } from '../feel/index.js';
import type { CompileContext } from './compile-context.js';
import { bodyOf, bool, child, children, extension, idOf, str, type El } from './moddle-element.js';
import type { EventDefinition } from './types.js';

/** Where an event sits; decides which event definitions Zeebe accepts there. */
export type EventPosition =
  | 'process start'
  | 'sub-process start'
  | 'event sub-process start'
  | 'end'
  | 'intermediate throw'
  | 'intermediate catch'
  | 'boundary';

type Kind = EventDefinition['kind'];

const ALLOWED: Record<EventPosition, readonly Kind[]> = {
  'process start': ['none', 'message', 'timer', 'signal'],
  'sub-process start': ['none'],
  'event sub-process start': ['message', 'timer', 'error', 'signal', 'escalation'],
  end: ['none', 'error', 'terminate', 'message', 'escalation', 'signal'],
  'intermediate throw': ['none', 'message', 'signal', 'escalation', 'link'],
  'intermediate catch': ['message', 'timer', 'signal', 'link'],
  boundary: ['error', 'timer', 'message', 'signal', 'escalation'],
};

const KINDS: Record<string, Kind> = {
  'bpmn:MessageEventDefinition': 'message',
  'bpmn:TimerEventDefinition': 'timer',
  'bpmn:ErrorEventDefinition': 'error',
  'bpmn:EscalationEventDefinition': 'escalation',
  'bpmn:SignalEventDefinition': 'signal',
  'bpmn:TerminateEventDefinition': 'terminate',
  'bpmn:LinkEventDefinition': 'link',
};

const REFUSED: Record<string, string> = {
  'bpmn:CompensateEventDefinition': 'compensation is not supported',
  'bpmn:ConditionalEventDefinition': 'conditional events not supported',
  'bpmn:CancelEventDefinition': 'transaction/cancel not supported',
};

const THROWING: readonly EventPosition[] = ['end', 'intermediate throw'];

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
  const kind: Kind | undefined = definition ? KINDS[definition.$type] : 'none';
  if (kind === undefined || !ALLOWED[position].includes(kind)) {
    const what = kind === undefined ? definition!.$type : `${kind} event`;
    if (position === 'sub-process start') ctx.refuse(id, `${kind ?? definition!.$type} start event inside sub-process; only a none start event is allowed`);
    else ctx.refuse(id, `${what} is not supported as ${position} event`);
    return undefined;
  }
  if (!definition) return undefined;
  const throwing = THROWING.includes(position);
  switch (kind) {
    case 'message':
      return readMessage(el, definition, position, ctx);
    case 'timer':
      return readTimer(el, definition, position, interrupting, ctx);
    case 'error': {
      const error = child(definition, 'errorRef');
      const errorCode = str(error, 'errorCode')?.trim() || undefined;
      if (throwing && errorCode === undefined) ctx.refuse(id, 'error end event needs an error (bpmn:error) with an errorCode');
      if (!throwing && !interrupting) ctx.refuse(id, `error ${position} event must be interrupting`);
      if (!throwing && errorCode !== undefined && isExpression(errorCode)) ctx.refuse(id, 'error catch event needs a static errorCode');
      ctx.expression(id, 'errorCode', errorCode);
      return errorCode === undefined ? { kind } : { kind, errorCode };
    }
    case 'escalation': {
      const escalationCode = str(child(definition, 'escalationRef'), 'escalationCode')?.trim() || undefined;
      if (throwing && escalationCode === undefined) ctx.refuse(id, 'escalation throw event needs an escalation with an escalationCode');
      ctx.expression(id, 'escalationCode', escalationCode);
      return escalationCode === undefined ? { kind } : { kind, escalationCode };
    }
    case 'signal': {
      const name = str(child(definition, 'signalRef'), 'name')?.trim() ?? '';
      if (name === '') ctx.refuse(id, 'signal event needs a signal (bpmn:signal) with a name');
      if (position === 'process start' && isExpression(name)) ctx.refuse(id, 'signal start event needs a static signal name');
      ctx.expression(id, 'signal name', name);
      return { kind, name };
    }
    case 'link': {
      const name = str(definition, 'name')?.trim() ?? '';
      if (name === '') ctx.refuse(id, 'link event needs a link name');
      return { kind, name };
    }
    case 'terminate':
      return { kind };
    case 'none':
      return undefined;
    default:
      // A kind in KINDS without a case here is a compile error, not a silent terminate event.
      return unreadKind(kind);
  }
}

function unreadKind(kind: never): never {
  throw new Error(`compile-event: no reader for event definition kind '${String(kind)}'`);
}

function readMessage(el: El, definition: El, position: EventPosition, ctx: CompileContext): EventDefinition {
  const id = idOf(el);
  const message = child(definition, 'messageRef');
  const name = str(message, 'name')?.trim() ?? '';
  if (THROWING.includes(position)) {
    // Message throw events are jobs in Zeebe; the job (zeebe:taskDefinition) is read by the caller.
    return { kind: 'message', name };
  }
  const isStart = position === 'process start';
  return readCatchMessage(id, message, isStart, ctx, isStart ? 'message start event' : 'message catch event');
}

/** A message that something waits for: needs a name, and (except on process start) a correlation key. */
export function readCatchMessage(id: string, message: El | undefined, isProcessStart: boolean, ctx: CompileContext, what: string): EventDefinition {
  const name = str(message, 'name')?.trim() ?? '';
  if (name === '') ctx.refuse(id, `${what} needs a message with a name`);
  if (isProcessStart) {
    if (isExpression(name)) ctx.refuse(id, 'message start event needs a static message name');
    return { kind: 'message', name };
  }
  ctx.expression(id, 'message name', name);
  const correlationKey = str(extension(message, 'zeebe:Subscription'), 'correlationKey')?.trim() ?? '';
  if (name !== '' && correlationKey === '') ctx.refuse(id, `${what} needs zeebe:subscription correlationKey`);
  ctx.expression(id, 'correlationKey', correlationKey);
  return { kind: 'message', name, correlationKey };
}

function readTimer(el: El, definition: El, position: EventPosition, interrupting: boolean, ctx: CompileContext): EventDefinition | undefined {
  const id = idOf(el);
  const present = (['timeDuration', 'timeDate', 'timeCycle'] as const).filter((p) => bodyOf(child(definition, p)));
  if (present.length !== 1) {
    ctx.refuse(id, 'timer event needs exactly one of timeDuration, timeDate or timeCycle');
    return undefined;
  }
  const property = present[0]!;
  const timerType = property === 'timeDuration' ? 'duration' : property === 'timeDate' ? 'date' : 'cycle';
  const expression = bodyOf(child(definition, property))!;
  if (timerType === 'cycle' && position === 'intermediate catch') {
    ctx.refuse(id, 'intermediate timer catch event needs a timeDuration or timeDate, not a timeCycle');
  }
  if (timerType === 'cycle' && interrupting && (position === 'boundary' || position === 'event sub-process start')) {
    ctx.refuse(id, 'interrupting timer event with a timeCycle is not allowed');
  }
  ctx.expression(id, property, expression);
  if (!isExpression(expression)) {
    try {
      evaluateTimer({ timerType, expression }, {}, Date.now());
    } catch (error) {
      if (!(error instanceof ExpressionError)) throw error;
      ctx.refuse(id, `invalid ${property} '${expression}': ${error.message}`);
    }
  }
  return { kind: 'timer', timerType, expression };
}

/** `cancelActivity` of a boundary event (default true) and `isInterrupting` of a start event (default true). */
export function isInterrupting(el: El): boolean {
  return bool(el, el.$type === 'bpmn:BoundaryEvent' ? 'cancelActivity' : 'isInterrupting') ?? true;
}
