/**
 * The proof of deletion `workspace.delete-data` records: which objects were deleted (and whether each still
 * existed), what was deliberately kept and why, when, by which job and driver, sealed with a SHA-256 over the
 * canonical JSON of all of that. Anyone can recompute the hash with `deletionCertificateHash`.
 */
import { createHash } from 'node:crypto';

export interface DeletionCertificate {
  permitId: string;
  namespace: string;
  /** ISO 8601 time the deletion finished. */
  deletedAt: string;
  driver: string;
  /** The job that deleted: `workspace.delete-data/<permitId>/<elementInstanceKey>`. */
  job: string;
  /** Every object deleted (`describeRef` form), in deletion order; `existed: false` when it was already gone. */
  deleted: { ref: string; existed: boolean }[];
  /** Objects deliberately kept, and why. */
  retained: { ref: string; reason: string; retainUntil?: string }[];
  /** `sha256:<hex>` of the canonical JSON of every field above. */
  hash: string;
}

/** JSON with object keys sorted at every level, so the same content always gives the same text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export function deletionCertificateHash(certificate: Omit<DeletionCertificate, 'hash'> & { hash?: string }): string {
  const { hash: _ignored, ...content } = certificate;
  return `sha256:${createHash('sha256').update(canonicalJson(content)).digest('hex')}`;
}

export function sealDeletionCertificate(content: Omit<DeletionCertificate, 'hash'>): DeletionCertificate {
  return { ...content, hash: deletionCertificateHash(content) };
}
