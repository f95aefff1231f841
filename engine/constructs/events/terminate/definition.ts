/** Terminate end events: `bpmn:terminateEventDefinition`, nothing to read. */
import { defineEventKind } from '../../../model/event-kind.js';

export type TerminateEventDefinition = { kind: 'terminate' };

export const terminateDefinition = defineEventKind<TerminateEventDefinition>({
  kind: 'terminate',
  xmlType: 'bpmn:TerminateEventDefinition',
  positions: ['end'],
  read: () => ({ kind: 'terminate' }),
});
