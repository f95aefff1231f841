/**
 * bpmnlint-plugin-spe: the contracts between the diagrams in bpmn/ and the platform's code, as bpmnlint rules,
 * so `npm run lint` and Camunda Modeler report the same findings. One rule per file in rules/, its doc in
 * docs/rules/, its fixtures in test/fixtures/<rule>/. The names the rules check against are in known-names.json.
 */
const RULES = [
  'process-id',
  'called-process',
  'task-type-handled',
  'task-headers',
  'user-task-form',
  'user-task-assignment',
  'decision-task-guard',
  'message-contract',
  'error-codes',
  'feel-variables',
];

module.exports = {
  configs: {
    recommended: {
      rules: Object.fromEntries(RULES.map((rule) => [`spe/${rule}`, 'error'])),
    },
  },
  rules: Object.fromEntries(RULES.map((rule) => [rule, `./rules/${rule}`])),
};
