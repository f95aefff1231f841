/**
 * The ingress check of one data holder's delivery against the bytes in the airlock's quarantine: every file's
 * SHA-256 and size (computed by the store as it streamed in) compared with the manifest, files missing from the
 * upload or not in the manifest, and a malware scan of every file. Each problem is a finding `{ path?, message }`
 * (shown on the ingress-exception form); each file gets a line in `files` (kept with the scan result).
 *
 * A scanner that is not configured marks every file not scanned: a finding, so the delivery goes to an HDAB data
 * steward for an explicit decision and is never promoted silently.
 */
import type { AirlockObject, AirlockStore } from '../../../airlock/store/airlock-store.js';
import type { MalwareScanner } from '../../../airlock/scan/malware-scanner.js';
import { checkUploadManifest, type IngressFinding } from './check-upload-manifest.js';

/** What the ingress scan needs from the airlock: the store (quarantine, raw) and the malware scanner. */
export interface AirlockIngress {
  store: AirlockStore;
  scanner: MalwareScanner;
}

export interface DeliveryFile {
  path: string;
  sizeBytes: number | null;
  sha256: string | null;
  manifestSha256: string | null;
  checksum: 'match' | 'mismatch' | 'missing' | 'not-in-manifest';
  scan: 'clean' | 'infected' | 'not-scanned';
  signature?: string;
}

export interface DeliveryCheck {
  findings: IngressFinding[];
  files: DeliveryFile[];
  scanner: string;
}

interface ManifestEntry {
  path: string;
  sha256: string;
  sizeBytes: number;
}

export async function checkDelivery(
  deps: AirlockIngress,
  input: { permitId: string; deliveryId: string; manifest: unknown },
): Promise<DeliveryCheck> {
  const findings = checkUploadManifest(input.manifest);
  const manifestOk = findings.length === 0;
  const entries = manifestOk ? (input.manifest as { files: ManifestEntry[] }).files : [];
  const listed = new Map(entries.map((entry) => [entry.path, entry]));
  const uploaded = await deps.store.list(input.permitId, 'quarantine', { deliveryId: input.deliveryId });
  const files: DeliveryFile[] = [];

  for (const object of uploaded) {
    const entry = listed.get(object.path);
    const file: DeliveryFile = {
      path: object.path,
      sizeBytes: object.sizeBytes,
      sha256: object.sha256,
      manifestSha256: entry?.sha256 ?? null,
      checksum: !entry ? 'not-in-manifest' : entry.sha256 === object.sha256 && entry.sizeBytes === object.sizeBytes ? 'match' : 'mismatch',
      scan: 'not-scanned',
    };
    if (manifestOk) {
      if (!entry) findings.push({ path: object.path, message: 'the file was uploaded but is not listed in the manifest' });
      else if (entry.sha256 !== object.sha256) findings.push({ path: object.path, message: `the SHA-256 of the uploaded bytes is ${object.sha256}; the manifest says ${entry.sha256}` });
      else if (entry.sizeBytes !== object.sizeBytes) findings.push({ path: object.path, message: `the uploaded file has ${object.sizeBytes} bytes; the manifest says ${entry.sizeBytes}` });
    }
    const verdict = await scanObject(deps, object);
    file.scan = verdict.status;
    if (verdict.status === 'infected') {
      file.signature = verdict.signature;
      findings.push({ path: object.path, message: `malware found by ${deps.scanner.name}: ${verdict.signature}` });
    }
    files.push(file);
  }
  const notScanned = files.filter((f) => f.scan === 'not-scanned');
  if (notScanned.length > 0) {
    findings.push({ message: `${notScanned.length} file(s) were not scanned for malware: no malware scanner is configured (set CLAMAV_CLAMD_SOCKET, CLAMAV_CLAMD_HOST or CLAMAV_CLAMSCAN_PATH); decide whether to release them from quarantine` });
  }
  const seen = new Set(uploaded.map((o) => o.path));
  for (const entry of entries) {
    if (seen.has(entry.path)) continue;
    findings.push({ path: entry.path, message: 'the file is listed in the manifest but was not uploaded' });
    files.push({ path: entry.path, sizeBytes: null, sha256: null, manifestSha256: entry.sha256, checksum: 'missing', scan: 'not-scanned' });
  }
  if (entries.length === 0 && uploaded.length === 0 && findings.length === 0) findings.push({ message: 'nothing was uploaded for this delivery' });
  return { findings, files, scanner: deps.scanner.name };
}

async function scanObject(deps: AirlockIngress, object: AirlockObject) {
  const body = await deps.store.open(object);
  try {
    return await deps.scanner.scan(body);
  } finally {
    body.destroy();
  }
}
