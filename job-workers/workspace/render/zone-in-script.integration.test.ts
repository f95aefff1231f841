/**
 * The zone-in Job's copy, run as the copier runs it: the rendered Job's command and environment (the Secret
 * references filled in as the kubelet would), with Debian's `rclone`, against a real S3-compatible server on
 * loopback (s3rver) holding the permit's zone as the airlock store writes it (`<keyPrefix><permitId>/<zone>/<path>`),
 * and with the filesystem store's folder as `/store`. The claim is a temporary folder.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createS3Blobs, createS3Client } from '../../../airlock/store/s3-blobs.js';
import { startS3TestServer, type S3TestServer } from '../../../airlock/store/testing/s3-test-server.js';
import { initialState } from '../state/workspace-state.js';
import type { ZoneCopyOptions } from './render-options.js';
import { ZONE_COMPLETE_MARKER, renderZoneInJob } from './render-zone-copy.js';

const rcloneMissing = await new Promise<boolean>((resolve) => execFile('rclone', ['version'], (error) => resolve(Boolean(error))));
if (rcloneMissing) console.warn('[zone-in script] skipped: rclone is not installed (Debian: apt-get install rclone)');

interface RenderedContainer {
  command: string[];
  env: { name: string; value?: string; valueFrom?: { secretKeyRef: { name: string; key: string } } }[];
}

/** Runs the rendered container's command with `target` as the claim, its env resolved from `secrets`. */
function runCopier(container: RenderedContainer, target: string, secrets: Record<string, Record<string, string>>, source?: string): Promise<{ code: number; stderr: string }> {
  const env: Record<string, string> = { PATH: process.env.PATH ?? '' };
  for (const variable of container.env) {
    env[variable.name] = variable.valueFrom ? secrets[variable.valueFrom.secretKeyRef.name]![variable.valueFrom.secretKeyRef.key]! : variable.value!;
  }
  const [shell, flag, script, name, renderedSource] = container.command;
  return new Promise((resolve) =>
    execFile(shell!, [flag!, script!, name!, source ?? renderedSource!, target], { env }, (error, _stdout, stderr) => resolve({ code: error ? 1 : 0, stderr })),
  );
}

async function filesUnder(folder: string): Promise<Record<string, string>> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true });
  const files: Record<string, string> = {};
  for (const entry of entries.filter((e) => e.isFile())) {
    const full = path.join(entry.parentPath, entry.name);
    files[path.relative(folder, full)] = await readFile(full, 'utf8');
  }
  return files;
}

describe.skipIf(rcloneMissing)('the zone-in copy with rclone', () => {
  let s3: S3TestServer;
  let work: string;
  const permitId = 'permit-7';
  const zone = { 'cohort.csv': 'id,age\n1,54\n2,61\n', 'codes/icd 10 & more.txt': 'E11\n' };

  beforeAll(async () => {
    s3 = await startS3TestServer('spe-airlock');
    work = await mkdtemp(path.join(tmpdir(), 'spe-zone-in-'));
    const blobs = createS3Blobs(createS3Client({ endpoint: s3.endpoint, region: 'us-east-1', bucket: s3.bucket, accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey, forcePathStyle: true }), { bucket: s3.bucket, keyPrefix: 'spe/' });
    for (const [file, text] of Object.entries(zone)) await blobs.write(`${permitId}/prepared/${file}`, Readable.from([Buffer.from(text)]));
    // Another zone and another permit: never copied.
    await blobs.write(`${permitId}/raw/raw-only.csv`, Readable.from([Buffer.from('x')]));
    await blobs.write(`other-permit/prepared/not-yours.csv`, Readable.from([Buffer.from('y')]));
  });

  afterAll(async () => {
    await s3?.close();
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('s3 store: copies exactly the permit zone into the claim, with the marker last', async () => {
    const options: ZoneCopyOptions = {
      image: 'unused',
      store: { kind: 's3', endpoint: s3.endpoint, bucket: s3.bucket, keyPrefix: 'spe/', region: 'us-east-1', forcePathStyle: true, credentialsSecret: 'airlock-store-reader', egress: { cidrs: ['127.0.0.1/32'], port: 443 } },
      platform: { url: 'http://unused', namespaceLabels: {}, podLabels: {}, port: 3000, tokenSecret: 'unused' },
      syncIntervalSeconds: 60,
    };
    const job = renderZoneInJob(permitId, initialState('analysis', 'pod'), 'prepared', options) as unknown as { spec: { template: { spec: { containers: RenderedContainer[] } } } };
    const claim = path.join(work, 'claim-s3');
    await mkdir(claim);
    const secrets = { 'airlock-store-reader': { 'access-key-id': s3.accessKeyId, 'secret-access-key': s3.secretAccessKey } };
    const result = await runCopier(job.spec.template.spec.containers[0]!, claim, secrets);
    expect(result.code, result.stderr).toBe(0);
    const copied = await filesUnder(claim);
    expect(copied[ZONE_COMPLETE_MARKER]).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z\n$/);
    delete copied[ZONE_COMPLETE_MARKER];
    expect(copied).toEqual(zone);

    // Wrong credentials: the copy fails and no marker says the claim is complete.
    const refused = path.join(work, 'claim-refused');
    await mkdir(refused);
    const failed = await runCopier(job.spec.template.spec.containers[0]!, refused, { 'airlock-store-reader': { 'access-key-id': 'WRONG', 'secret-access-key': 'WRONG' } });
    expect(failed.code).toBe(1);
    expect(await readdir(refused)).not.toContain(ZONE_COMPLETE_MARKER);
  });

  it('filesystem store: copies the mounted zone folder (/store) into the claim', async () => {
    const options: ZoneCopyOptions = {
      image: 'unused',
      store: { kind: 'filesystem', nfs: { server: 'nfs.example.org', path: '/srv/spe-airlock' } },
      platform: { url: 'http://unused', namespaceLabels: {}, podLabels: {}, port: 3000, tokenSecret: 'unused' },
      syncIntervalSeconds: 60,
    };
    const job = renderZoneInJob(permitId, initialState('preprocessing', 'pod'), 'raw', options) as unknown as { spec: { template: { spec: { containers: RenderedContainer[] } } } };
    const container = job.spec.template.spec.containers[0]!;
    expect(container.command.at(-1)).toBe('/store');
    // What the NFS volume would show at /store: the filesystem store's <permitId>/raw folder.
    const store = path.join(work, 'store', permitId, 'raw');
    await mkdir(path.join(store, 'sub'), { recursive: true });
    await writeFile(path.join(store, 'extract.csv'), 'a,b\n1,2\n');
    await writeFile(path.join(store, 'sub', 'notes.txt'), 'n\n');
    const claim = path.join(work, 'claim-fs');
    await mkdir(claim);
    const result = await runCopier(container, claim, {}, store);
    expect(result.code, result.stderr).toBe(0);
    const copied = await filesUnder(claim);
    delete copied[ZONE_COMPLETE_MARKER];
    expect(copied).toEqual({ 'extract.csv': 'a,b\n1,2\n', 'sub/notes.txt': 'n\n' });
  });
});
