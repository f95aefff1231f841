import { createHash } from 'node:crypto';

/**
 * A UUID (RFC 9562 version 8, name-based on SHA-256) derived from `parts`: the same parts always give the same id.
 * Job handlers use it for rows that must be written once however often a job is delivered (outbox event ids,
 * review decision ids).
 */
export function derivedUuid(...parts: readonly string[]): string {
  const digest = createHash('sha256').update(JSON.stringify(parts)).digest();
  const bytes = digest.subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x80; // version 8
  bytes[8] = (bytes[8]! & 0x3f) | 0x80; // RFC 9562 variant
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
