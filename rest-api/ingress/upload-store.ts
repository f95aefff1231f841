/**
 * The data holders' resumable uploads in progress (`airlock_uploads`, migration 0012): what each upload announced
 * (permit, delivery, path, length), who made it, until when it may be resumed, and once finished its SHA-256.
 * The bytes received so far are a file in the upload folder (AIRLOCK_UPLOAD_DIR); its size is the offset.
 */
import type { Knex } from 'knex';

export const AIRLOCK_UPLOADS_TABLE = 'airlock_uploads';

export interface IngressUpload {
  id: string;
  permitId: string;
  deliveryId: string;
  path: string;
  length: number;
  createdBy: string;
  createdAt: string;
  expiresAt: string;
  completedAt: string | null;
  sha256: string | null;
}

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

export interface UploadStore {
  create(upload: Omit<IngressUpload, 'completedAt' | 'sha256' | 'createdAt'>): Promise<IngressUpload>;
  get(id: string): Promise<IngressUpload | undefined>;
  recordOffset(id: string, offset: number): Promise<void>;
  complete(id: string, sha256: string, at: Date): Promise<void>;
  remove(id: string): Promise<boolean>;
  /** Uploads of the permit not finished by their expiry (to clear with their files). */
  expired(permitId: string, now: Date): Promise<IngressUpload[]>;
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
