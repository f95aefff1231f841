/**
 * Service, send and business rule tasks (job form): activation creates a job of the task definition's type
 * and the element waits until a worker completes it (or throws a BPMN error, or fails it to an incident).
 * One module per kind below, because Zeebe may give each its own form (a called decision, a message publish).
 * https://docs.camunda.io/docs/components/modeler/bpmn/service-tasks/
 */
import { activateOnArrival, holdsNothing, takeOutgoing } from '../common-hooks.js';
import type { ElementBehaviour, Processor } from '../construct.js';

/** Waits on a job; the job itself is cancelled with the element (ElementLifecycle.terminate). */
export const jobWorkerTask: ElementBehaviour<Pick<Processor, 'waits' | 'lifecycle'>> = {
  activate: (ei, element, c) => c.waits.createJob(ei, element),
  enter: activateOnArrival,
  leave: takeOutgoing,
  terminate: holdsNothing,
  catching: undefined,
};
