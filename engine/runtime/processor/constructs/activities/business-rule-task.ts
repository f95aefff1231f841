/**
 * Business rule tasks: the job form only (a job worker evaluates the decision); a called DMN decision
 * (`zeebe:calledDecision`) is refused at deploy time.
 * https://docs.camunda.io/docs/components/modeler/bpmn/business-rule-tasks/
 */
import { jobWorkerTask } from './job-worker-task.js';

export const businessRuleTask = jobWorkerTask;
