/** Permits, their team members and their status history. */
import type { PermitMigration } from './permit-migration.js';
import { runStatements } from './permit-migration.js';

export const permitsMigration: PermitMigration = {
  name: '0001-permits',
  async up(knex) {
    await runStatements(knex, [
      `CREATE TABLE permits (
        id text PRIMARY KEY,
        title text NOT NULL,
        purpose text NOT NULL,
        status text NOT NULL,
        valid_from timestamptz NULL,
        valid_until timestamptz NULL,
        deletion_grace_period text NULL,
        process_instance_key text NULL,
        created_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1,
        CONSTRAINT permits_version_positive CHECK (version >= 1),
        CONSTRAINT permits_validity_ordered CHECK (valid_from IS NULL OR valid_until IS NULL OR valid_until > valid_from)
      )`,
      `CREATE INDEX permits_status_idx ON permits (status)`,
      // Listing newest first with a (created_at, id) cursor.
      `CREATE INDEX permits_created_at_id_idx ON permits (created_at, id)`,
      // One lifecycle process instance belongs to one permit.
      `CREATE UNIQUE INDEX permits_process_instance_key_idx ON permits (process_instance_key) WHERE process_instance_key IS NOT NULL`,

      `CREATE TABLE permit_members (
        permit_id text NOT NULL REFERENCES permits (id) ON DELETE CASCADE,
        user_id text NOT NULL,
        team_role text NOT NULL,
        added_by text NOT NULL,
        added_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (permit_id, user_id, team_role)
      )`,
      // "Which permits is this caller on?"
      `CREATE INDEX permit_members_user_id_idx ON permit_members (user_id)`,

      `CREATE TABLE permit_status_history (
        id bigserial PRIMARY KEY,
        permit_id text NOT NULL REFERENCES permits (id) ON DELETE CASCADE,
        previous_status text NULL,
        new_status text NOT NULL,
        actor text NOT NULL,
        reason text NULL,
        version integer NOT NULL,
        process_instance_key text NULL,
        occurred_at timestamptz NOT NULL DEFAULT now()
      )`,
      `CREATE INDEX permit_status_history_permit_id_idx ON permit_status_history (permit_id, id)`,
    ]);
  },
  async down(knex) {
    await runStatements(knex, ['DROP TABLE permit_status_history', 'DROP TABLE permit_members', 'DROP TABLE permits']);
  },
};
