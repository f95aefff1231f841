/**
 * spe/task-headers: task headers have names of TASK_HEADERS and values the workers accept: a PermitStatus on
 * permit.set-status, an EgressStatus on permit.set-egress-status (and no status elsewhere), known event names,
 * a kebab-case template and a known audience on notification.send, an action like `setup.reviewed` and a known
 * stage on audit.record, a workspace phase and volume where the workspace workers need them, and `true`/`false`
 * for the flags.
 */
const known = require('../lib/known-names');
const { extension, extensions, oneOf } = require('../lib/moddle');

const FLAGS = ['critical', 'permanent', 'readOnly'];

module.exports = function taskHeaders() {
  function check(node, reporter) {
    const definition = extension(node, 'zeebe:TaskDefinition');
    if (!definition) return;
    const type = definition.type;
    const headers = {};
    for (const group of extensions(node, 'zeebe:TaskHeaders')) for (const header of group.values || []) headers[header.key] = header.value;
    const report = (message) => reporter.report(node.id, message);
    const { roles } = known;

    for (const name of Object.keys(headers)) {
      if (!known.taskHeaders.includes(name)) report(`Header "${name}" is not in TASK_HEADERS: use one of ${known.taskHeaders.join(', ')}`);
    }
    const { status, event, audience, phase, volume, stage, template, action } = headers;
    if (type === roles.setStatus) {
      if (!oneOf(known.permitStatuses, status)) report(`Status "${status ?? ''}" is not a PermitStatus: set the header status to one of shared/permit-status.ts`);
    } else if (type === roles.setEgressStatus) {
      if (!oneOf(known.egressStatuses, status)) report(`Status "${status ?? ''}" is not an EgressStatus: set the header status to one of ${known.egressStatuses.join(', ')}`);
    } else if (status !== undefined && known.taskTypes.includes(type)) {
      report(`A status header on ${type}, which takes none: remove it (only ${roles.setStatus} and ${roles.setEgressStatus} set a status)`);
    }
    if (event !== undefined && !oneOf(known.eventNames, event)) report(`Event "${event}" is not an EventName: use one of shared/events.ts`);
    if (type === roles.notificationSend) {
      if (!/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(template ?? '')) report(`Notification template "${template ?? ''}" is missing or not kebab-case: name a template of job-workers/notification/templates`);
      if (!oneOf(known.notificationAudiences, audience)) report(`Audience "${audience ?? ''}" is not in NOTIFICATION_AUDIENCES: use one of ${known.notificationAudiences.join(', ')}`);
    }
    if (type === roles.auditRecord) {
      if (!/^[a-z-]+(?:\.[a-z_-]+)+$/.test(action ?? '')) report(`Audit action "${action ?? ''}" is missing or not like "setup.reviewed": set the header action`);
      if (stage !== undefined && !oneOf([...known.reviewStages, ...known.workspacePhases], stage)) {
        report(`Audit stage "${stage}" is neither a review stage nor a workspace phase: use one of ${[...known.reviewStages, ...known.workspacePhases].join(', ')}`);
      }
    }
    const needsPhase = type === roles.workspaceProvision || type === roles.workspaceTeardown;
    if ((needsPhase || phase !== undefined) && !oneOf(known.workspacePhases, phase)) {
      report(`Phase "${phase ?? ''}" is not in WORKSPACE_PHASES: set the header phase to one of ${known.workspacePhases.join(', ')}`);
    }
    if ((type === roles.workspaceMountData || volume !== undefined) && !oneOf(known.workspaceVolumes, volume)) {
      report(`Volume "${volume ?? ''}" is not in WORKSPACE_VOLUMES: set the header volume to one of ${known.workspaceVolumes.join(', ')}`);
    }
    for (const flag of FLAGS) {
      if (headers[flag] !== undefined && !oneOf(['true', 'false'], headers[flag])) report(`Header ${flag} is "${headers[flag]}": it must be "true" or "false"`);
    }
  }
  return { check };
};
