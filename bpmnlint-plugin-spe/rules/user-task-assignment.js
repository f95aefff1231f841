/**
 * spe/user-task-assignment: every user task names candidate groups, all of CANDIDATE_GROUPS (the REST API maps
 * token roles onto them), and a due date (`zeebe:taskSchedule dueDate`), so the task reaches the right inbox in time.
 */
const known = require('../lib/known-names');
const { extension } = require('../lib/moddle');

module.exports = function userTaskAssignment() {
  function check(node, reporter) {
    if (node.$type !== 'bpmn:UserTask') return;
    const groups = ((extension(node, 'zeebe:AssignmentDefinition') || {}).candidateGroups || '')
      .split(',')
      .map((group) => group.trim())
      .filter(Boolean);
    if (groups.length === 0) reporter.report(node.id, `No candidate groups: set one of ${known.candidateGroups.join(', ')}`);
    for (const group of groups) {
      if (!known.candidateGroups.includes(group)) reporter.report(node.id, `Candidate group "${group}" is not in CANDIDATE_GROUPS: use one of ${known.candidateGroups.join(', ')}`);
    }
    if (!/\S/.test((extension(node, 'zeebe:TaskSchedule') || {}).dueDate || '')) reporter.report(node.id, 'No due date: set zeebe:taskSchedule dueDate (e.g. =now() + duration("P5D"))');
  }
  return { check };
};
