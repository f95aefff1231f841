/**
 * The none event (no event definition): a none start event of a process or sub-process, a none intermediate
 * throw event, a none end event.
 */
import { defineEventKind } from '../../../model/event-kind.js';

export type NoneEventDefinition = { kind: 'none' };

export const noneDefinition = defineEventKind<NoneEventDefinition>({
  kind: 'none',
  xmlType: undefined,
  positions: ['process start', 'sub-process start', 'end', 'intermediate throw'],
  // Nothing to read: the compiled element carries no eventDefinition.
  read: () => undefined,
});
