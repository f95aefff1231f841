/**
 * Issue 16: the tokens the workspace's outputs-sync Job puts files into its permit's outputs zone with
 * (airlock/outputs-token/). Only the SHA-256 of each secret is kept; a token is live until `expires_at` unless
 * `revoked_at` is set (a newer token, the sync no longer running, the permit's closure). Owned by airlock/.
 */
import type { PermitMigration } from './permit-migration.js';
import { runStatements } from './permit-migration.js';

export const outputsSyncTokensMigration: PermitMigration = {
  name: '0015-outputs-sync-tokens',
  async up(knex) {
    await runStatements(knex, [
      `CREATE TABLE outputs_sync_tokens (
        id text PRIMARY KEY,
        permit_id text NOT NULL REFERENCES permits(id) ON DELETE CASCADE,
        secret_sha256 text NOT NULL CONSTRAINT outputs_sync_tokens_sha256 CHECK (secret_sha256 ~ '^[0-9a-f]{64}$'),
        issued_by text NOT NULL,
        issued_at timestamptz NOT NULL,
        expires_at timestamptz NOT NULL,
        revoked_at timestamptz NULL,
        revoked_reason text NULL,
        CONSTRAINT outputs_sync_tokens_expiry CHECK (expires_at > issued_at)
      )`,
      `CREATE INDEX outputs_sync_tokens_live_idx ON outputs_sync_tokens (permit_id) WHERE revoked_at IS NULL`,
    ]);
  },
  async down(knex) {
    await runStatements(knex, ['DROP TABLE outputs_sync_tokens']);
  },
};
