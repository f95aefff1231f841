/**
 * spe/message-contract: every message is one of MESSAGES with the correlation key of MESSAGE_CONTRACTS
 * (shared/messages.ts), which the REST API correlates by; a message that only starts a process may have none.
 * Every message event references a message.
 */
const known = require('../lib/known-names');
const { descendants, extension } = require('../lib/moddle');

/** Whether every message event of the document using `message` is a start event of a process (not of a sub-process). */
function onlyStartsProcess(definitions, message) {
  return descendants(definitions)
    .filter((el) => el.$type === 'bpmn:MessageEventDefinition' && el.messageRef === message)
    .every((definition) => {
      const event = definition.$parent;
      return event && event.$type === 'bpmn:StartEvent' && event.$parent && event.$parent.$type === 'bpmn:Process';
    });
}

module.exports = function messageContract() {
  function check(node, reporter) {
    if (node.$type === 'bpmn:MessageEventDefinition') {
      if (!node.messageRef) {
        const event = node.$parent || {};
        reporter.report(event.id, 'The message event references no message: pick a global message of MESSAGES');
      }
      return;
    }
    if (node.$type !== 'bpmn:Message') return;
    const name = node.name;
    if (!(name in known.messages)) {
      reporter.report(node.id, `Message "${name ?? ''}" is not in MESSAGES: use one of shared/messages.ts (the REST API sends only those)`);
      return;
    }
    const correlationKey = (extension(node, 'zeebe:Subscription') || {}).correlationKey;
    if (correlationKey === undefined && onlyStartsProcess(node.$parent, node)) return;
    if (correlationKey !== known.messages[name]) {
      reporter.report(node.id, `Message "${name}" has correlation key "${correlationKey ?? ''}", MESSAGE_CONTRACTS says "${known.messages[name]}": set that key`);
    }
  }
  return { check };
};
