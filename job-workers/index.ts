/**
 * The job workers' public entry: start workers for every task type on the Permit Manager's database.
 *
 *   const workers = startPermitManagerWorkers({ knex, camunda: { restAddress }, logger });
 *   await workers.stop();
 */
import type { Knex } from 'knex';
import { createKnexAuditRecordStore } from './audit/knex-audit-record-store.js';
import { createKnexPermitWorkerStore } from './permit/knex-permit-worker-store.js';
import { TASK_TYPES } from '../shared/index.js';
import { createTaskHandlers, type TaskHandlerDeps } from './registry.js';
import { REVIEW_LISTENER_PARALLEL_JOBS } from './review/check-decision-handler.js';
import { createCamundaTaskLookups, type TaskLookupClient } from './review/camunda-task-lookups.js';
import { createKnexDecisionStore } from './review/knex-decision-store.js';
import type { TaskLookups } from './review/task-lookups.js';
import { startJobWorkers, type RunningJobWorkers, type StartJobWorkersOptions } from './runtime/start-job-workers.js';
import { createWorkerCamundaClient } from './runtime/worker-camunda-client.js';

export * from './runtime/index.js';
export { createTaskHandlers, SERVICE_TASK_TYPES, REGISTERED_TASK_TYPES, TASK_HANDLER_REGISTRY, type TaskHandlerDeps } from './registry.js';
export { createKnexPermitWorkerStore } from './permit/knex-permit-worker-store.js';
export { createKnexAuditRecordStore } from './audit/knex-audit-record-store.js';
export { createKnexDecisionStore, DECISION_AUDIT_ACTIONS } from './review/knex-decision-store.js';
export { createCamundaTaskLookups } from './review/camunda-task-lookups.js';
export type { TaskLookups } from './review/task-lookups.js';
export type { PermitWorkerStore } from './permit/permit-worker-store.js';
export type { AuditRecordStore } from './audit/audit-record-store.js';
export { AmendmentSchema, type AmendmentInput } from './permit/amendment-schema.js';
export type { MessagePublisher } from './permit/apply-amendment-handler.js';

/** The handlers' stores on one knex. */
export function createDatabaseHandlerDeps(
  knex: Knex,
  clock?: () => Date,
  services?: TaskHandlerDeps['services'],
  messages?: TaskHandlerDeps['messages'],
  lookups?: TaskLookups,
): TaskHandlerDeps {
  return {
    permits: createKnexPermitWorkerStore(knex),
    audit: createKnexAuditRecordStore(knex),
    decisions: createKnexDecisionStore(knex),
    ...(lookups ? { lookups } : {}),
    ...(clock ? { clock } : {}),
    ...(services ? { services } : {}),
    ...(messages ? { messages } : {}),
  };
}

/**
 * Workers for every task type (`TASK_TYPES`), handling jobs on the Permit Manager's database; `services` are the
 * notification and workspace handlers (a task type whose handler is left out gets no worker: its jobs wait).
 */
export function startPermitManagerWorkers(
  options: Omit<StartJobWorkersOptions, 'handlers'> & {
    knex: Knex;
    clock?: () => Date;
    services?: TaskHandlerDeps['services'];
    messages?: TaskHandlerDeps['messages'];
    /** The decision listener's engine reads; default: a client on `camunda` (the same settings as the workers). */
    lookups?: TaskLookups;
  },
): RunningJobWorkers {
  const { knex, clock, services, messages, lookups, ...rest } = options;
  const engineLookups = lookups ?? (rest.camunda ? createCamundaTaskLookups(lookupClient(rest.camunda)) : undefined);
  return startJobWorkers({
    ...rest,
    maxParallelJobsByType: { [TASK_TYPES.reviewCheckDecision]: REVIEW_LISTENER_PARALLEL_JOBS, ...rest.maxParallelJobsByType },
    handlers: createTaskHandlers(createDatabaseHandlerDeps(knex, clock, services, messages, engineLookups)),
  });
}

/** A client of its own for the decision listener's reads (workers' clients are busy long-polling). */
function lookupClient(camunda: NonNullable<StartJobWorkersOptions['camunda']>): TaskLookupClient {
  return createWorkerCamundaClient(camunda) as unknown as TaskLookupClient;
}
