/**
 * The audit log: an append-only hash chain. `seq` is gapless (1, 2, 3, …) and assigned from the one-row
 * `audit_chain_head`, which appends lock FOR UPDATE, so entries are written strictly one after another.
 * A trigger refuses UPDATE and DELETE on `audit_log`; a DBA can still disable it (that is what the hash chain
 * and `verifyAuditLog` are for).
 */
import type { PermitMigration } from './permit-migration.js';
import { runStatements } from './permit-migration.js';

/** prev_hash of the first entry. Fixed forever (the same value as GENESIS_HASH in db/audit/audit-hash.ts). */
const GENESIS = '0'.repeat(64);

export const auditLogMigration: PermitMigration = {
  name: '0005-audit-log',
  async up(knex) {
    await runStatements(knex, [
      `CREATE TABLE audit_log (
        seq bigint PRIMARY KEY,
        occurred_at timestamptz NOT NULL,
        actor text NOT NULL,
        action text NOT NULL,
        permit_id text NULL,
        details jsonb NOT NULL DEFAULT '{}'::jsonb,
        idempotency_key text NULL,
        prev_hash text NOT NULL,
        hash text NOT NULL,
        CONSTRAINT audit_log_seq_positive CHECK (seq >= 1),
        CONSTRAINT audit_log_idempotency_key_unique UNIQUE (idempotency_key)
      )`,
      `CREATE INDEX audit_log_permit_id_idx ON audit_log (permit_id, seq) WHERE permit_id IS NOT NULL`,

      `CREATE TABLE audit_chain_head (
        id boolean PRIMARY KEY DEFAULT true,
        last_seq bigint NOT NULL,
        last_hash text NOT NULL,
        CONSTRAINT audit_chain_head_one_row CHECK (id)
      )`,
      `INSERT INTO audit_chain_head (id, last_seq, last_hash) VALUES (true, 0, '${GENESIS}')`,

      `CREATE FUNCTION audit_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_log is append-only: % of entry % refused', TG_OP, OLD.seq
          USING HINT = 'Audit entries are never changed or removed; see docs/database.md.';
      END
      $$`,
      `CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
        FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change()`,
    ]);
  },
  async down(knex) {
    await runStatements(knex, ['DROP TABLE audit_chain_head', 'DROP TABLE audit_log', 'DROP FUNCTION audit_log_refuse_change()']);
  },
};
