/**
 * Notifications (issue 6): the per-user in-app list, the delivery ledger that sends every message once per
 * recipient per channel, the users' channel preferences, and the directory telling the workers how to reach
 * a person (display name, email, Slack id). None of these reference `permits`: like the outbox and the audit
 * log, a message that was sent outlives what it was about, and the directory is about people, not permits.
 */
import type { PermitMigration } from './permit-migration.js';
import { runStatements } from './permit-migration.js';

export const notificationsMigration: PermitMigration = {
  name: '0006-notifications',
  async up(knex) {
    await runStatements(knex, [
      `CREATE TABLE notifications (
        id text PRIMARY KEY,
        user_id text NOT NULL,
        permit_id text NULL,
        template text NOT NULL,
        title text NOT NULL,
        body text NOT NULL,
        link text NULL,
        critical boolean NOT NULL DEFAULT false,
        idempotency_key text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        read_at timestamptz NULL,
        -- One in-app message per recipient per notification, however often the job is delivered.
        CONSTRAINT notifications_idempotency_key_user_id_unique UNIQUE (idempotency_key, user_id)
      )`,
      // A user's list, newest first, paged by (created_at, id).
      `CREATE INDEX notifications_user_id_created_at_idx ON notifications (user_id, created_at, id)`,
      // Unread counts and "mark all read".
      `CREATE INDEX notifications_user_id_unread_idx ON notifications (user_id) WHERE read_at IS NULL`,

      // The ledger. status: claimed (a delivery is sending it; claimed_at is the lease) → sent (delivered_at set)
      // or failed (the send failed; the next delivery of the job may claim it again).
      `CREATE TABLE notification_deliveries (
        idempotency_key text NOT NULL,
        channel text NOT NULL,
        recipient text NOT NULL,
        permit_id text NULL,
        template text NOT NULL,
        status text NOT NULL,
        claimed_at timestamptz NOT NULL DEFAULT now(),
        delivered_at timestamptz NULL,
        attempts integer NOT NULL DEFAULT 1,
        last_error text NULL,
        detail jsonb NOT NULL DEFAULT '{}'::jsonb,
        PRIMARY KEY (idempotency_key, channel, recipient),
        CONSTRAINT notification_deliveries_status CHECK (status IN ('claimed', 'sent', 'failed')),
        CONSTRAINT notification_deliveries_sent_has_time CHECK ((status = 'sent') = (delivered_at IS NOT NULL)),
        CONSTRAINT notification_deliveries_detail_object CHECK (jsonb_typeof(detail) = 'object')
      )`,
      `CREATE INDEX notification_deliveries_permit_id_idx ON notification_deliveries (permit_id) WHERE permit_id IS NOT NULL`,

      // A missing row means the channel is on.
      `CREATE TABLE notification_preferences (
        user_id text NOT NULL,
        channel text NOT NULL,
        enabled boolean NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (user_id, channel)
      )`,

      `CREATE TABLE user_directory (
        user_id text PRIMARY KEY,
        display_name text NOT NULL,
        email text NULL,
        slack_user_id text NULL,
        roles jsonb NOT NULL DEFAULT '[]'::jsonb,
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT user_directory_roles_array CHECK (jsonb_typeof(roles) = 'array')
      )`,
    ]);
  },
  async down(knex) {
    await runStatements(knex, ['DROP TABLE user_directory', 'DROP TABLE notification_preferences', 'DROP TABLE notification_deliveries', 'DROP TABLE notifications']);
  },
};
