/** In-memory UploadStore for unit tests (the offset is the partial file's size, as with the knex store). */
import type { IngressUpload, UploadStore } from './upload-store.js';

export interface FakeUploadStore extends UploadStore {
  uploads: Map<string, IngressUpload & { offset: number }>;
}

export function createFakeUploadStore(now: () => Date = () => new Date()): FakeUploadStore {
  const uploads = new Map<string, IngressUpload & { offset: number }>();
  const plain = ({ offset: _offset, ...upload }: IngressUpload & { offset: number }): IngressUpload => upload;
  return {
    uploads,
    async create(upload) {
      const row = { ...upload, createdAt: now().toISOString(), completedAt: null, sha256: null, offset: 0 };
      if (uploads.has(upload.id)) throw new Error(`upload ${upload.id} exists`);
      uploads.set(upload.id, row);
      return plain(row);
    },
    async get(id) {
      const row = uploads.get(id);
      return row ? plain(row) : undefined;
    },
    async recordOffset(id, offset) {
      const row = uploads.get(id);
      if (row) row.offset = offset;
    },
    async complete(id, sha256, at) {
      const row = uploads.get(id);
      if (row) Object.assign(row, { sha256, completedAt: at.toISOString() });
    },
    async remove(id) {
      return uploads.delete(id);
    },
    async expired(permitId, at) {
      return [...uploads.values()].filter((u) => u.permitId === permitId && u.completedAt === null && Date.parse(u.expiresAt) < at.getTime()).map(plain);
    },
  };
}
