/**
 * Issue 16: the airlock. `airlock_objects` is the record of every file the airlock store keeps (the bytes are in
 * the store's back end, the filesystem or an S3 bucket): per permit, zone and relative path, its SHA-256, size, who
 * put it there and when, and the delivery or output request it belongs to. `airlock_uploads` are the data holders'
 * resumable uploads (tus) in progress: what was announced, how far it got; a finished upload becomes an object in
 * quarantine. Both are owned by airlock/ (types beside the code there).
 */
import type { PermitMigration } from './permit-migration.js';
import { runStatements } from './permit-migration.js';

export const airlockMigration: PermitMigration = {
  name: '0012-airlock',
  async up(knex) {
    await runStatements(knex, [
      `CREATE TABLE airlock_objects (
        permit_id text NOT NULL REFERENCES permits(id) ON DELETE CASCADE,
        zone text NOT NULL CONSTRAINT airlock_objects_zone CHECK (zone IN ('quarantine', 'raw', 'prepared', 'outputs', 'released')),
        path text NOT NULL CONSTRAINT airlock_objects_path_length CHECK (char_length(path) BETWEEN 1 AND 1000),
        sha256 text NOT NULL CONSTRAINT airlock_objects_sha256 CHECK (sha256 ~ '^[0-9a-f]{64}$'),
        size_bytes bigint NOT NULL CONSTRAINT airlock_objects_size CHECK (size_bytes >= 0),
        put_by text NOT NULL,
        put_at timestamptz NOT NULL,
        delivery_id text NULL,
        output_request_id text NULL,
        CONSTRAINT airlock_objects_pkey PRIMARY KEY (permit_id, zone, path)
      )`,
      `CREATE INDEX airlock_objects_delivery_idx ON airlock_objects (permit_id, delivery_id) WHERE delivery_id IS NOT NULL`,
      `CREATE INDEX airlock_objects_request_idx ON airlock_objects (output_request_id) WHERE output_request_id IS NOT NULL`,
      `CREATE TABLE airlock_uploads (
        id text PRIMARY KEY,
        permit_id text NOT NULL REFERENCES permits(id) ON DELETE CASCADE,
        delivery_id text NOT NULL,
        path text NOT NULL CONSTRAINT airlock_uploads_path_length CHECK (char_length(path) BETWEEN 1 AND 1000),
        length bigint NOT NULL CONSTRAINT airlock_uploads_length CHECK (length >= 0),
        "offset" bigint NOT NULL DEFAULT 0,
        created_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        completed_at timestamptz NULL,
        sha256 text NULL,
        CONSTRAINT airlock_uploads_offset CHECK ("offset" >= 0 AND "offset" <= length)
      )`,
      `CREATE INDEX airlock_uploads_permit_idx ON airlock_uploads (permit_id, delivery_id)`,
    ]);
  },
  async down(knex) {
    await runStatements(knex, [`DROP TABLE airlock_uploads`, `DROP TABLE airlock_objects`]);
  },
};
