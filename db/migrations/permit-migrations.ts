/**
 * Every Permit Manager migration, in order, and the knex migration source over them. Append only.
 */
import type { Knex } from 'knex';
import { permitsMigration } from './0001-permits.js';
import { egressRequestsAndReviewsMigration } from './0002-egress-requests-and-reviews.js';
import { workspacesMigration } from './0003-workspaces.js';
import { outboxEventsMigration } from './0004-outbox-events.js';
import { auditLogMigration } from './0005-audit-log.js';
import { notificationsMigration } from './0006-notifications.js';
import { reviewDecisionTaskMigration } from './0008-review-decision-task.js';
import { rateLimitCountersMigration } from './0009-rate-limit-counters.js';
import { idempotencyKeysMigration } from './0010-idempotency-keys.js';
import { engineCommandsMigration } from './0011-engine-commands.js';
import { airlockMigration } from './0012-airlock.js';
import { egressFilesMigration } from './0013-egress-files.js';
import { processStartCommandsMigration } from './0014-process-start-commands.js';
import { outputsSyncTokensMigration } from './0015-outputs-sync-tokens.js';
import { egressReleasePolicyMigration } from './0016-egress-release-policy.js';
import type { PermitMigration } from './permit-migration.js';

export const PERMIT_MIGRATIONS: readonly PermitMigration[] = [
  permitsMigration,
  egressRequestsAndReviewsMigration,
  workspacesMigration,
  outboxEventsMigration,
  auditLogMigration,
  notificationsMigration,
  reviewDecisionTaskMigration,
  rateLimitCountersMigration,
  idempotencyKeysMigration,
  engineCommandsMigration,
  airlockMigration,
  egressFilesMigration,
  processStartCommandsMigration,
  outputsSyncTokensMigration,
  egressReleasePolicyMigration,
];

/** Knex's bookkeeping table; named for this component so the engine (engine_knex_migrations) can share a database. */
export const MIGRATIONS_TABLE = 'permit_knex_migrations';

export function permitMigrationSource(): Knex.MigrationSource<PermitMigration> {
  return {
    getMigrations: () => Promise.resolve([...PERMIT_MIGRATIONS]),
    getMigrationName: (m) => m.name,
    getMigration: (m) => Promise.resolve({ up: (knex: Knex) => m.up(knex), down: (knex: Knex) => m.down(knex) }),
  };
}
