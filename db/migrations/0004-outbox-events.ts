/**
 * The transactional outbox: events written in the same transaction as the change they announce, published
 * afterwards by the relay (RabbitMQ and the in-app stream). `seq` orders them; `id` is what consumers
 * de-duplicate on.
 */
import type { PermitMigration } from './permit-migration.js';
import { runStatements } from './permit-migration.js';

export const outboxEventsMigration: PermitMigration = {
  name: '0004-outbox-events',
  async up(knex) {
    await runStatements(knex, [
      `CREATE TABLE outbox_events (
        seq bigserial PRIMARY KEY,
        id text NOT NULL,
        name text NOT NULL,
        permit_id text NULL,
        payload jsonb NOT NULL,
        occurred_at timestamptz NOT NULL DEFAULT now(),
        published_at timestamptz NULL,
        attempts integer NOT NULL DEFAULT 0,
        last_error text NULL,
        CONSTRAINT outbox_events_id_unique UNIQUE (id)
      )`,
      // The relay's query: the oldest unpublished events. Stays small however long the table grows.
      `CREATE INDEX outbox_events_unpublished_idx ON outbox_events (seq) WHERE published_at IS NULL`,
      // Replaying one permit's events (the in-app stream after a reconnect).
      `CREATE INDEX outbox_events_permit_id_idx ON outbox_events (permit_id, seq) WHERE permit_id IS NOT NULL`,
    ]);
  },
  async down(knex) {
    await runStatements(knex, ['DROP TABLE outbox_events']);
  },
};
