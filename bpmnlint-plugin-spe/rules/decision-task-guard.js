/**
 * spe/decision-task-guard: every user task is a decision task of DECISION_TASKS (shared/decision-tasks.ts) with
 * the form and candidate group the table gives it, and carries exactly one completing task listener of the
 * decision rules (`review.check-decision`), which refuses a decision its decider may not make.
 */
const known = require('../lib/known-names');
const { extension, extensions, processOf } = require('../lib/moddle');

module.exports = function decisionTaskGuard() {
  function check(node, reporter) {
    if (node.$type !== 'bpmn:UserTask') return;
    const processId = (processOf(node) || {}).id;
    const entry = known.decisionTasks.find((task) => task.processId === processId && task.elementId === node.id);
    if (!entry) {
      reporter.report(node.id, `${processId}/${node.id} is not in DECISION_TASKS: add it to shared/decision-tasks.ts (with its rules in job-workers/review/) or use the id of an existing decision task`);
    } else {
      const formId = (extension(node, 'zeebe:FormDefinition') || {}).formId;
      if (entry.formId !== formId) reporter.report(node.id, `Form "${formId ?? ''}", DECISION_TASKS says "${entry.formId}": link that form or change the table`);
      const groups = (extension(node, 'zeebe:AssignmentDefinition') || {}).candidateGroups;
      if (entry.candidateGroup !== groups) reporter.report(node.id, `Candidate groups "${groups ?? ''}", DECISION_TASKS says "${entry.candidateGroup}": assign that group or change the table`);
    }
    const guard = known.roles.decisionListener;
    const listeners = extensions(node, 'zeebe:TaskListeners').flatMap((group) => group.listeners || []);
    const completing = listeners.filter((listener) => listener.eventType === 'completing' && listener.type === guard);
    if (completing.length !== 1) {
      reporter.report(node.id, `Needs exactly one task listener eventType "completing" type "${guard}" (has ${completing.length}): add it under Task listeners, or decisions are not checked`);
    }
  }
  return { check };
};
