/**
 * The real (small, generated) files the demo moves out of the workspace: Table 1 as first submitted (one cell of 7:
 * the disclosure checks fail it), Table 1 after the age bands below 40 are merged (every cell at least 10: pass),
 * and Figure 2, a small PNG drawn here (not a table: the checks ask for review by eye). Each act that uses them
 * puts them into outputs again (same path, same bytes: a repeat changes nothing) before it submits.
 */
import { createHash } from 'node:crypto';
import { deflateSync } from 'node:zlib';
import type { DemoApi } from './demo-api.js';
import type { StepAnswer } from './demo-steps.js';

export const TABLE1_PATH = 'tables/table1-baseline.csv';
export const FIGURE2_PATH = 'figures/figure2-survival.png';

export const TABLE1_FIRST = [
  'region,age_band,Female,Male,Total',
  'North,18-39,7,14,21',
  'North,40-64,41,38,79',
  'North,65+,33,29,62',
  'South,18-39,15,18,33',
  'South,40-64,52,47,99',
  'South,65+,44,31,75',
  '',
].join('\n');

export const TABLE1_REWORKED = [
  'region,age_band,Female,Male,Total',
  'North,18-64,48,52,100',
  'North,65+,33,29,62',
  'South,18-64,67,65,132',
  'South,65+,44,31,75',
  '',
].join('\n');

/** A 64×32 PNG with two falling step curves (greyscale), built byte by byte. */
export function figure2Png(): Buffer {
  const width = 64;
  const height = 32;
  const rows: Buffer[] = [];
  const curve = (x: number, rate: number) => Math.round(2 + (height - 4) * (1 - Math.exp(-rate * Math.floor(x / 4) * 4)));
  for (let y = 0; y < height; y += 1) {
    const row = Buffer.alloc(1 + width, 255);
    row[0] = 0;
    for (let x = 0; x < width; x += 1) if (curve(x, 0.02) === y || curve(x, 0.05) === y) row[1 + x] = 0;
    rows.push(row);
  }
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 0; // greyscale
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', deflateSync(Buffer.concat(rows))), chunk('IEND', Buffer.alloc(0))]);
}

function crc32(bytes: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k += 1) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

/** Puts the files into the permit's outputs as `userId`, then runs `then`; the first refusal is the step's answer. */
export async function putOutputsThen(api: DemoApi, userId: string, permitId: string, files: ReadonlyArray<readonly [string, string | Buffer]>, then: () => Promise<StepAnswer>): Promise<StepAnswer> {
  for (const [path, bytes] of files) {
    const answer = await api.call(userId, 'PUT', `/permits/${permitId}/outputs?path=${encodeURIComponent(path)}`, Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes));
    if (answer.status !== 201) return answer;
  }
  return then();
}

/** Downloads each released file and the release's RO-Crate as `userId` (each an audit entry), then runs `then`. */
export async function downloadReleaseThen(api: DemoApi, userId: string, permitId: string, then: () => Promise<StepAnswer>): Promise<StepAnswer> {
  const releases = await api.call<Array<{ egressRequestId: string; files: Array<{ path: string }>; metadata: Array<{ path: string }> }>>(userId, 'GET', `/permits/${permitId}/releases`);
  if (releases.status !== 200) return releases;
  for (const release of releases.body) {
    for (const file of [...release.files, ...release.metadata.filter((m) => m.path === 'ro-crate-metadata.json')]) {
      const answer = await api.call(userId, 'GET', `/permits/${permitId}/releases/${release.egressRequestId}/download?path=${encodeURIComponent(file.path)}`);
      if (answer.status !== 200) return answer;
    }
  }
  return then();
}

/** The extract dana delivers: a small generated cohort (real bytes, checked against her manifest). */
export const COHORT_PATH = 'cohort/mi-cohort-2015-2024.csv';
export const COHORT_EXTRACT = [
  'patient_id,sex,age_band,region,mi_date,died_within_5y',
  ...Array.from({ length: 120 }, (_, i) => `P${10_000 + i},${i % 2 ? 'F' : 'M'},${['18-39', '40-64', '65+'][i % 3]},${i % 5 < 2 ? 'North' : 'South'},20${15 + (i % 10)}-${String((i % 12) + 1).padStart(2, '0')}-15,${i % 7 === 0 ? 1 : 0}`),
  '',
].join('\n');

export const sha256Of = (text: string | Buffer): string => createHash('sha256').update(text).digest('hex');

/**
 * Uploads `bytes` as `userId` into the permit's quarantine with the tus protocol (creation, then one PATCH from
 * offset 0; an upload left from an earlier try is created anew), then runs `then`. The first refusal is the answer.
 * A request that fails on the network (the platform restarting, say) is an answer lost in flight, like the other
 * steps' changes: the runner checks the step and uploads again once the platform answers.
 */
export async function uploadIngressThen(api: DemoApi, userId: string, permitId: string, path: string, bytes: string, then: () => Promise<StepAnswer>): Promise<StepAnswer> {
  const body = Buffer.from(bytes);
  const token = await api.tokenFor(userId);
  const base = `${api.baseUrl}/api/permits/${permitId}/ingress/files`;
  const common = { authorization: `Bearer ${token}`, 'tus-resumable': '1.0.0' };
  try {
    const created = await fetch(base, {
      method: 'POST',
      headers: { ...common, 'upload-length': String(body.length), 'upload-metadata': `relativePath ${Buffer.from(path).toString('base64')}` },
    });
    if (created.status !== 201) return { status: created.status, body: await problemOf(created), lostInFlight: false };
    const location = new URL(created.headers.get('location') ?? '', base).toString();
    const patched = await fetch(location, { method: 'PATCH', headers: { ...common, 'upload-offset': '0', 'content-type': 'application/offset+octet-stream' }, body });
    if (patched.status !== 204) return { status: patched.status, body: await problemOf(patched), lostInFlight: false };
  } catch (error) {
    // fetch rejects only when no answer came (connection refused or dropped).
    return { status: -1, body: { detail: `the upload's answer was lost: ${error instanceof Error ? error.message : String(error)}` }, lostInFlight: true };
  }
  return then();
}

async function problemOf(response: Response): Promise<unknown> {
  const text = await response.text();
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return { detail: text || response.statusText };
  }
}
