/**
 * The construct tables: completeness is the compiler's job (the `@ts-expect-error` lines below fail the type check
 * if a partial table were accepted); at run time, asking a construct for something it never does is an error
 * that names it, not a silent no-op.
 */
import { describe, expect, it } from 'vitest';
import type { CompiledElement } from '../../../model/types.js';
import type { ElementInstanceRecord } from '../../records.js';
import { catchBehaviour, elementBehaviour, type ElementTable } from './element-behaviours.js';
import { eventBehaviour, eventDefinitionOf, type EventTable } from '../../../constructs/events/behaviours.js';
import { noneEvent } from '../../../constructs/events/none/behaviour.js';
import { processElement } from './process.js';

describe('construct tables', () => {
  it('a table missing a kind does not type-check', () => {
    // @ts-expect-error an element table needs an entry for every element type
    const elements = { PROCESS: processElement } satisfies ElementTable;
    // @ts-expect-error an event table needs an entry for every event definition kind
    const events = { none: noneEvent } satisfies EventTable;
    expect(Object.keys(elements)).toEqual(['PROCESS']);
    expect(Object.keys(events)).toEqual(['none']);
  });

  it('only boundary events, start events, intermediate catch events and receive tasks catch events', () => {
    const catching = (['START_EVENT', 'BOUNDARY_EVENT', 'INTERMEDIATE_CATCH_EVENT', 'RECEIVE_TASK', 'SERVICE_TASK', 'END_EVENT', 'EVENT_BASED_GATEWAY'] as const).filter(
      (type) => elementBehaviour(type).catching !== undefined,
    );
    expect(catching).toEqual(['START_EVENT', 'BOUNDARY_EVENT', 'INTERMEDIATE_CATCH_EVENT', 'RECEIVE_TASK']);
    expect(() => catchBehaviour('SERVICE_TASK')).toThrow(/SERVICE_TASK does not catch events/);
  });

  it('an event without a definition is a none event, and a timer is never thrown', () => {
    expect(eventDefinitionOf({})).toEqual({ kind: 'none' });
    const timer = { kind: 'timer', timerType: 'duration', expression: 'PT1H' } as const;
    const element = { id: 'x', eventDefinition: timer } as unknown as CompiledElement;
    expect(() => eventBehaviour(timer).thrown({} as ElementInstanceRecord, element, timer, {} as never)).toThrow(/refuses this at deploy time/);
  });

  it('a process is never activated and a sequence flow never instantiated as an element', () => {
    const ei = {} as ElementInstanceRecord;
    const el = {} as CompiledElement;
    expect(() => elementBehaviour('PROCESS').activate(ei, el, {} as never)).toThrow(/createInstance/);
    expect(() => elementBehaviour('SEQUENCE_FLOW').activate(ei, el, {} as never)).toThrow(/never instantiated/);
  });
});
