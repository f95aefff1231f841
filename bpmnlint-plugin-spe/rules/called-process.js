/**
 * spe/called-process: a call activity calls a process of the series (PROCESS_IDS), by a fixed id.
 */
const known = require('../lib/known-names');
const { extension } = require('../lib/moddle');

module.exports = function calledProcess() {
  function check(node, reporter) {
    if (node.$type !== 'bpmn:CallActivity') return;
    const processId = (extension(node, 'zeebe:CalledElement') || {}).processId;
    if (!known.processIds.includes(processId)) {
      reporter.report(node.id, `Calls "${processId ?? ''}", not a process of PROCESS_IDS: set the called process id to one of ${known.processIds.join(', ')}`);
    }
  }
  return { check };
};
