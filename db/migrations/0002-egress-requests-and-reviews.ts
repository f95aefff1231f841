/** Egress (output) requests and the review decisions taken on permits and egress requests. */
import type { PermitMigration } from './permit-migration.js';
import { runStatements } from './permit-migration.js';

export const egressRequestsAndReviewsMigration: PermitMigration = {
  name: '0002-egress-requests-and-reviews',
  async up(knex) {
    await runStatements(knex, [
      `CREATE TABLE egress_requests (
        id text PRIMARY KEY,
        permit_id text NOT NULL REFERENCES permits (id) ON DELETE CASCADE,
        status text NOT NULL,
        title text NOT NULL,
        files jsonb NOT NULL DEFAULT '[]'::jsonb,
        disclosure_checks jsonb NULL,
        required_reviews integer NOT NULL DEFAULT 1,
        created_by text NOT NULL,
        submitted_by text NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1,
        CONSTRAINT egress_requests_files_array CHECK (jsonb_typeof(files) = 'array'),
        CONSTRAINT egress_requests_required_reviews CHECK (required_reviews IN (1, 2)),
        CONSTRAINT egress_requests_version_positive CHECK (version >= 1)
      )`,
      `CREATE INDEX egress_requests_permit_id_idx ON egress_requests (permit_id, created_at)`,

      `CREATE TABLE review_decisions (
        id text PRIMARY KEY,
        permit_id text NOT NULL REFERENCES permits (id) ON DELETE CASCADE,
        stage text NOT NULL,
        decision text NOT NULL,
        comment text NULL,
        checklist jsonb NULL,
        reviewer text NOT NULL,
        submitted_by text NULL,
        egress_request_id text NULL REFERENCES egress_requests (id) ON DELETE CASCADE,
        user_task_key text NULL,
        decided_at timestamptz NOT NULL DEFAULT now(),
        -- One decision per completed user task: a retried review request cannot record it twice.
        CONSTRAINT review_decisions_user_task_key_unique UNIQUE (user_task_key)
      )`,
      `CREATE INDEX review_decisions_permit_id_idx ON review_decisions (permit_id, decided_at)`,
      `CREATE INDEX review_decisions_egress_request_id_idx ON review_decisions (egress_request_id) WHERE egress_request_id IS NOT NULL`,
    ]);
  },
  async down(knex) {
    await runStatements(knex, ['DROP TABLE review_decisions', 'DROP TABLE egress_requests']);
  },
};
