/**
 * What happens when a subscribed event arrives (message, timer, signal) or a thrown event is caught (error,
 * escalation): the catch element runs as its construct says (constructs/element-behaviours.ts `catching`):
 * a boundary event, an event sub-process start, an intermediate catch event or receive task waiting for
 * itself, or an event-based gateway's target.
 */
import type { CompiledElement } from '../../model/types.js';
import type { ElementInstanceRecord } from '../records.js';
import type { Processor } from './constructs/construct.js';
import { catchBehaviour } from './constructs/element-behaviours.js';
import type { InterpreterContext } from './interpreter-context.js';
import type { Variables } from './variable-scopes.js';

export class EventTriggers {
  constructor(
    private readonly ctx: InterpreterContext,
    /** Triggering dispatches to the element table, so it hands it the whole processor. */
    private readonly it: Processor,
  ) {}

  /**
   * Runs the catch element `catchElementId` on behalf of `owner`. `interrupting` comes from the
   * subscription (boundary cancelActivity / event sub-process start isInterrupting).
   */
  trigger(owner: ElementInstanceRecord, catchElementId: string, variables: Variables, interrupting: boolean): void {
    if (owner.state !== 'ACTIVE') return;
    const catchElement = this.ctx.model(owner).elements[catchElementId]!;
    catchBehaviour(catchElement.type).caught(owner, catchElement, variables, interrupting, this.it);
  }

  /** Whether an event caught at `catchElement` interrupts (timers, which do not record it). */
  interruptingOf(catchElement: CompiledElement): boolean {
    return catchBehaviour(catchElement.type).interrupting(catchElement);
  }

  /** Non-interrupting boundary events and event sub-process starts keep listening after they fire. */
  keepsListening(catchElement: CompiledElement, interrupting: boolean): boolean {
    return catchBehaviour(catchElement.type).keepsListening(interrupting);
  }
}
