/**
 * Service tasks: a job of the `zeebe:taskDefinition` type; a job worker does the work.
 * https://docs.camunda.io/docs/components/modeler/bpmn/service-tasks/
 */
import { jobWorkerTask } from './job-worker-task.js';

export const serviceTask = jobWorkerTask;
