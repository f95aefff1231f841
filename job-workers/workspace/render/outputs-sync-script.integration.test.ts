/**
 * The outputs-sync Job's script (render-zone-copy.ts), run as the copier runs it (`/bin/sh -c SCRIPT outputs-sync
 * <url> <interval> [root]`, with the system's `find`, `stat` and `curl`): first against a loopback HTTP server that
 * records each request (every file under the folder reaches the outputs URL as a PUT with its exact bytes and its
 * path URL-encoded, hidden files stay, a refused file neither stops the others nor fails the pass), then against the
 * platform's own outputs API and airlock store.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AirlockStore } from '../../../airlock/store/airlock-store.js';
import { createKnexOutputsTokenStore } from '../../../airlock/outputs-token/knex-outputs-token-store.js';
import { createAirlockStore } from '../../../airlock/store/create-airlock-store.js';
import { createFilesystemBlobs } from '../../../airlock/store/filesystem-blobs.js';
import { TABLES, type Database } from '../../../db/index.js';
import { insertPermit } from '../../../db/testing/permit-fixtures.js';
import { testDatabaseTargets } from '../../../db/testing/test-databases.js';
import { createApp } from '../../../rest-api/app.js';
import { loadConfig } from '../../../rest-api/config.js';
import { createEgressFilesRouter } from '../../../rest-api/egress/egress-files-router.js';
import { createEgressFilesService } from '../../../rest-api/egress/egress-files-service.js';
import { createKnexEgressFilesStore } from '../../../rest-api/egress/knex-egress-files-store.js';
import { createKnexEgressStore } from '../../../rest-api/egress/knex-egress-store.js';
import { createAuthenticator } from '../../../rest-api/identity/authenticator.js';
import { createDevIssuer } from '../../../rest-api/identity/dev-issuer.js';
import { createPermitAccess } from '../../../rest-api/permits/permit-access.js';
import { createKnexPermitStore } from '../../../rest-api/permits/knex-permit-store.js';
import { OUTPUTS_SYNC_SCRIPT } from './render-zone-copy.js';

interface Received {
  method: string;
  path: string | null;
  authorization: string | undefined;
  contentType: string | undefined;
  body: string;
}

const curlMissing = await new Promise<boolean>((resolve) => execFile('curl', ['--version'], (error) => resolve(Boolean(error))));

describe.skipIf(curlMissing)('the outputs-sync script against a real HTTP server', () => {
  let server: Server;
  let url: string;
  let root: string;
  const received: Received[] = [];
  /** Paths the server answers with 400, as the platform does for a refused path. */
  const refuse = new Set<string>();

  beforeAll(async () => {
    server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const target = new URL(request.url ?? '/', 'http://localhost');
        const filePath = target.searchParams.get('path');
        received.push({ method: request.method ?? '', path: filePath, authorization: request.headers.authorization, contentType: request.headers['content-type'], body: Buffer.concat(chunks).toString('utf8') });
        const refused = filePath !== null && refuse.has(filePath);
        response.writeHead(refused ? 400 : 201, { 'content-type': 'application/json' }).end(refused ? '{"title":"refused"}' : '{}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/permits/permit-42/outputs`;
    root = await mkdtemp(path.join(tmpdir(), 'spe-outputs-sync-'));
  });

  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
    if (root) await rm(root, { recursive: true, force: true });
  });

  function runOnce(folder: string): Promise<{ code: number; stderr: string }> {
    return new Promise((resolve) => {
      execFile('/bin/sh', ['-c', OUTPUTS_SYNC_SCRIPT, 'outputs-sync', url, '0', folder], { env: { PATH: process.env.PATH, TMPDIR: root, SPE_OUTPUTS_TOKEN: 'token-123' } }, (error, _stdout, stderr) =>
        resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stderr }),
      );
    });
  }

  it('puts every file with its bytes and its URL-encoded path, and skips hidden files', async () => {
    const outputs = path.join(root, 'outputs');
    await mkdir(path.join(outputs, 'sub dir'), { recursive: true });
    await writeFile(path.join(outputs, 'table1.csv'), 'group,n\na,12\nb,40\n');
    await writeFile(path.join(outputs, 'sub dir', 'notes & $(id).txt'), 'free text\n');
    await writeFile(path.join(outputs, '.Rhistory'), 'not an output');
    received.length = 0;

    const result = await runOnce(outputs);
    expect(result).toEqual({ code: 0, stderr: '' });
    const byPath = Object.fromEntries(received.map((r) => [r.path, r]));
    expect(Object.keys(byPath).sort()).toEqual(['sub dir/notes & $(id).txt', 'table1.csv']);
    expect(byPath['table1.csv']).toEqual({ method: 'PUT', path: 'table1.csv', authorization: 'Bearer token-123', contentType: 'application/octet-stream', body: 'group,n\na,12\nb,40\n' });
    expect(byPath['sub dir/notes & $(id).txt']?.body).toBe('free text\n');
  });

  it('goes on after a refused file, says which, and ends the pass successfully', async () => {
    const outputs = path.join(root, 'outputs-refused');
    await mkdir(outputs, { recursive: true });
    await writeFile(path.join(outputs, 'a.csv'), 'a\n');
    await writeFile(path.join(outputs, 'b.csv'), 'b\n');
    refuse.add('a.csv');
    received.length = 0;

    const result = await runOnce(outputs);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('outputs-sync: a.csv not taken');
    expect(received.filter((r) => r.path === 'b.csv').map((r) => r.body)).toEqual(['b\n']);
    // curl --retry does not retry a 400: the refused file was sent once in this pass.
    expect(received.filter((r) => r.path === 'a.csv')).toHaveLength(1);
  });
});

/**
 * The same script against the platform's own outputs API (the Express app with the egress files router, the real
 * database and the real filesystem airlock store), with the outputs token the platform issues to the Job: what it
 * PUTs lands in the outputs zone with the sha256 of the bytes on disk, recorded as put by system:outputs-sync; a path
 * the platform refuses stays out.
 */
describe.skipIf(curlMissing).each(testDatabaseTargets())('the outputs-sync script against the platform outputs API on $name', (target) => {
  let db: Database;
  let server: Server;
  let base: string;
  let folder: string;
  let airlock: AirlockStore;
  let permitId: string;

  beforeAll(async () => {
    db = await target.open();
    folder = await mkdtemp(path.join(tmpdir(), 'spe-outputs-sync-platform-'));
    airlock = createAirlockStore({ knex: db.knex, blobs: createFilesystemBlobs(path.join(folder, 'store')), maxFileBytes: 1024 * 1024 });
    permitId = (await insertPermit(db.knex, { status: 'ANALYSIS_ACTIVE', processInstanceKey: '1' })).id;
    await db.knex(TABLES.permitMembers).insert([{ permit_id: permitId, user_id: 'alice', team_role: 'RESEARCH_TEAM', added_by: 'seed' }]);
    const access = createPermitAccess(createKnexPermitStore(db.knex));
    server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const config = loadConfig({ NODE_ENV: 'test', PUBLIC_URL: base });
    const devIssuer = await createDevIssuer({ publicUrl: config.publicUrl, audience: config.oidcAudience });
    const app = createApp({
      config,
      logger: pino({ level: 'silent' }),
      routers: [createEgressFilesRouter({ service: createEgressFilesService({ access, airlock, files: createKnexEgressFilesStore(db.knex), egress: createKnexEgressStore(db.knex) }) })],
      readiness: {},
      authenticator: createAuthenticator({ issuer: devIssuer.issuer, audience: config.oidcAudience, keySet: devIssuer.jwks }),
      devIssuer,
    });
    server.on('request', app);
  });

  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
    await db?.close();
    if (folder) await rm(folder, { recursive: true, force: true });
    await target.dispose();
  });

  it('puts the workspace outputs into the outputs zone with their sha256 with the issued outputs token, refusing what the platform refuses', async () => {
    const outputs = path.join(folder, 'outputs');
    await mkdir(path.join(outputs, 'tables'), { recursive: true });
    const table = 'group,n\na,12\nb,40\n';
    await writeFile(path.join(outputs, 'tables', 'table 1.csv'), table);
    // A name the release writes itself: the platform refuses it (400), the sync reports it and goes on.
    await writeFile(path.join(outputs, 'ro-crate-metadata.json'), '{}');
    // The token the worker puts into the Job's Secret (job-workers/workspace/reconcile/outputs-token-secret.ts).
    const { token } = await createKnexOutputsTokenStore(db.knex).issue({ permitId, issuedBy: 'system:workspace.start' });

    const result = await new Promise<{ code: number; stderr: string }>((resolve) => {
      execFile(
        '/bin/sh',
        ['-c', OUTPUTS_SYNC_SCRIPT, 'outputs-sync', `${base}/api/permits/${permitId}/outputs`, '0', outputs],
        { env: { PATH: process.env.PATH, TMPDIR: folder, SPE_OUTPUTS_TOKEN: token } },
        (error, _stdout, stderr) => resolve({ code: error ? 1 : 0, stderr }),
      );
    });
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('outputs-sync: ro-crate-metadata.json not taken');
    const zone = await airlock.list(permitId, 'outputs');
    expect(zone.map((object) => ({ path: object.path, sha256: object.sha256, size: object.sizeBytes, putBy: object.putBy }))).toEqual([
      { path: 'tables/table 1.csv', sha256: createHash('sha256').update(table).digest('hex'), size: Buffer.byteLength(table), putBy: 'system:outputs-sync' },
    ]);
  });
});
