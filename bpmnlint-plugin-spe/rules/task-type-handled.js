/**
 * spe/task-type-handled: every job type (service, send, script tasks and intermediate events with
 * `zeebe:taskDefinition`, and user task listeners) is a type of TASK_TYPES with a handler in
 * job-workers/registry.ts. A type without a handler makes jobs no worker ever takes: the instance waits forever.
 */
const known = require('../lib/known-names');
const { extension, extensions } = require('../lib/moddle');

module.exports = function taskTypeHandled() {
  function checkType(id, type, what, reporter) {
    if (!known.taskTypes.includes(type)) {
      reporter.report(id, `${what} "${type ?? ''}" is not in TASK_TYPES (shared/task-types.ts): pick a known type, or add the type there with a handler and regenerate known-names.json`);
    } else if (!known.handledTaskTypes.includes(type)) {
      reporter.report(id, `${what} "${type}" has no handler in job-workers/registry.ts: add one (and regenerate known-names.json), or jobs of this task are never taken`);
    }
  }

  function check(node, reporter) {
    const definition = extension(node, 'zeebe:TaskDefinition');
    if (definition) checkType(node.id, definition.type, 'Job type', reporter);
    for (const group of extensions(node, 'zeebe:TaskListeners')) {
      for (const listener of group.listeners || []) checkType(node.id, listener.type, 'Task listener type', reporter);
    }
  }
  return { check };
};
