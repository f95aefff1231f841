/**
 * Link events: `bpmn:linkEventDefinition name`, an intermediate throw event jumping to the intermediate catch
 * event of the same name in the same scope (validate-process.ts refuses an unmatched pair).
 */
import { defineEventKind } from '../../../model/event-kind.js';
import { str } from '../../../model/moddle-element.js';

export type LinkEventDefinition = { kind: 'link'; name: string };

export const linkDefinition = defineEventKind<LinkEventDefinition>({
  kind: 'link',
  xmlType: 'bpmn:LinkEventDefinition',
  positions: ['intermediate throw', 'intermediate catch'],
  read: ({ id, definition, ctx }) => {
    const name = str(definition, 'name')?.trim() ?? '';
    if (name === '') ctx.refuse(id, 'link event needs a link name');
    return { kind: 'link', name };
  },
});
