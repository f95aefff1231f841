/**
 * spe/user-task-form: every user task is a Camunda user task (`zeebe:userTask`) showing a form of FORM_IDS that
 * is deployed from forms/ (linked by formId), so Tasklist and the web app can render it.
 */
const known = require('../lib/known-names');
const { extension } = require('../lib/moddle');

module.exports = function userTaskForm() {
  function check(node, reporter) {
    if (node.$type !== 'bpmn:UserTask') return;
    if (!extension(node, 'zeebe:UserTask')) reporter.report(node.id, 'Not a Camunda user task: set the implementation to "Camunda user task" (zeebe:userTask)');
    const formId = (extension(node, 'zeebe:FormDefinition') || {}).formId;
    if (!known.formIds.includes(formId)) {
      reporter.report(node.id, `Form "${formId ?? ''}" is not in FORM_IDS: link one of ${known.formIds.join(', ')} by form id, or add the form to shared/forms.ts and forms/`);
    } else if (!known.deployedFormIds.includes(formId)) {
      reporter.report(node.id, `Form "${formId}" is not in forms/, so it is never deployed: add forms/${formId}.form and regenerate known-names.json`);
    }
  }
  return { check };
};
