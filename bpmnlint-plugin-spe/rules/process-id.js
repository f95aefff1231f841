/**
 * spe/process-id: every executable process has an id of PROCESS_IDS (shared/process-ids.ts), so the platform
 * (which starts and correlates by id) finds it.
 */
const known = require('../lib/known-names');

module.exports = function processId() {
  function check(node, reporter) {
    if (node.$type !== 'bpmn:Process' || node.isExecutable !== true) return;
    if (!known.processIds.includes(node.id)) {
      reporter.report(node.id, `Process id "${node.id}" is not one of PROCESS_IDS: use one of ${known.processIds.join(', ')}, or add it to shared/process-ids.ts and regenerate known-names.json`);
    }
  }
  return { check };
};
