/**
 * spe/error-codes: BPMN errors carry a code of BPMN_ERRORS and escalations a code of ESCALATIONS
 * (shared/decisions.ts), the codes the workers throw and the diagrams catch.
 */
const known = require('../lib/known-names');

module.exports = function errorCodes() {
  function check(node, reporter) {
    if (node.$type === 'bpmn:Error' && !known.errorCodes.includes(node.errorCode)) {
      reporter.report(node.id, `Error code "${node.errorCode ?? ''}" is not in BPMN_ERRORS: use one of ${known.errorCodes.join(', ')}`);
    }
    if (node.$type === 'bpmn:Escalation' && !known.escalationCodes.includes(node.escalationCode)) {
      reporter.report(node.id, `Escalation code "${node.escalationCode ?? ''}" is not in ESCALATIONS: use one of ${known.escalationCodes.join(', ')}`);
    }
  }
  return { check };
};
