/**
 * The job workers' public entry: start workers for every task type on the Permit Manager's database.
 *
 *   const workers = startPermitManagerWorkers({ knex, camunda: { restAddress }, logger });
 *   await workers.stop();
 */
import type { Knex } from 'knex';
import { createKnexAuditStore } from './audit/knex-audit-store.js';
import { createKnexPermitStore } from './permit/knex-permit-store.js';
import { createTaskHandlers, type TaskHandlerDeps } from './registry.js';
import { startJobWorkers, type RunningJobWorkers, type StartJobWorkersOptions } from './runtime/start-job-workers.js';

export * from './runtime/index.js';
export { createTaskHandlers, SERVICE_TASK_TYPES, REGISTERED_TASK_TYPES, TASK_HANDLER_REGISTRY, type TaskHandlerDeps } from './registry.js';
export { createKnexPermitStore } from './permit/knex-permit-store.js';
export { createKnexAuditStore } from './audit/knex-audit-store.js';
export type { PermitStore } from './permit/permit-store.js';
export type { AuditStore } from './audit/audit-store.js';
export { AmendmentSchema, type AmendmentInput } from './permit/amendment-schema.js';
export type { MessagePublisher } from './permit/apply-amendment-handler.js';
export { PLACEHOLDER_WARNING } from './placeholders/placeholder-handler.js';

/** The handlers' stores on one knex. */
export function createDatabaseHandlerDeps(
  knex: Knex,
  clock?: () => Date,
  services?: TaskHandlerDeps['services'],
  messages?: TaskHandlerDeps['messages'],
): TaskHandlerDeps {
  return { permits: createKnexPermitStore(knex), audit: createKnexAuditStore(knex), ...(clock ? { clock } : {}), ...(services ? { services } : {}), ...(messages ? { messages } : {}) };
}

/**
 * Workers for every task type (`TASK_TYPES`), handling jobs on the Permit Manager's database; `services` are the
 * notification and workspace handlers (placeholders stand in for any left out).
 */
export function startPermitManagerWorkers(
  options: Omit<StartJobWorkersOptions, 'handlers'> & { knex: Knex; clock?: () => Date; services?: TaskHandlerDeps['services']; messages?: TaskHandlerDeps['messages'] },
): RunningJobWorkers {
  const { knex, clock, services, messages, ...rest } = options;
  return startJobWorkers({ ...rest, handlers: createTaskHandlers(createDatabaseHandlerDeps(knex, clock, services, messages)) });
}
