/**
 * `npm run bench:airlock`: a 1 GiB file (BENCH_AIRLOCK_BYTES) through the airlock on the filesystem store, against
 * a plain `cp` of the same file on the same disk in the same run:
 *
 * - upload: `curl` (a separate process, streaming the file) creates a tus upload on the REST API's endpoint and
 *   sends it in one PATCH; the API appends it to the partial file and, at the last byte, streams it into quarantine
 *   computing SHA-256 and size (so the figure covers both writes and the hash);
 * - scan: the file read back from quarantine and scanned by ClamAV (clamd INSTREAM with a one-signature test
 *   database, started here; skipped when clamd is not installed);
 * - peak memory of this process (the API server; the client is curl): VmHWM before and after, and the heap.
 *
 * The server's resident memory must not grow with the file: the upload and the scan stream in fixed-size chunks.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { createClamdScanner } from '../../airlock/scan/clamd-scanner.js';
import { CLAMD, startTestClamd } from '../../airlock/scan/testing/clamav-test-kit.js';
import { createAirlockStore } from '../../airlock/store/create-airlock-store.js';
import { createFilesystemBlobs } from '../../airlock/store/filesystem-blobs.js';
import { createDatabase, TABLES } from '../../db/index.js';
import { insertPermit } from '../../db/testing/permit-fixtures.js';
import { createApp } from '../../rest-api/app.js';
import { loadConfig } from '../../rest-api/config.js';
import { createAuthenticator } from '../../rest-api/identity/authenticator.js';
import { createDevIssuer } from '../../rest-api/identity/dev-issuer.js';
import { createIngressUploadsRouter } from '../../rest-api/ingress/ingress-uploads-router.js';
import { createIngressUploadsService } from '../../rest-api/ingress/ingress-uploads-service.js';
import { createKnexUploadStore } from '../../rest-api/ingress/knex-upload-store.js';
import { createPermitAccess } from '../../rest-api/permits/permit-access.js';
import { createKnexPermitStore } from '../../rest-api/permits/knex-permit-store.js';

const BYTES = Number(process.env.BENCH_AIRLOCK_BYTES ?? 1024 ** 3);
const MiB = 1024 * 1024;

async function memoryKb(field: 'VmHWM' | 'VmRSS'): Promise<number> {
  const status = await readFile('/proc/self/status', 'utf8');
  return Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? NaN);
}

function run(command: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

async function timed<T>(work: () => Promise<T>): Promise<{ seconds: number; value: T }> {
  const started = process.hrtime.bigint();
  const value = await work();
  return { seconds: Number(process.hrtime.bigint() - started) / 1e9, value };
}

async function writeTestFile(file: string): Promise<void> {
  const block = randomBytes(MiB);
  const out = createWriteStream(file);
  for (let written = 0; written < BYTES; written += MiB) {
    block.writeUInt32BE(written / MiB, 0); // every MiB differs a little
    const chunk = block.subarray(0, Math.min(MiB, BYTES - written));
    if (!out.write(Buffer.from(chunk))) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
}

const rate = (seconds: number) => `${(BYTES / MiB / seconds).toFixed(0)} MiB/s`;

async function main(): Promise<void> {
  const folder = await mkdtemp(path.join(process.env.BENCH_AIRLOCK_DIR ?? tmpdir(), 'bench-airlock-'));
  const logger = pino({ level: 'silent' });
  const db = await createDatabase({ logger });
  await db.migrateLatest();
  const clamd = CLAMD ? await startTestClamd() : undefined;
  try {
    const source = path.join(folder, 'source.bin');
    await writeTestFile(source);
    console.log(`bench:airlock: ${(BYTES / MiB).toFixed(0)} MiB file in ${folder}`);

    const airlock = createAirlockStore({ knex: db.knex, blobs: createFilesystemBlobs(path.join(folder, 'airlock')), maxFileBytes: BYTES });
    const permitId = (await insertPermit(db.knex, { status: 'DATA_INGRESS_PENDING', processInstanceKey: '1' })).id;
    await db.knex(TABLES.permitMembers).insert({ permit_id: permitId, user_id: 'dana', team_role: 'DATA_HOLDER', added_by: 'bench' });
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const config = loadConfig({ NODE_ENV: 'test', PUBLIC_URL: base, LOG_LEVEL: 'silent' });
    const devIssuer = await createDevIssuer({ publicUrl: config.publicUrl, audience: config.oidcAudience });
    const service = createIngressUploadsService({ access: createPermitAccess(createKnexPermitStore(db.knex)), airlock, uploads: createKnexUploadStore(db.knex), dir: path.join(folder, 'uploads') });
    server.on('request', createApp({ config, logger, routers: [createIngressUploadsRouter({ service })], readiness: {}, authenticator: createAuthenticator({ issuer: devIssuer.issuer, audience: config.oidcAudience, keySet: devIssuer.jwks }), devIssuer }));
    const token = await devIssuer.mintDevToken('dana');

    // Same disk, same run: the baseline.
    const cp = await timed(() => run('cp', [source, path.join(folder, 'copy.bin')]));
    if (cp.value.code !== 0) throw new Error(`cp failed: ${cp.value.stderr}`);
    await rm(path.join(folder, 'copy.bin'));

    global.gc?.();
    const rssBefore = await memoryKb('VmRSS');
    const hwmBefore = await memoryKb('VmHWM');
    const created = await fetch(`${base}/api/permits/${permitId}/ingress/files`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'tus-resumable': '1.0.0', 'upload-length': String(BYTES), 'upload-metadata': `relativePath ${Buffer.from('cohort/big.bin').toString('base64')}` },
    });
    if (created.status !== 201) throw new Error(`creating the upload answered ${created.status}: ${await created.text()}`);
    const location = new URL(created.headers.get('location')!, base).toString();
    const upload = await timed(() =>
      run('curl', ['-sS', '-o', '/dev/null', '-w', '%{http_code}', '-X', 'PATCH', '-T', source, '-H', `authorization: Bearer ${token}`, '-H', 'tus-resumable: 1.0.0', '-H', 'upload-offset: 0', '-H', 'content-type: application/offset+octet-stream', '-H', 'expect:', location]),
    );
    if (upload.value.stdout !== '204') throw new Error(`the PATCH answered ${upload.value.stdout}: ${upload.value.stderr}`);
    const object = await airlock.stat({ permitId, zone: 'quarantine', path: 'cohort/big.bin' });
    if (object?.sizeBytes !== BYTES) throw new Error('the file did not reach quarantine whole');
    const hwmAfterUpload = await memoryKb('VmHWM');

    let scanLine = 'scan: skipped (clamd is not installed; Debian: apt-get install clamav-daemon)';
    if (clamd) {
      const scanner = createClamdScanner({ socket: clamd.socket });
      const scan = await timed(async () => scanner.scan(await airlock.open({ permitId, zone: 'quarantine', path: 'cohort/big.bin' })));
      scanLine = `scan (clamd INSTREAM, test database)  ${scan.seconds.toFixed(1)} s  ${rate(scan.seconds)}  verdict ${scan.value.status}  = ${(scan.seconds / cp.seconds).toFixed(1)} × cp`;
    }
    const hwmAfter = await memoryKb('VmHWM');
    const heap = process.memoryUsage();
    console.log(`cp (same disk)                        ${cp.seconds.toFixed(1)} s  ${rate(cp.seconds)}`);
    console.log(`upload (tus PATCH via curl → quarantine, sha256 ${object.sha256.slice(0, 12)}…)  ${upload.seconds.toFixed(1)} s  ${rate(upload.seconds)}  = ${(upload.seconds / cp.seconds).toFixed(1)} × cp`);
    console.log(scanLine);
    console.log(
      `memory of the API process: resident before the upload ${(rssBefore / 1024).toFixed(0)} MiB; peak (VmHWM) before ${(hwmBefore / 1024).toFixed(0)} MiB, after the upload ${(hwmAfterUpload / 1024).toFixed(0)} MiB, after the scan ${(hwmAfter / 1024).toFixed(0)} MiB (+${((hwmAfter - hwmBefore) / 1024).toFixed(0)} MiB for a ${(BYTES / MiB).toFixed(0)} MiB file); heap used ${(heap.heapUsed / MiB).toFixed(0)} MiB`,
    );
    console.log(`file on disk after: ${(await stat(path.join(folder, 'airlock', permitId, 'quarantine', 'cohort', 'big.bin'))).size} bytes in quarantine`);
    await new Promise<void>((resolve) => server.close(() => resolve()));
  } finally {
    await clamd?.stop();
    await db.close();
    await rm(folder, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(`bench:airlock failed: ${(error as Error).stack ?? String(error)}`);
    process.exit(1);
  },
);
