/**
 * Task type → handler, for every job type of `TASK_TYPES` (the compiler checks completeness and that nothing else
 * slips in; the lint rule `spe/task-type-handled` checks every service task of `bpmn/` has an entry).
 *
 *   const handlers = createTaskHandlers({ permits, audit });
 *   startJobWorkers({ handlers, camunda: { restAddress }, logger });
 */
import { ALL_TASK_TYPES, TASK_TYPES, type TaskType } from '../shared/index.js';
import { createRecordAuditHandler } from './audit/record-audit-handler.js';
import type { AuditRecordStore } from './audit/audit-record-store.js';
import { createApplyAmendmentHandler, type MessagePublisher } from './permit/apply-amendment-handler.js';
import { createIssuePermitHandler } from './permit/issue-permit-handler.js';
import type { PermitWorkerStore } from './permit/permit-worker-store.js';
import { createPublishEventHandler } from './permit/publish-event-handler.js';
import { createRestoreStatusHandler } from './permit/restore-status-handler.js';
import { createSetEgressStatusHandler } from './permit/set-egress-status-handler.js';
import { createSetStatusHandler } from './permit/set-status-handler.js';
import type { JobHandler } from './runtime/worker-job.js';
import { TransientError } from './runtime/job-errors.js';
import { createCheckDecisionHandler } from './review/check-decision-handler.js';
import type { DecisionStore } from './review/decision-store.js';
import type { TaskLookups } from './review/task-lookups.js';

export interface TaskHandlerDeps {
  permits: PermitWorkerStore;
  audit: AuditRecordStore;
  /** Publishes messages to the engine (`permit.apply-amendment` tells a running analysis its new end date). */
  messages?: MessagePublisher;
  /** The decision listener's database reads and records (`review.check-decision`). */
  decisions?: DecisionStore;
  /** The decision listener's engine reads: the task's form, the values its process instance holds. */
  lookups?: TaskLookups;
  /** Time source for timestamps the handlers write (validity start, review decided at). */
  clock?: () => Date;
  /**
   * Handlers built by the other services in their own folders (`createNotificationHandler`,
   * `createWorkspaceHandlers`). A service task type left out gets no handler and so no worker: its jobs wait in
   * the engine, visible in Operate and `/v2/jobs/search`, until a worker for it starts.
   */
  services?: Partial<Record<TaskType, JobHandler>>;
}

/** Makes a task type's handler; `undefined` when the service that serves it is not wired (then nothing serves it). */
type HandlerFactory = (deps: TaskHandlerDeps) => JobHandler | undefined;

/** The other service's handler for `type` when wired; otherwise none, so no worker takes (and completes) its jobs. */
const fromService =
  (type: TaskType): HandlerFactory =>
  (deps) =>
    deps.services?.[type];

/** The decision listener, when its database and engine reads are wired; otherwise its jobs wait (retried, never accepted). */
const checkDecision: HandlerFactory = (deps) => {
  const { decisions, lookups } = deps;
  if (decisions && lookups) return createCheckDecisionHandler({ decisions, lookups });
  return () => Promise.reject(new TransientError('the decision listener is not wired to the database and the engine (TaskHandlerDeps.decisions, lookups)'));
};

/** How each task type's handler is made. `satisfies` makes a missing or unknown task type a compile error. */
export const TASK_HANDLER_REGISTRY = {
  [TASK_TYPES.permitSetStatus]: createSetStatusHandler,
  [TASK_TYPES.permitRestoreStatus]: createRestoreStatusHandler,
  [TASK_TYPES.permitIssue]: createIssuePermitHandler,
  [TASK_TYPES.permitPublishEvent]: createPublishEventHandler,
  [TASK_TYPES.permitSetEgressStatus]: createSetEgressStatusHandler,
  [TASK_TYPES.permitApplyAmendment]: createApplyAmendmentHandler,
  [TASK_TYPES.auditRecord]: createRecordAuditHandler,
  [TASK_TYPES.reviewCheckDecision]: checkDecision,
  // Served by the notification and workspace services (their own folders), handed in as `deps.services`.
  [TASK_TYPES.notificationSend]: fromService(TASK_TYPES.notificationSend),
  [TASK_TYPES.workspaceProvision]: fromService(TASK_TYPES.workspaceProvision),
  [TASK_TYPES.workspaceScanIngress]: fromService(TASK_TYPES.workspaceScanIngress),
  [TASK_TYPES.workspacePromoteDelivery]: fromService(TASK_TYPES.workspacePromoteDelivery),
  [TASK_TYPES.workspaceEnableNetwork]: fromService(TASK_TYPES.workspaceEnableNetwork),
  [TASK_TYPES.workspaceDisableNetwork]: fromService(TASK_TYPES.workspaceDisableNetwork),
  [TASK_TYPES.workspaceFreeze]: fromService(TASK_TYPES.workspaceFreeze),
  [TASK_TYPES.workspaceStart]: fromService(TASK_TYPES.workspaceStart),
  [TASK_TYPES.workspaceMountData]: fromService(TASK_TYPES.workspaceMountData),
  [TASK_TYPES.workspaceMountOutputs]: fromService(TASK_TYPES.workspaceMountOutputs),
  [TASK_TYPES.workspaceUnmount]: fromService(TASK_TYPES.workspaceUnmount),
  [TASK_TYPES.workspaceReleaseOutputs]: fromService(TASK_TYPES.workspaceReleaseOutputs),
  [TASK_TYPES.workspaceSyncAccess]: fromService(TASK_TYPES.workspaceSyncAccess),
  [TASK_TYPES.workspaceSuspend]: fromService(TASK_TYPES.workspaceSuspend),
  [TASK_TYPES.workspaceResume]: fromService(TASK_TYPES.workspaceResume),
  [TASK_TYPES.workspaceTeardown]: fromService(TASK_TYPES.workspaceTeardown),
  [TASK_TYPES.workspaceArchive]: fromService(TASK_TYPES.workspaceArchive),
  [TASK_TYPES.workspaceDeleteData]: fromService(TASK_TYPES.workspaceDeleteData),
} as const satisfies Record<TaskType, HandlerFactory>;

/** Every task type with a handler (all of `TASK_TYPES`). */
export const REGISTERED_TASK_TYPES: readonly TaskType[] = ALL_TASK_TYPES.filter((type) => type in TASK_HANDLER_REGISTRY);

/** Task types served by another service's handlers (no handler, so no worker, when that service is not wired). */
export const SERVICE_TASK_TYPES: readonly TaskType[] = REGISTERED_TASK_TYPES.filter((type) => /^(workspace|notification)\./.test(type));

/** The handler of every task type that has one with these deps; a service task type whose service is not wired is left out. */
export function createTaskHandlers(deps: TaskHandlerDeps): Partial<Record<TaskType, JobHandler>> {
  const handlers: Partial<Record<TaskType, JobHandler>> = {};
  for (const type of REGISTERED_TASK_TYPES) {
    const handler = TASK_HANDLER_REGISTRY[type](deps);
    if (handler) handlers[type] = handler;
  }
  return handlers;
}
