/** `UploadStore` on the Permit Manager's database (`airlock_uploads`, migration 0012). */
import type { Knex } from 'knex';
import type { IngressUpload, UploadStore } from './upload-store.js';

export const AIRLOCK_UPLOADS_TABLE = 'airlock_uploads';

interface UploadRow {
  id: string;
  permit_id: string;
  delivery_id: string;
  path: string;
  length: string | number;
  offset: string | number;
  created_by: string;
  created_at: Date | string;
  expires_at: Date | string;
  completed_at: Date | string | null;
  sha256: string | null;
}

function toUpload(row: UploadRow): IngressUpload {
  return {
    id: row.id,
    permitId: row.permit_id,
    deliveryId: row.delivery_id,
    path: row.path,
    length: Number(row.length),
    createdBy: row.created_by,
    createdAt: new Date(row.created_at).toISOString(),
    expiresAt: new Date(row.expires_at).toISOString(),
    completedAt: row.completed_at ? new Date(row.completed_at).toISOString() : null,
    sha256: row.sha256,
  };
}

export function createKnexUploadStore(knex: Knex): UploadStore {
  const table = () => knex<UploadRow>(AIRLOCK_UPLOADS_TABLE);
  return {
    async create(upload) {
      const [row] = (await table()
        .insert({
          id: upload.id,
          permit_id: upload.permitId,
          delivery_id: upload.deliveryId,
          path: upload.path,
          length: upload.length,
          created_by: upload.createdBy,
          expires_at: upload.expiresAt,
        })
        .returning('*')) as UploadRow[];
      return toUpload(row!);
    },
    async get(id) {
      const row = (await table().where({ id }).first()) as UploadRow | undefined;
      return row ? toUpload(row) : undefined;
    },
    async recordOffset(id, offset) {
      await table().where({ id }).update({ offset });
    },
    async complete(id, sha256, at) {
      await table().where({ id }).update({ sha256, completed_at: at.toISOString() });
    },
    async remove(id) {
      return (await table().where({ id }).delete().returning('id')).length > 0;
    },
    async expired(permitId, now) {
      const rows = (await table().where({ permit_id: permitId }).whereNull('completed_at').andWhere('expires_at', '<', now.toISOString())) as UploadRow[];
      return rows.map(toUpload);
    },
  };
}
