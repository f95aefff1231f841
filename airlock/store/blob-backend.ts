/**
 * Where the airlock store keeps bytes: a flat key space (`<permitId>/<zone>/<path>`) of immutable blobs. The
 * store (knex-airlock-store.ts) owns the records and the rules; a back end only moves bytes. Two back ends:
 * filesystem-blobs.ts and s3-blobs.ts.
 */
import type { Readable } from 'node:stream';

export interface BlobBackend {
  readonly kind: 'filesystem' | 's3';
  /**
   * Streams `body` to `key`. The blob appears whole or not at all: when `body` fails (too large, client gone)
   * nothing is left at `key` (a blob already there stays as it was).
   */
  write(key: string, body: Readable): Promise<void>;
  /** The bytes at `key`; rejects with code ENOENT when there are none. */
  read(key: string): Promise<Readable>;
  /** Makes `to` hold the same bytes as `from` (`from` stays). `sizeBytes` lets a back end pick its copy method. */
  copy(from: string, to: string, sizeBytes: number): Promise<void>;
  /** Removes `key`; no error when it is not there. */
  delete(key: string): Promise<void>;
  /** Removes every blob whose key starts with `prefix` (ending in "/"); the number removed. */
  deletePrefix(prefix: string): Promise<number>;
  /** Whether a blob is at `key`. */
  exists(key: string): Promise<boolean>;
}

/** A missing blob, as both back ends report it. */
export function blobNotFound(key: string): NodeJS.ErrnoException {
  const error: NodeJS.ErrnoException = new Error(`no blob at ${key}`);
  error.code = 'ENOENT';
  return error;
}

export function isBlobNotFound(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'ENOENT';
}
