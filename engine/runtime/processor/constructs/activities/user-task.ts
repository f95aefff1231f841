/**
 * Camunda user tasks (`zeebe:userTask`): activation creates the user task (assignment, schedule, priority
 * and form evaluated now; a missing form is an incident) and runs its creating listeners; the element waits
 * until the task is completed (user-task-commands.ts). Terminating the element cancels the task.
 * Job-worker user tasks (no `zeebe:userTask`; compiled with a `job` of type `io.camunda.zeebe:userTask`) wait
 * on that job instead, as a service task does: no user task record, completed by completing the job.
 * https://docs.camunda.io/docs/components/modeler/bpmn/user-tasks/
 */
import { activateOnArrival, takeOutgoing } from '../common-hooks.js';
import type { ElementBehaviour, Processor } from '../construct.js';

export const userTask: ElementBehaviour<Pick<Processor, 'waits' | 'lifecycle'>> = {
  activate: (ei, element, c) => (element.userTask ? c.waits.createUserTask(ei, element) : c.waits.createJob(ei, element)),
  enter: activateOnArrival,
  leave: takeOutgoing,
  terminate: (ei, c) => c.waits.cancelUserTaskOf(ei),
  catching: undefined,
};
