/**
 * Issue 15: `Idempotency-Key` (draft-ietf-httpapi-idempotency-key-header) on the creating POSTs
 * (rest-api/platform/idempotency-key.ts). One row per caller and key: the request's fingerprint, and once answered
 * the answer (status, the headers worth repeating, body) to replay for 24 hours (`expires_at`).
 */
import type { PermitMigration } from './permit-migration.js';
import { runStatements } from './permit-migration.js';

export const idempotencyKeysMigration: PermitMigration = {
  name: '0010-idempotency-keys',
  async up(knex) {
    await runStatements(knex, [
      `CREATE TABLE idempotency_keys (
        caller text NOT NULL,
        key text NOT NULL,
        method text NOT NULL,
        path text NOT NULL,
        fingerprint text NOT NULL,
        status text NOT NULL CONSTRAINT idempotency_keys_status CHECK (status IN ('in-progress', 'done')),
        response_status integer NULL,
        response_headers jsonb NULL,
        response_body text NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        CONSTRAINT idempotency_keys_pkey PRIMARY KEY (caller, key),
        CONSTRAINT idempotency_keys_done_has_answer CHECK (status <> 'done' OR response_status IS NOT NULL)
      )`,
      `CREATE INDEX idempotency_keys_expires_at_idx ON idempotency_keys (expires_at)`,
    ]);
  },
  async down(knex) {
    await runStatements(knex, [`DROP TABLE idempotency_keys`]);
  },
};
