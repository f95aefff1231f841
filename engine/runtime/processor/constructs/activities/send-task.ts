/**
 * Send tasks: like service tasks, a job worker sends the message (Zeebe's job form).
 * https://docs.camunda.io/docs/components/modeler/bpmn/send-tasks/
 */
import { jobWorkerTask } from './job-worker-task.js';

export const sendTask = jobWorkerTask;
