/**
 * The ingress checks the embedded mode runs on a data holder's upload manifest (variable `uploadManifest`, sent
 * with `ingress.upload-confirmed`): a manifest is there and lists files; every entry has a safe relative path
 * (no `..`, not absolute, no duplicates), a SHA-256 of 64 lower-case hex characters and a non-negative integer
 * size. Each problem is a finding `{ path?, message }`. (A real deployment adds the malware scan and the checksum
 * comparison against the files in quarantine; see docs/workspaces.md.)
 */
import { isSafeRelativePath } from './safe-relative-path.js';

export interface IngressFinding {
  path?: string;
  message: string;
}

const SHA256 = /^[0-9a-f]{64}$/;


export function checkUploadManifest(manifest: unknown): IngressFinding[] {
  if (manifest === undefined || manifest === null) return [{ message: 'no upload manifest came with the upload confirmation' }];
  if (typeof manifest !== 'object' || Array.isArray(manifest)) return [{ message: 'the upload manifest is not an object with a files list' }];
  const files = (manifest as { files?: unknown }).files;
  if (!Array.isArray(files) || files.length === 0) return [{ message: 'the upload manifest lists no files' }];
  const findings: IngressFinding[] = [];
  const seen = new Set<string>();
  files.forEach((entry: unknown, index) => {
    if (entry === null || typeof entry !== 'object') {
      findings.push({ message: `entry ${index + 1} of the manifest is not an object` });
      return;
    }
    const { path, sha256, sizeBytes } = entry as { path?: unknown; sha256?: unknown; sizeBytes?: unknown };
    const where = typeof path === 'string' && path.length > 0 ? { path } : {};
    if (typeof path !== 'string' || path.trim() === '') findings.push({ message: `entry ${index + 1} has no path` });
    else if (!isSafeRelativePath(path)) findings.push({ ...where, message: 'the path must be relative and must not contain "..", empty segments or control characters' });
    else if (seen.has(path)) findings.push({ ...where, message: 'the file is listed twice' });
    if (typeof path === 'string') seen.add(path);
    if (sha256 === undefined || sha256 === null || sha256 === '') findings.push({ ...where, message: 'the SHA-256 checksum is missing' });
    else if (typeof sha256 !== 'string' || !SHA256.test(sha256)) findings.push({ ...where, message: 'the SHA-256 checksum is malformed (expected 64 lower-case hex characters)' });
    if (sizeBytes === undefined) findings.push({ ...where, message: 'the size (sizeBytes) is missing' });
    else if (typeof sizeBytes !== 'number' || !Number.isInteger(sizeBytes) || sizeBytes < 0) findings.push({ ...where, message: 'the size (sizeBytes) must be a non-negative whole number' });
  });
  return findings;
}
