/**
 * What the ingress uploads write (the port): the data holders' resumable uploads in progress (`airlock_uploads`, migration 0012): what each upload announced
 * (permit, delivery, path, length), who made it, until when it may be resumed, and once finished its SHA-256.
 * The bytes received so far are a file in the upload folder (AIRLOCK_UPLOAD_DIR); its size is the offset.
 * `createKnexUploadStore` (knex-upload-store.ts) implements it on `db/`, `createFakeUploadStore` in memory.
 */
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

export interface UploadStore {
  create(upload: Omit<IngressUpload, 'completedAt' | 'sha256' | 'createdAt'>): Promise<IngressUpload>;
  get(id: string): Promise<IngressUpload | undefined>;
  recordOffset(id: string, offset: number): Promise<void>;
  complete(id: string, sha256: string, at: Date): Promise<void>;
  remove(id: string): Promise<boolean>;
  /** Uploads of the permit not finished by their expiry (to clear with their files). */
  expired(permitId: string, now: Date): Promise<IngressUpload[]>;
}
