/**
 * Signal events: `bpmn:signalEventDefinition` with its `bpmn:signal` (name; FEEL allowed except on a process's
 * start event, which is subscribed at deployment).
 */
import { isExpression } from '../../../feel/index.js';
import { defineEventKind } from '../../../model/event-kind.js';
import { child, str } from '../../../model/moddle-element.js';

export type SignalEventDefinition = { kind: 'signal'; name: string };

export const signalDefinition = defineEventKind<SignalEventDefinition>({
  kind: 'signal',
  xmlType: 'bpmn:SignalEventDefinition',
  positions: ['process start', 'event sub-process start', 'end', 'intermediate throw', 'intermediate catch', 'boundary'],
  read: ({ id, definition, position, ctx }) => {
    const name = str(child(definition, 'signalRef'), 'name')?.trim() ?? '';
    if (name === '') ctx.refuse(id, 'signal event needs a signal (bpmn:signal) with a name');
    if (position === 'process start' && isExpression(name)) ctx.refuse(id, 'signal start event needs a static signal name');
    ctx.expression(id, 'signal name', name);
    return { kind: 'signal', name };
  },
});
