/**
 * Issue 15, the four open points of "reliability and security":
 *
 * - `engine_commands`: the messages the Permit Manager owes the process engine, written in the same transaction
 *   as the action's audit entry and delivered afterwards by publishing with `messageId` = the row's id, so a
 *   delivery repeated after a crash is refused by the engine as a duplicate (docs/adr/0006-engine-commands.md).
 * - `idempotency_keys.resource_id`: the record an `Idempotency-Key` created, written in the create's own
 *   transaction, so a retry after a crash finds it instead of creating a second one.
 * - `event_stream_leases`: the open event streams of every instance, so the per-user limit holds across
 *   instances; a lease an instance stopped renewing (it died) expires.
 */
import type { PermitMigration } from './permit-migration.js';
import { runStatements } from './permit-migration.js';

export const engineCommandsMigration: PermitMigration = {
  name: '0011-engine-commands',
  async up(knex) {
    await runStatements(knex, [
      `CREATE TABLE engine_commands (
        message_id text NOT NULL,
        permit_id text NOT NULL,
        message_name text NOT NULL,
        correlation_key text NOT NULL,
        variables jsonb NOT NULL,
        status text NOT NULL DEFAULT 'pending' CONSTRAINT engine_commands_status CHECK (status IN ('pending', 'delivered', 'stale')),
        attempts integer NOT NULL DEFAULT 0,
        last_error text NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        delivered_at timestamptz NULL,
        CONSTRAINT engine_commands_pkey PRIMARY KEY (message_id)
      )`,
      `CREATE INDEX engine_commands_pending_idx ON engine_commands (created_at) WHERE status = 'pending'`,
      `CREATE INDEX engine_commands_permit_id_idx ON engine_commands (permit_id)`,
      `ALTER TABLE idempotency_keys ADD COLUMN resource_id text NULL`,
      `CREATE TABLE event_stream_leases (
        stream_id text NOT NULL,
        user_id text NOT NULL,
        instance_id text NOT NULL,
        opened_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        CONSTRAINT event_stream_leases_pkey PRIMARY KEY (stream_id)
      )`,
      `CREATE INDEX event_stream_leases_user_id_idx ON event_stream_leases (user_id, expires_at)`,
    ]);
  },
  async down(knex) {
    await runStatements(knex, [`DROP TABLE event_stream_leases`, `ALTER TABLE idempotency_keys DROP COLUMN resource_id`, `DROP TABLE engine_commands`]);
  },
};
