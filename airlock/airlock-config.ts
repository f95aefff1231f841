/**
 * The airlock's part of the platform configuration (rest-api/config.ts spreads `AIRLOCK_ENV` into its schema and
 * calls `airlockConfigFrom`): where files are kept (filesystem under the data folder, or an S3-compatible bucket),
 * the largest file accepted, where resumable uploads wait until complete, and the malware scanner (clamd over its
 * socket, or clamscan). No scanner configured: files are marked not scanned and every delivery goes to the HDAB's
 * exception path (docs/airlock.md).
 */
import { z } from 'zod';

const SIZE = /^(\d+)\s*(b|kb|mb|gb|kib|mib|gib)?$/i;
const UNIT: Record<string, number> = { b: 1, kb: 1024, kib: 1024, mb: 1024 ** 2, mib: 1024 ** 2, gb: 1024 ** 3, gib: 1024 ** 3 };

export const AIRLOCK_ENV = {
  AIRLOCK_STORE: z.enum(['filesystem', 's3'], { error: 'AIRLOCK_STORE must be filesystem (files under AIRLOCK_DIR) or s3 (an S3-compatible bucket, AIRLOCK_S3_*)' }).default('filesystem'),
  AIRLOCK_DIR: z.string().min(1).default('./data/airlock'),
  AIRLOCK_UPLOAD_DIR: z.string().min(1).default('./data/uploads'),
  AIRLOCK_MAX_FILE_BYTES: z.string().regex(SIZE, { error: 'AIRLOCK_MAX_FILE_BYTES must be a size such as 5gb, 500mb or 1048576 (bytes)' }).default('5gb'),
  AIRLOCK_S3_ENDPOINT: z.url({ error: 'AIRLOCK_S3_ENDPOINT must be an absolute URL, e.g. http://minio.internal:9000 (unset: AWS S3 in AIRLOCK_S3_REGION)' }).optional(),
  AIRLOCK_S3_REGION: z.string().min(1).default('us-east-1'),
  AIRLOCK_S3_BUCKET: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, { error: 'AIRLOCK_S3_BUCKET must be a bucket name: 3-63 lower-case letters, digits, "." and "-"' }).optional(),
  AIRLOCK_S3_PREFIX: z.string().regex(/^([A-Za-z0-9._-]+\/)*$/, { error: 'AIRLOCK_S3_PREFIX must be folders ending in "/", e.g. spe/ (unset: the bucket root)' }).default(''),
  AIRLOCK_S3_ACCESS_KEY_ID: z.string().min(1).optional(),
  AIRLOCK_S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  CLAMAV_CLAMD_SOCKET: z.string().min(1).optional(),
  CLAMAV_CLAMD_HOST: z.string().regex(/^[^\s:]+:\d{1,5}$/, { error: 'CLAMAV_CLAMD_HOST must be host:port of clamd\'s TCP socket, e.g. 127.0.0.1:3310' }).optional(),
  CLAMAV_CLAMSCAN_PATH: z.string().min(1).optional(),
  CLAMAV_DATABASE_DIR: z.string().min(1).optional(),
};

type AirlockEnv = z.output<z.ZodObject<typeof AIRLOCK_ENV>>;

export type ScannerConfig =
  | { kind: 'clamd'; socket: string }
  | { kind: 'clamd'; host: string; port: number }
  | { kind: 'clamscan'; path: string; databaseDir: string | undefined }
  | { kind: 'none' };

export interface AirlockConfig {
  store:
    | { kind: 'filesystem'; dir: string }
    | { kind: 's3'; endpoint: string | undefined; region: string; bucket: string; keyPrefix: string; accessKeyId: string | undefined; secretAccessKey: string | undefined };
  /** Where resumable uploads wait until complete (then they stream into quarantine). */
  uploadDir: string;
  maxFileBytes: number;
  scanner: ScannerConfig;
}

export function parseSize(value: string): number {
  const match = SIZE.exec(value.trim()) as RegExpExecArray;
  return Number(match[1]) * (UNIT[(match[2] ?? 'b').toLowerCase()] ?? 1);
}

/** The airlock's settings; problems (a missing bucket, two scanners at once) are pushed to `problems`. */
export function airlockConfigFrom(e: AirlockEnv, problems: string[]): AirlockConfig {
  if (e.AIRLOCK_STORE === 's3' && !e.AIRLOCK_S3_BUCKET) problems.push('AIRLOCK_S3_BUCKET is required with AIRLOCK_STORE=s3: name the bucket the airlock keeps its files in.');
  if (Boolean(e.AIRLOCK_S3_ACCESS_KEY_ID) !== Boolean(e.AIRLOCK_S3_SECRET_ACCESS_KEY)) {
    problems.push('AIRLOCK_S3_ACCESS_KEY_ID and AIRLOCK_S3_SECRET_ACCESS_KEY go together: set both, or neither to use the AWS SDK\'s default credentials (environment, profile, instance role).');
  }
  const scanners = [e.CLAMAV_CLAMD_SOCKET && 'CLAMAV_CLAMD_SOCKET', e.CLAMAV_CLAMD_HOST && 'CLAMAV_CLAMD_HOST', e.CLAMAV_CLAMSCAN_PATH && 'CLAMAV_CLAMSCAN_PATH'].filter(Boolean);
  if (scanners.length > 1) problems.push(`${scanners.join(' and ')} are both set; the airlock uses one scanner. Keep one of them.`);
  if (e.CLAMAV_DATABASE_DIR && !e.CLAMAV_CLAMSCAN_PATH) problems.push('CLAMAV_DATABASE_DIR is for clamscan (CLAMAV_CLAMSCAN_PATH); clamd reads its DatabaseDirectory from clamd.conf. Unset it or set CLAMAV_CLAMSCAN_PATH.');
  const maxFileBytes = parseSize(e.AIRLOCK_MAX_FILE_BYTES);
  if (maxFileBytes < 1) problems.push('AIRLOCK_MAX_FILE_BYTES must be at least 1 byte.');
  const [host, port] = e.CLAMAV_CLAMD_HOST ? e.CLAMAV_CLAMD_HOST.split(':') : [];
  const scanner: ScannerConfig = e.CLAMAV_CLAMD_SOCKET
    ? { kind: 'clamd', socket: e.CLAMAV_CLAMD_SOCKET }
    : host && port
      ? { kind: 'clamd', host, port: Number(port) }
      : e.CLAMAV_CLAMSCAN_PATH
        ? { kind: 'clamscan', path: e.CLAMAV_CLAMSCAN_PATH, databaseDir: e.CLAMAV_DATABASE_DIR }
        : { kind: 'none' };
  return {
    store:
      e.AIRLOCK_STORE === 's3'
        ? {
            kind: 's3',
            endpoint: e.AIRLOCK_S3_ENDPOINT,
            region: e.AIRLOCK_S3_REGION,
            bucket: e.AIRLOCK_S3_BUCKET ?? '',
            keyPrefix: e.AIRLOCK_S3_PREFIX,
            accessKeyId: e.AIRLOCK_S3_ACCESS_KEY_ID,
            secretAccessKey: e.AIRLOCK_S3_SECRET_ACCESS_KEY,
          }
        : { kind: 'filesystem', dir: e.AIRLOCK_DIR },
    uploadDir: e.AIRLOCK_UPLOAD_DIR,
    maxFileBytes,
    scanner,
  };
}
