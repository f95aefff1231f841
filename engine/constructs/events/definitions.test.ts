/**
 * The model-side registry of event definition kinds: what the compiler reads must be unambiguous.
 */
import { describe, expect, it } from 'vitest';
import { eventKindTable } from '../../model/event-kind.js';
import { EVENT_KINDS, REFUSED_EVENT_DEFINITIONS } from './definitions.js';
import { noneDefinition } from './none/definition.js';

describe('event kind definitions', () => {
  it('each kind is keyed by its own name and read from its own XML element; only none has no element', () => {
    const kinds = Object.entries(EVENT_KINDS);
    for (const [key, definition] of kinds) expect(definition.kind).toBe(key);
    const xmlTypes = kinds.map(([, definition]) => definition.xmlType).filter((type) => type !== undefined);
    expect(new Set(xmlTypes).size).toBe(kinds.length - 1);
    expect(EVENT_KINDS.none.xmlType).toBeUndefined();
  });

  it('no XML element is both declared as a kind and refused', () => {
    const declared = Object.values(EVENT_KINDS).map((definition) => definition.xmlType);
    expect(Object.keys(REFUSED_EVENT_DEFINITIONS).filter((type) => declared.includes(type as never))).toEqual([]);
  });

  it('a kind declared twice is refused when the table is built', () => {
    expect(() => eventKindTable(noneDefinition, noneDefinition)).toThrow(/'none' is declared twice/);
  });
});
