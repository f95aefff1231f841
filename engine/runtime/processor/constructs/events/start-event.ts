/**
 * Start events: activated by createInstance (process level: none, message, timer, signal) or by their
 * sub-process, they complete at once with what their trigger delivered. An event sub-process's start event
 * catches for the enclosing scope: when its event arrives, an interrupting one terminates the scope's other
 * tokens and stops the scope's other event sub-processes listening; then the event sub-process starts.
 * https://docs.camunda.io/docs/components/modeler/bpmn/event-subprocesses/
 */
import { activateOnArrival, completeAtOnce, holdsNothing, takeOutgoing } from '../common-hooks.js';
import type { ElementBehaviour, Processor } from '../construct.js';

export const startEvent: ElementBehaviour<Pick<Processor, 'ctx' | 'lifecycle' | 'events'>> = {
  activate: completeAtOnce,
  enter: activateOnArrival,
  leave: takeOutgoing,
  terminate: holdsNothing,
  catching: {
    interrupting: (start) => start.interrupting !== false,
    keepsListening: (interrupting) => !interrupting,
    caught: (scope, start, variables, interrupting, c) => {
      const model = c.ctx.model(scope);
      const esp = model.elements[start.scopeId]!;
      const rt = c.ctx.runtime(scope);
      if (rt.interrupted) return;
      if (interrupting) {
        rt.interrupted = true;
        c.ctx.state.touch(scope);
        // Other event sub-processes of the scope stop listening; the scope's own boundary events stay.
        const espStarts = new Set((c.ctx.element(scope).eventSubProcesses ?? []).map((id) => model.elements[id]!.eventSubProcessStartId));
        c.events.closeOwnedSubscriptions(scope, (id) => espStarts.has(id));
        c.lifecycle.terminateChildren(scope);
      }
      c.lifecycle.activateElement(esp, scope, { triggerVariables: variables, interrupting });
    },
  },
};
