/**
 * Task type → handler, for every job type of `TASK_TYPES` (the compiler checks completeness and that nothing else
 * slips in; `test/process/diagram-contracts` checks every service task of `bpmn/` has an entry).
 *
 *   const handlers = createTaskHandlers({ permits, audit });
 *   startJobWorkers({ handlers, camunda: { restAddress }, logger });
 */
import { ALL_TASK_TYPES, TASK_TYPES, type TaskType } from '../shared/index.js';
import { createRecordAuditHandler } from './audit/record-audit-handler.js';
import type { AuditStore } from './audit/audit-store.js';
import { createApplyAmendmentHandler } from './permit/apply-amendment-handler.js';
import { createIssuePermitHandler } from './permit/issue-permit-handler.js';
import type { PermitStore } from './permit/permit-store.js';
import { createPublishEventHandler } from './permit/publish-event-handler.js';
import { createRestoreStatusHandler } from './permit/restore-status-handler.js';
import { createSetEgressStatusHandler } from './permit/set-egress-status-handler.js';
import { createSetStatusHandler } from './permit/set-status-handler.js';
import { createPlaceholderHandler } from './placeholders/placeholder-handler.js';
import type { JobHandler } from './runtime/worker-job.js';

export interface TaskHandlerDeps {
  permits: PermitStore;
  audit: AuditStore;
  /** Time source for timestamps the handlers write (validity start, review decided at). */
  clock?: () => Date;
}

type HandlerFactory = (deps: TaskHandlerDeps) => JobHandler;

const placeholder: HandlerFactory = () => createPlaceholderHandler();

/** How each task type's handler is made. `satisfies` makes a missing or unknown task type a compile error. */
export const TASK_HANDLER_REGISTRY = {
  [TASK_TYPES.permitSetStatus]: createSetStatusHandler,
  [TASK_TYPES.permitRestoreStatus]: createRestoreStatusHandler,
  [TASK_TYPES.permitIssue]: createIssuePermitHandler,
  [TASK_TYPES.permitPublishEvent]: createPublishEventHandler,
  [TASK_TYPES.permitSetEgressStatus]: createSetEgressStatusHandler,
  [TASK_TYPES.permitApplyAmendment]: createApplyAmendmentHandler,
  [TASK_TYPES.auditRecord]: createRecordAuditHandler,
  // Placeholders until the notification (issue 6) and workspace (issue 5) workers land.
  [TASK_TYPES.notificationSend]: placeholder,
  [TASK_TYPES.workspaceProvision]: placeholder,
  [TASK_TYPES.workspaceScanIngress]: placeholder,
  [TASK_TYPES.workspaceEnableNetwork]: placeholder,
  [TASK_TYPES.workspaceDisableNetwork]: placeholder,
  [TASK_TYPES.workspaceFreeze]: placeholder,
  [TASK_TYPES.workspaceStart]: placeholder,
  [TASK_TYPES.workspaceMountData]: placeholder,
  [TASK_TYPES.workspaceMountOutputs]: placeholder,
  [TASK_TYPES.workspaceUnmount]: placeholder,
  [TASK_TYPES.workspaceReleaseOutputs]: placeholder,
  [TASK_TYPES.workspaceSyncAccess]: placeholder,
  [TASK_TYPES.workspaceSuspend]: placeholder,
  [TASK_TYPES.workspaceResume]: placeholder,
  [TASK_TYPES.workspaceTeardown]: placeholder,
  [TASK_TYPES.workspaceArchive]: placeholder,
  [TASK_TYPES.workspaceDeleteData]: placeholder,
} as const satisfies Record<TaskType, HandlerFactory>;

/** Every task type with a handler (all of `TASK_TYPES`). */
export const REGISTERED_TASK_TYPES: readonly TaskType[] = ALL_TASK_TYPES.filter((type) => type in TASK_HANDLER_REGISTRY);

/** Task types still served by a placeholder. */
export const PLACEHOLDER_TASK_TYPES: readonly TaskType[] = REGISTERED_TASK_TYPES.filter((type) => TASK_HANDLER_REGISTRY[type] === placeholder);

export function createTaskHandlers(deps: TaskHandlerDeps): Record<TaskType, JobHandler> {
  const entries = REGISTERED_TASK_TYPES.map((type) => [type, TASK_HANDLER_REGISTRY[type](deps)] as const);
  return Object.fromEntries(entries) as Record<TaskType, JobHandler>;
}
