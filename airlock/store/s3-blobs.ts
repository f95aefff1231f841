/**
 * Blobs in a bucket of any S3-compatible object store, through the official AWS SDK. Writes stream as a multipart
 * upload (`@aws-sdk/lib-storage`: parts of 8 MiB, 4 at a time, so memory stays about 32 MiB whatever the size);
 * an upload that fails is aborted, and S3 shows an object only when complete, so a key holds the old bytes or the
 * new, never part. Copies are server-side (CopyObject) up to 5 GiB, streamed through the platform above that.
 * Checksums are sent only where an operation requires them, for S3-compatible servers that predate the SDK's
 * default integrity checks.
 */
import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  S3Client,
  type S3ClientConfig,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import type { Readable } from 'node:stream';
import { blobNotFound, type BlobBackend } from './blob-backend.js';

export interface S3BlobsOptions {
  endpoint?: string | undefined;
  region: string;
  bucket: string;
  accessKeyId?: string | undefined;
  secretAccessKey?: string | undefined;
  /** Keys under this prefix (e.g. `spe/`), so one bucket can serve several platforms. */
  keyPrefix?: string | undefined;
  /** Path-style addressing (`endpoint/bucket/key`), which most self-hosted S3-compatible servers need. */
  forcePathStyle?: boolean | undefined;
}

const PART_BYTES = 8 * 1024 * 1024;
const COPY_OBJECT_LIMIT = 5 * 1024 ** 3;

export function createS3Client(options: S3BlobsOptions): S3Client {
  const config: S3ClientConfig = {
    region: options.region,
    forcePathStyle: options.forcePathStyle ?? Boolean(options.endpoint),
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    ...(options.accessKeyId && options.secretAccessKey ? { credentials: { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey } } : {}),
  };
  return new S3Client(config);
}

function isMissing(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e.name === 'NoSuchKey' || e.name === 'NotFound' || e.$metadata?.httpStatusCode === 404;
}

export function createS3Blobs(client: S3Client, options: Pick<S3BlobsOptions, 'bucket' | 'keyPrefix'>): BlobBackend {
  const Bucket = options.bucket;
  const prefix = options.keyPrefix ?? '';
  const k = (key: string) => `${prefix}${key}`;

  async function streamCopy(from: string, to: string): Promise<void> {
    const source = await read(from);
    await new Upload({ client, params: { Bucket, Key: k(to), Body: source }, partSize: PART_BYTES, queueSize: 4, leavePartsOnError: false }).done();
  }

  async function read(key: string): Promise<Readable> {
    try {
      const answer = await client.send(new GetObjectCommand({ Bucket, Key: k(key) }));
      return answer.Body as Readable;
    } catch (error) {
      if (isMissing(error)) throw blobNotFound(key);
      throw error;
    }
  }

  return {
    kind: 's3',
    async write(key, body) {
      const upload = new Upload({ client, params: { Bucket, Key: k(key), Body: body }, partSize: PART_BYTES, queueSize: 4, leavePartsOnError: false });
      // A body that fails (too large, client gone) must fail the upload even if the SDK is between parts.
      const failed = new Promise<never>((_, reject) => body.once('error', reject));
      failed.catch(() => undefined); // handled by the race below; never an unhandled rejection after it
      try {
        await Promise.race([upload.done(), failed]);
      } catch (error) {
        await upload.abort().catch(() => undefined);
        throw error;
      }
    },
    read,
    async copy(from, to, sizeBytes) {
      if (sizeBytes > COPY_OBJECT_LIMIT) return streamCopy(from, to);
      try {
        await client.send(new CopyObjectCommand({ Bucket, Key: k(to), CopySource: `${Bucket}/${encodeURIComponent(k(from)).replace(/%2F/g, '/')}` }));
      } catch (error) {
        if (isMissing(error)) throw blobNotFound(from);
        throw error;
      }
    },
    async delete(key) {
      await client.send(new DeleteObjectCommand({ Bucket, Key: k(key) }));
    },
    async deletePrefix(keyPrefix) {
      let removed = 0;
      let token: string | undefined;
      do {
        const page = await client.send(new ListObjectsV2Command({ Bucket, Prefix: k(keyPrefix), ...(token ? { ContinuationToken: token } : {}) }));
        // One DeleteObject per key: DeleteObjects needs a Content-MD5 some servers and the SDK's defaults disagree on.
        for (const object of page.Contents ?? []) {
          if (!object.Key) continue;
          await client.send(new DeleteObjectCommand({ Bucket, Key: object.Key }));
          removed += 1;
        }
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
      return removed;
    },
    async exists(key) {
      try {
        await client.send(new HeadObjectCommand({ Bucket, Key: k(key) }));
        return true;
      } catch (error) {
        if (isMissing(error)) return false;
        throw error;
      }
    },
  };
}
