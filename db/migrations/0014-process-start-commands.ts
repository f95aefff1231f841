/**
 * Issue 15, the lifecycle start on the engine-command outbox (docs/adr/0006-engine-commands.md, "Starting the
 * lifecycle process"): a permit's DRAFT and the command to start its lifecycle process are written in one
 * transaction, and whoever starts it (the request, else the relay) first takes a lease on the command row, so two
 * starters do not both start one.
 *
 * - `engine_commands.kind`: `message` (publish `message_name` with id `message_id`, as before) or `process-start`
 *   (start process `message_name` for the permit, unless an instance tagged with the permit exists already).
 * - `engine_commands.leased_until`: while in the future, one starter holds the command; nobody else starts it.
 */
import type { PermitMigration } from './permit-migration.js';
import { runStatements } from './permit-migration.js';

export const processStartCommandsMigration: PermitMigration = {
  name: '0014-process-start-commands',
  async up(knex) {
    await runStatements(knex, [
      `ALTER TABLE engine_commands ADD COLUMN kind text NOT NULL DEFAULT 'message' CONSTRAINT engine_commands_kind CHECK (kind IN ('message', 'process-start'))`,
      `ALTER TABLE engine_commands ADD COLUMN leased_until timestamptz NULL`,
    ]);
  },
  async down(knex) {
    await runStatements(knex, [`ALTER TABLE engine_commands DROP COLUMN leased_until`, `ALTER TABLE engine_commands DROP COLUMN kind`]);
  },
};
