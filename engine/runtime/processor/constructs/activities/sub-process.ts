/**
 * Embedded sub-processes and event sub-processes. Both open the event sub-processes directly inside them and
 * start at their start event (a sub-process without one completes at once). An event sub-process is started
 * by its start event's trigger (start-event.ts); an interrupting one completes its enclosing scope when it
 * completes.
 * https://docs.camunda.io/docs/components/modeler/bpmn/embedded-subprocesses/
 * https://docs.camunda.io/docs/components/modeler/bpmn/event-subprocesses/
 */
import type { CompiledElement } from '../../../../model/types.js';
import type { ElementInstanceRecord } from '../../../records.js';
import { activateOnArrival, holdsNothing, takeOutgoing } from '../common-hooks.js';
import type { ElementBehaviour, Processor } from '../construct.js';

type Needs = Pick<Processor, 'ctx' | 'events' | 'lifecycle'>;

function startInside(ei: ElementInstanceRecord, element: CompiledElement, startId: string | undefined, c: Needs): void {
  c.events.openEventSubProcesses(ei, element);
  const start = startId ? c.ctx.model(ei).elements[startId] : undefined;
  if (!start) {
    c.lifecycle.complete(ei);
    return;
  }
  const trigger = c.ctx.runtime(ei).triggerVariables;
  c.lifecycle.activateElement(start, ei, trigger ? { triggerVariables: trigger } : undefined);
}

export const subProcess: ElementBehaviour<Needs> = {
  activate: (ei, element, c) => startInside(ei, element, element.noneStartEventId, c),
  enter: activateOnArrival,
  leave: takeOutgoing,
  terminate: holdsNothing,
  catching: undefined,
};

export const eventSubProcess: ElementBehaviour<Needs> = {
  activate: (ei, element, c) => startInside(ei, element, element.eventSubProcessStartId, c),
  enter: activateOnArrival,
  leave: (ei, element, scope, c) => {
    // An interrupting event sub-process completes its scope when it completes.
    if (c.ctx.runtime(ei).interrupting) c.ctx.later(() => c.lifecycle.completeScopeIfDone(scope));
    else c.lifecycle.takeOutgoing(ei, element, scope);
  },
  terminate: holdsNothing,
  catching: undefined,
};
