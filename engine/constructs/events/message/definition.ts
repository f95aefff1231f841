/**
 * Message events: `bpmn:messageEventDefinition` with its `bpmn:message` (name, `zeebe:subscription
 * correlationKey`). Throw and end events are jobs (their `zeebe:taskDefinition` is read by the element compiler).
 */
import { isExpression } from '../../../feel/index.js';
import type { CompileContext } from '../../../model/compile-context.js';
import { defineEventKind } from '../../../model/event-kind.js';
import { child, extension, str, type El } from '../../../model/moddle-element.js';

/** `name` may be a FEEL expression; `correlationKey` is a FEEL expression (catch side only). */
export type MessageEventDefinition = { kind: 'message'; name: string; correlationKey?: string };

export const messageDefinition = defineEventKind<MessageEventDefinition>({
  kind: 'message',
  xmlType: 'bpmn:MessageEventDefinition',
  positions: ['process start', 'event sub-process start', 'end', 'intermediate throw', 'intermediate catch', 'boundary'],
  read: ({ id, definition, position, throwing, ctx }) => {
    const message = child(definition, 'messageRef');
    if (throwing) return { kind: 'message', name: str(message, 'name')?.trim() ?? '' };
    const isStart = position === 'process start';
    return readCatchMessage(id, message, isStart, ctx, isStart ? 'message start event' : 'message catch event');
  },
});

/** A message that something waits for (also a receive task's): needs a name, and (except on process start) a correlation key. */
export function readCatchMessage(id: string, message: El | undefined, isProcessStart: boolean, ctx: CompileContext, what: string): MessageEventDefinition {
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
