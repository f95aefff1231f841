/**
 * Job types of the service tasks in `bpmn/`, named `<service>.<action>`, and of the one user task listener
 * (`review.check-decision`). Task headers carry the parameters so one handler serves many tasks; `TASK_HEADERS`
 * names them. `job-workers/registry.ts` maps each type to its handler.
 */
export const TASK_TYPES = {
  // Permit Manager (job-workers/permit/)
  permitSetStatus: 'permit.set-status',
  permitRestoreStatus: 'permit.restore-status',
  permitIssue: 'permit.issue',
  permitPublishEvent: 'permit.publish-event',
  permitSetEgressStatus: 'permit.set-egress-status',
  permitApplyAmendment: 'permit.apply-amendment',
  // Audit (job-workers/audit/)
  auditRecord: 'audit.record',
  // Decision rules (job-workers/review/): the completing task listener of every decision user task
  // (`zeebe:taskListener eventType="completing"`, see DECISION_TASKS), not a service task.
  reviewCheckDecision: 'review.check-decision',
  // Notifications (job-workers/notification/)
  notificationSend: 'notification.send',
  // Workspace provisioning (job-workers/workspace/)
  workspaceProvision: 'workspace.provision',
  workspaceScanIngress: 'workspace.scan-ingress',
  workspacePromoteDelivery: 'workspace.promote-delivery',
  workspaceEnableNetwork: 'workspace.enable-network',
  workspaceDisableNetwork: 'workspace.disable-network',
  workspaceFreeze: 'workspace.freeze',
  workspaceStart: 'workspace.start',
  workspaceMountData: 'workspace.mount-data',
  workspaceMountOutputs: 'workspace.mount-outputs',
  workspaceUnmount: 'workspace.unmount',
  workspaceReleaseOutputs: 'workspace.release-outputs',
  workspaceSyncAccess: 'workspace.sync-access',
  workspaceSuspend: 'workspace.suspend',
  workspaceResume: 'workspace.resume',
  workspaceTeardown: 'workspace.teardown',
  workspaceArchive: 'workspace.archive',
  workspaceDeleteData: 'workspace.delete-data',
} as const;

export type TaskType = (typeof TASK_TYPES)[keyof typeof TASK_TYPES];
export const ALL_TASK_TYPES: readonly TaskType[] = Object.values(TASK_TYPES);

/** Task header names (`zeebe:taskHeaders`). */
export const TASK_HEADERS = {
  /** permit.set-status / permit.set-egress-status: the status to set. */
  status: 'status',
  /** permit.set-status, permit.restore-status, permit.publish-event, permit.set-egress-status, permit.issue: domain event to publish with the change. */
  event: 'event',
  /** permit.set-status: why, in words, for the history and audit trail. */
  reason: 'reason',
  /** notification.send: template id (`notifications/templates/<id>`). */
  template: 'template',
  /** notification.send: who, one of `NOTIFICATION_AUDIENCES`. */
  audience: 'audience',
  /** notification.send: whether preferences may silence it (`true` for suspension, revocation, security). */
  critical: 'critical',
  /** audit.record: action recorded, e.g. `setup.reviewed`. */
  action: 'action',
  /** audit.record / workspace.*: lifecycle stage, one of `REVIEW_STAGES` or a workspace phase. */
  stage: 'stage',
  /** workspace.provision / workspace.teardown: which workspace, one of `WORKSPACE_PHASES`. */
  phase: 'phase',
  /** workspace.enable-network: `proxied` (allow-listed proxy only). */
  mode: 'mode',
  /** workspace.disable-network: `true` when internet must never come back (analysis). */
  permanent: 'permanent',
  /** workspace.mount-data / workspace.unmount: volume, one of `WORKSPACE_VOLUMES`. */
  volume: 'volume',
  /** workspace.mount-data: `true` to mount read-only. */
  readOnly: 'readOnly',
} as const;

export const WORKSPACE_PHASES = ['ingress', 'preprocessing', 'setup', 'analysis'] as const;
export type WorkspacePhase = (typeof WORKSPACE_PHASES)[number];

export const WORKSPACE_VOLUMES = ['raw', 'prepared', 'outputs'] as const;
export type WorkspaceVolume = (typeof WORKSPACE_VOLUMES)[number];

export const NOTIFICATION_AUDIENCES = ['research-team', 'hdab-reviewers', 'data-holders', 'everyone', 'hdab-and-data-holders', 'research-team-and-hdab', 'operators'] as const;
export type NotificationAudience = (typeof NOTIFICATION_AUDIENCES)[number];
