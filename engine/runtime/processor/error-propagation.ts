/**
 * BPMN errors and escalations, thrown by end/throw events or by job workers, caught as Zeebe does: the
 * nearest matching boundary event or event sub-process, searching outwards through the scopes and across
 * call activities into the parent process. An uncaught error is an incident; an uncaught escalation is not.
 */
import type { CompiledElement } from '../../model/types.js';
import type { ElementInstanceRecord } from '../records.js';
import type { InterpreterContext } from './interpreter-context.js';
import type { Interpreter } from './interpreter.js';
import type { Variables } from './variable-scopes.js';

interface Catcher {
  /** Boundary: the activity instance; event sub-process: the scope instance. */
  owner: ElementInstanceRecord;
  catchElement: CompiledElement;
  interrupting: boolean;
}

export class ErrorPropagation {
  constructor(
    private readonly ctx: InterpreterContext,
    /** The parts of the processor this one uses. */
    private readonly it: Pick<Interpreter, 'incidents' | 'lifecycle' | 'triggers'>,
  ) {}

  /** Whether an error with this code thrown at `thrower` would be caught somewhere. */
  isCaught(thrower: ElementInstanceRecord, errorCode: string): boolean {
    return this.findCatcher(thrower, 'error', errorCode) !== undefined;
  }

  /**
   * Throws a BPMN error at `thrower`. Uncaught, it is an UNHANDLED_ERROR_EVENT incident: thrown by a job
   * (`jobKey`), resolving it makes the job activatable again, as Zeebe does; thrown by an end event,
   * resolving it throws again.
   */
  throwError(thrower: ElementInstanceRecord, errorCode: string, errorMessage: string, variables: Variables | undefined, jobKey?: string): void {
    const catcher = this.findCatcher(thrower, 'error', errorCode);
    if (!catcher) {
      this.it.incidents.raise(
        thrower,
        'UNHANDLED_ERROR_EVENT',
        `Expected to throw an error event with the code '${errorCode}' with message '${errorMessage}', but it was not caught. No error events are available in the scope.`,
        jobKey ? { step: 'job' } : { step: 'throwError', errorCode, errorMessage, ...(variables ? { variables } : {}) },
        jobKey,
      );
      return;
    }
    const def = catcher.catchElement.eventDefinition;
    const delivered: Variables = { ...(variables ?? {}) };
    if (def?.kind === 'error') {
      if (def.errorCodeVariable) delivered[def.errorCodeVariable] = errorCode;
      if (def.errorMessageVariable) delivered[def.errorMessageVariable] = errorMessage;
    }
    this.it.triggers.trigger(catcher.owner, catcher.catchElement.id, delivered, true);
  }

  throwEscalation(thrower: ElementInstanceRecord, escalationCode: string): void {
    const catcher = this.findCatcher(thrower, 'escalation', escalationCode);
    if (!catcher) {
      // Not caught: the throw event simply completes.
      this.it.lifecycle.complete(thrower);
      return;
    }
    if (!catcher.interrupting) this.it.lifecycle.complete(thrower);
    this.it.triggers.trigger(catcher.owner, catcher.catchElement.id, {}, catcher.interrupting);
  }

  /** Searches outwards from the thrower for a boundary event or event sub-process that catches the code. */
  private findCatcher(thrower: ElementInstanceRecord, kind: 'error' | 'escalation', code: string): Catcher | undefined {
    let current: ElementInstanceRecord | undefined = thrower;
    let first = true;
    while (current) {
      const model = this.ctx.model(current);
      const element = model.elements[current.elementId]!;
      // An activity's boundary events (not for the throwing event itself; inner multi-instance → the body's).
      const isInner = this.ctx.runtime(current).loopCounter !== undefined;
      if (!(first && (element.type === 'END_EVENT' || element.type === 'INTERMEDIATE_THROW_EVENT')) && !isInner) {
        const found = this.match(element.boundaryEvents.map((id) => model.elements[id]!), kind, code);
        if (found) return { owner: current, catchElement: found, interrupting: found.cancelActivity !== false };
      }
      // A scope's event sub-processes (not the event sub-process the error is thrown in).
      if (element.type === 'PROCESS' || element.type === 'SUB_PROCESS' || element.type === 'EVENT_SUB_PROCESS') {
        const starts = (element.eventSubProcesses ?? [])
          .map((id) => model.elements[model.elements[id]!.eventSubProcessStartId ?? '']!)
          .filter(Boolean);
        const found = this.match(starts, kind, code);
        if (found && !this.ctx.runtime(current).interrupted) {
          return { owner: current, catchElement: found, interrupting: kind === 'error' || found.interrupting !== false };
        }
      }
      first = false;
      if (current.type === 'PROCESS') {
        const parentKey: string | undefined = this.ctx.state.instances.get(current.processInstanceKey)?.parentElementInstanceKey;
        current = parentKey ? this.ctx.state.elements.get(parentKey) : undefined;
      } else {
        current = this.ctx.flowScope(current);
      }
    }
    return undefined;
  }

  /** Exact code first, then a catch-all (no code). */
  private match(candidates: CompiledElement[], kind: 'error' | 'escalation', code: string): CompiledElement | undefined {
    let catchAll: CompiledElement | undefined;
    for (const c of candidates) {
      const def = c.eventDefinition;
      if (!def || def.kind !== kind) continue;
      const own = def.kind === 'error' ? def.errorCode : def.kind === 'escalation' ? def.escalationCode : undefined;
      if (own === undefined || own === '') catchAll ??= c;
      else if (own === code) return c;
    }
    return catchAll;
  }
}
