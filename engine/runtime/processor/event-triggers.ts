/**
 * What happens when a subscribed event arrives (message, timer, signal) or a thrown event is caught
 * (error, escalation): the catching element runs according to where it sits — intermediate catch event or
 * receive task, boundary event (interrupting or not), event sub-process start (interrupting or not), or an
 * event-based gateway's target.
 */
import type { CompiledElement } from '../../model/types.js';
import type { ElementInstanceRecord } from '../records.js';
import type { InterpreterContext } from './interpreter-context.js';
import type { Interpreter } from './interpreter.js';
import type { Variables } from './variable-scopes.js';

export class EventTriggers {
  constructor(
    private readonly ctx: InterpreterContext,
    private readonly it: Interpreter,
  ) {}

  /**
   * Runs the catch element `catchElementId` on behalf of `owner`. `interrupting` comes from the
   * subscription (boundary cancelActivity / event sub-process start isInterrupting).
   */
  trigger(owner: ElementInstanceRecord, catchElementId: string, variables: Variables, interrupting: boolean): void {
    if (owner.state !== 'ACTIVE') return;
    const model = this.ctx.model(owner);
    const catchElement = model.elements[catchElementId]!;
    const lifecycle = this.it.lifecycle;

    if (catchElement.type === 'BOUNDARY_EVENT') {
      this.triggerBoundary(owner, catchElement, variables, interrupting);
      return;
    }
    if (catchElement.type === 'START_EVENT') {
      this.triggerEventSubProcess(owner, catchElement, variables, interrupting);
      return;
    }
    if (owner.type === 'EVENT_BASED_GATEWAY') {
      // The first event wins: the gateway completes and the chosen catch event runs with the event's variables.
      const scope = this.ctx.flowScope(owner);
      this.it.events.closeOwnedSubscriptions(owner);
      lifecycle.completeGateway(owner, this.ctx.element(owner), []);
      if (scope) lifecycle.activateElement(catchElement, scope, { triggerVariables: variables });
      return;
    }
    // Intermediate catch event or receive task waiting for itself.
    this.it.events.closeOwnedSubscriptions(owner, (id) => id === catchElementId);
    lifecycle.complete(owner, variables);
  }

  private triggerBoundary(activity: ElementInstanceRecord, boundary: CompiledElement, variables: Variables, interrupting: boolean): void {
    const scope = this.ctx.flowScope(activity);
    if (!scope) return;
    if (interrupting) this.it.lifecycle.terminate(activity);
    this.it.lifecycle.activateElement(boundary, scope, { triggerVariables: variables });
  }

  private triggerEventSubProcess(scope: ElementInstanceRecord, start: CompiledElement, variables: Variables, interrupting: boolean): void {
    const model = this.ctx.model(scope);
    const esp = model.elements[start.scopeId]!;
    const rt = this.ctx.runtime(scope);
    if (rt.interrupted) return;
    if (interrupting) {
      rt.interrupted = true;
      this.ctx.state.touch(scope);
      // Other event sub-processes of the scope stop listening; the scope's own boundary events stay.
      const espStarts = new Set(
        (this.ctx.element(scope).eventSubProcesses ?? []).map((id) => model.elements[id]!.eventSubProcessStartId),
      );
      this.it.events.closeOwnedSubscriptions(scope, (id) => espStarts.has(id));
      this.it.lifecycle.terminateChildren(scope);
    }
    this.it.lifecycle.activateElement(esp, scope, { triggerVariables: variables, interrupting });
  }


  /** Non-interrupting boundary events and event sub-process starts keep listening after they fire. */
  static keepsListening(catchElement: CompiledElement, interrupting: boolean): boolean {
    return !interrupting && (catchElement.type === 'BOUNDARY_EVENT' || catchElement.type === 'START_EVENT');
  }
}
