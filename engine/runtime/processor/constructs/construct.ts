/**
 * What a BPMN construct is to the processor: an element behaviour per element instance type and an event
 * behaviour per event definition kind, each saying what the construct does at each point of the element
 * lifecycle. The tables in element-behaviours.ts (here) and engine/constructs/events/behaviours.ts hold one
 * entry per kind and are checked by the compiler for completeness, so a kind without a behaviour does not compile.
 *
 * Every hook takes the capabilities it is handed as its last argument. A module types that argument with
 * only the parts of the processor it uses (a `Pick` of `Processor`), so what a construct may touch is read
 * from its signature, and the compiler refuses a call to any other part.
 */
import type { CompiledElement, ElementType, EventDefinition } from '../../../model/types.js';
import type { ElementInstanceRecord } from '../../records.js';
import type { Interpreter } from '../interpreter.js';
import type { Variables } from '../variable-scopes.js';

/** The whole processor; constructs take a `Pick` of it. */
export type Processor = Interpreter;

/** Element instance types as the REST API reports them; each has a behaviour (sequence-flow.ts says why it is never run). */
export type InstanceType = ElementType;

export type EventKind = EventDefinition['kind'];
export type EventDefinitionOf<K extends EventKind> = Extract<EventDefinition, { kind: K }>;

/** What an element instance type does at each point of its lifecycle. */
export interface ElementBehaviour<C> {
  /** After input mappings and boundary subscriptions: the element's own work (wait, or complete). */
  activate: (ei: ElementInstanceRecord, element: CompiledElement, c: C) => void;
  /** A token arrives at the element over `flowId` in `scope`: activate it, or wait at a join. */
  enter: (element: CompiledElement, flowId: string, scope: ElementInstanceRecord, c: C) => void;
  /** After the element completed (not an inner multi-instance instance): where the token goes. */
  leave: (ei: ElementInstanceRecord, element: CompiledElement, scope: ElementInstanceRecord, c: C) => void;
  /** On termination, after its children and its job: what else the element holds (a user task, a child instance). */
  terminate: (ei: ElementInstanceRecord, c: C) => void;
  /** How the element runs when an event it waits for arrives; undefined for elements that never catch. */
  catching: CatchBehaviour<C> | undefined;
}

/** Catch elements: boundary events, event sub-process starts, intermediate catch events, receive tasks. */
export interface CatchBehaviour<C> {
  /** Whether an event caught here interrupts (boundary cancelActivity, event sub-process start isInterrupting). */
  interrupting: (catchElement: CompiledElement) => boolean;
  /** Whether the subscription stays open after it fired. */
  keepsListening: (interrupting: boolean) => boolean;
  /** Runs the catch element on behalf of `owner`, the element instance that holds the subscription. */
  caught: (owner: ElementInstanceRecord, catchElement: CompiledElement, variables: Variables, interrupting: boolean, c: C) => void;
}

/** What an event definition does at each place an event with it can sit. */
export interface EventBehaviour<K extends EventKind, C> {
  /** End or intermediate throw event with this definition, once activated. */
  thrown: (ei: ElementInstanceRecord, element: CompiledElement, def: EventDefinitionOf<K>, c: C) => void;
  /** After an intermediate throw event with this definition completed: where the token goes. */
  leaveThrow: (ei: ElementInstanceRecord, element: CompiledElement, scope: ElementInstanceRecord, c: C) => void;
  /** An intermediate catch event with this definition, activated without a trigger: wait, or go on. */
  catchActivated: (ei: ElementInstanceRecord, element: CompiledElement, c: C) => void;
  /**
   * A catch element with this definition starts waiting for `owner` (intermediate catch event, receive task,
   * boundary event, event sub-process start, event-based gateway target): open what it waits on.
   */
  subscribe: (owner: ElementInstanceRecord, catchElement: CompiledElement, def: EventDefinitionOf<K>, interrupting: boolean, context: Variables, c: C) => void;
  /** A start event with this definition on the process level of a newly deployed latest version. */
  deployedStart: (start: DeployedStart, def: EventDefinitionOf<K>, c: C) => void;
}

/** The start event of a deployed process definition (no instance yet). */
export interface DeployedStart {
  processDefinitionKey: string;
  elementId: string;
  tenantId: string;
}

/** Raised for a combination the model compiler refuses at deploy time, so the processor never meets it. */
export function refusedAtDeploy(what: string): never {
  throw new Error(`${what}: the model compiler refuses this at deploy time, so it cannot run (a compiler/processor mismatch)`);
}
