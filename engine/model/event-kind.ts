/**
 * What the model compiler needs to know about an event definition kind, declared once in the kind's own
 * folder (`engine/constructs/events/<kind>/definition.ts`) and listed in `engine/constructs/events/definitions.ts`:
 * the compiled form (`D`, which `EventDefinition` in types.ts is the union of), the BPMN element it is read
 * from, the positions Zeebe accepts it at, and the reader. Model-level only: nothing here knows the runtime.
 */
import type { CompileContext } from './compile-context.js';
import type { El } from './moddle-element.js';

/** Where an event sits; decides which event definitions Zeebe accepts there. */
export type EventPosition =
  | 'process start'
  | 'sub-process start'
  | 'event sub-process start'
  | 'end'
  | 'intermediate throw'
  | 'intermediate catch'
  | 'boundary';

/** What a kind's reader is given: the event element, its one event definition element, and where it sits. */
export interface EventReadInput {
  /** The event (start, end, intermediate, boundary) element. */
  el: El;
  /** Its event definition element (`bpmn:…EventDefinition`). */
  definition: El;
  /** The event's id, for refusals. */
  id: string;
  position: EventPosition;
  /** End and intermediate throw events. */
  throwing: boolean;
  /** Boundary `cancelActivity`, event sub-process start `isInterrupting` (default true). */
  interrupting: boolean;
  ctx: CompileContext;
}

export interface EventKindDefinition<D extends { kind: string }> {
  kind: D['kind'];
  /** The bpmn-moddle type of its event definition element; undefined for the none event, which has none. */
  xmlType: `bpmn:${string}EventDefinition` | undefined;
  /** Where it may sit; anywhere else the compiler refuses it as "<kind> event is not supported as <position> event". */
  positions: readonly EventPosition[];
  /**
   * Reads the compiled form, refusing through `ctx` what it cannot run (a best-effort value may still be returned,
   * the deployment fails on any refusal). Undefined means the event carries no definition (none).
   */
  read: (input: EventReadInput) => D | undefined;
}

/** Declares an event definition kind; `D` is its compiled form. */
export function defineEventKind<D extends { kind: string }>(definition: EventKindDefinition<D>): EventKindDefinition<D> {
  return definition;
}

/** The compiled form of a declared kind. */
export type CompiledFormOf<T> = T extends EventKindDefinition<infer D> ? D : never;

/** A table of kinds keyed by each one's own `kind`, so a key can never disagree with its entry. */
export function eventKindTable<const T extends readonly EventKindDefinition<{ kind: string }>[]>(
  ...definitions: T
): { readonly [D in T[number] as D['kind']]: D } {
  const table: Record<string, EventKindDefinition<{ kind: string }>> = {};
  for (const definition of definitions) {
    if (table[definition.kind]) throw new Error(`event kind '${definition.kind}' is declared twice`);
    table[definition.kind] = definition;
  }
  return table as { readonly [D in T[number] as D['kind']]: D };
}

export const THROWING_POSITIONS: readonly EventPosition[] = ['end', 'intermediate throw'];
