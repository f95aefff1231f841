/**
 * Issue 15: rate-limit counters shared by every Permit Manager instance on one PostgreSQL (rest-api/platform/
 * pg-rate-limit-store.ts): one row per caller key and one-minute window. UNLOGGED: counters are worth nothing
 * after a crash (a reset limit is harmless) and skip the write-ahead log on every request.
 */
import type { PermitMigration } from './permit-migration.js';
import { runStatements } from './permit-migration.js';

export const rateLimitCountersMigration: PermitMigration = {
  name: '0009-rate-limit-counters',
  async up(knex) {
    await runStatements(knex, [
      `CREATE UNLOGGED TABLE rate_limit_counters (
        key text PRIMARY KEY,
        hits integer NOT NULL,
        reset_at timestamptz NOT NULL
      )`,
      `CREATE INDEX rate_limit_counters_reset_at_idx ON rate_limit_counters (reset_at)`,
    ]);
  },
  async down(knex) {
    await runStatements(knex, [`DROP TABLE rate_limit_counters`]);
  },
};
