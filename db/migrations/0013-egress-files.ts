/**
 * Issue 16, egress with files. `egress_file_checks`: each file of an output request as it was when the request
 * was (re)submitted (sha256, size, media type from the airlock store's outputs zone) and the automated disclosure
 * checks' result on it (airlock/disclosure, ACRO-shaped JSON). `permit_disclosure_thresholds`: the thresholds the
 * HDAB set for a permit (none: the defaults). `egress_releases`: what a final approval released (files with
 * sha256) and the metadata written beside them (RO-Crate, manifest, check results, as the exact bytes served).
 * Owned by rest-api/egress (types beside the code there).
 */
import type { PermitMigration } from './permit-migration.js';
import { runStatements } from './permit-migration.js';

export const egressFilesMigration: PermitMigration = {
  name: '0013-egress-files',
  async up(knex) {
    await runStatements(knex, [
      `CREATE TABLE egress_file_checks (
        egress_request_id text NOT NULL REFERENCES egress_requests(id) ON DELETE CASCADE,
        permit_id text NOT NULL REFERENCES permits(id) ON DELETE CASCADE,
        path text NOT NULL CONSTRAINT egress_file_checks_path_length CHECK (char_length(path) BETWEEN 1 AND 1000),
        sha256 text NOT NULL CONSTRAINT egress_file_checks_sha256 CHECK (sha256 ~ '^[0-9a-f]{64}$'),
        size_bytes bigint NOT NULL CONSTRAINT egress_file_checks_size CHECK (size_bytes >= 0),
        media_type text NOT NULL,
        status text NOT NULL CONSTRAINT egress_file_checks_status CHECK (status IN ('pass', 'fail', 'review')),
        result jsonb NOT NULL,
        checked_at timestamptz NOT NULL,
        CONSTRAINT egress_file_checks_pkey PRIMARY KEY (egress_request_id, path)
      )`,
      `CREATE TABLE permit_disclosure_thresholds (
        permit_id text PRIMARY KEY REFERENCES permits(id) ON DELETE CASCADE,
        thresholds jsonb NOT NULL,
        set_by text NOT NULL,
        set_at timestamptz NOT NULL DEFAULT now()
      )`,
      `CREATE TABLE egress_releases (
        egress_request_id text PRIMARY KEY REFERENCES egress_requests(id) ON DELETE CASCADE,
        permit_id text NOT NULL REFERENCES permits(id) ON DELETE CASCADE,
        released_at timestamptz NOT NULL,
        files jsonb NOT NULL CONSTRAINT egress_releases_files_array CHECK (jsonb_typeof(files) = 'array'),
        crate text NOT NULL,
        manifest text NOT NULL,
        checks text NOT NULL
      )`,
      `CREATE INDEX egress_releases_permit_idx ON egress_releases (permit_id, released_at)`,
    ]);
  },
  async down(knex) {
    await runStatements(knex, ['DROP TABLE egress_releases', 'DROP TABLE permit_disclosure_thresholds', 'DROP TABLE egress_file_checks']);
  },
};
