/**
 * Escalation events: `bpmn:escalationEventDefinition` with its `bpmn:escalation` (escalationCode; required to
 * throw, optional to catch, where none catches every escalation).
 */
import { defineEventKind } from '../../../model/event-kind.js';
import { child, str } from '../../../model/moddle-element.js';

export type EscalationEventDefinition = { kind: 'escalation'; escalationCode?: string };

export const escalationDefinition = defineEventKind<EscalationEventDefinition>({
  kind: 'escalation',
  xmlType: 'bpmn:EscalationEventDefinition',
  positions: ['event sub-process start', 'end', 'intermediate throw', 'boundary'],
  read: ({ id, definition, throwing, ctx }) => {
    const escalationCode = str(child(definition, 'escalationRef'), 'escalationCode')?.trim() || undefined;
    if (throwing && escalationCode === undefined) ctx.refuse(id, 'escalation throw event needs an escalation with an escalationCode');
    ctx.expression(id, 'escalationCode', escalationCode);
    return escalationCode === undefined ? { kind: 'escalation' } : { kind: 'escalation', escalationCode };
  },
});
