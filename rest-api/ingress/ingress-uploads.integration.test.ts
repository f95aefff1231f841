/**
 * Resumable uploads over real HTTP (tus 1.0, with tus-js-client as the data holder's client) into the real
 * filesystem airlock store on the real database (PGlite; PostgreSQL too when DATABASE_URL is set): files land in
 * quarantine under the delivery with the SHA-256 of their bytes; an interrupted upload resumes from its offset;
 * every refusal is problem+json and leaves no upload and no file.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { Upload } from 'tus-js-client';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AirlockStore } from '../../airlock/store/airlock-store.js';
import { createAirlockStore } from '../../airlock/store/create-airlock-store.js';
import { createFilesystemBlobs } from '../../airlock/store/filesystem-blobs.js';
import { TABLES, type Database } from '../../db/index.js';
import { insertPermit } from '../../db/testing/permit-fixtures.js';
import { testDatabaseTargets } from '../../db/testing/test-databases.js';
import { createApp } from '../app.js';
import { loadConfig } from '../config.js';
import { createAuthenticator } from '../identity/authenticator.js';
import { createDevIssuer } from '../identity/dev-issuer.js';
import { createPermitAccess } from '../permits/permit-access.js';
import { createKnexPermitStore } from '../permits/knex-permit-store.js';
import { createIngressUploadsRouter } from './ingress-uploads-router.js';
import { createIngressUploadsService } from './ingress-uploads-service.js';
import { AIRLOCK_UPLOADS_TABLE, createKnexUploadStore } from './knex-upload-store.js';

const MAX = 1024 * 1024;
const sha = (bytes: Buffer | string) => createHash('sha256').update(bytes).digest('hex');
const b64 = (text: string) => Buffer.from(text).toString('base64');

describe.each(testDatabaseTargets())('ingress uploads (tus) on $name', (target) => {
  let db: Database;
  let server: Server;
  let base: string;
  let airlock: AirlockStore;
  let folder: string;
  let permitId: string;
  let mint: (userId: string) => Promise<string>;
  const tokens = new Map<string, string>();

  beforeEach(async () => {
    db = await target.open();
    tokens.clear();
    folder = await mkdtemp(join(tmpdir(), 'ingress-uploads-'));
    airlock = createAirlockStore({ knex: db.knex, blobs: createFilesystemBlobs(join(folder, 'airlock')), maxFileBytes: MAX });
    permitId = (await insertPermit(db.knex, { status: 'DATA_INGRESS_PENDING', processInstanceKey: '1' })).id;
    await db.knex(TABLES.permitMembers).insert([
      { permit_id: permitId, user_id: 'alice', team_role: 'RESEARCH_TEAM', added_by: 'seed' },
      { permit_id: permitId, user_id: 'rita', team_role: 'HDAB_TEAM', added_by: 'seed' },
      { permit_id: permitId, user_id: 'dana', team_role: 'DATA_HOLDER', added_by: 'seed' },
      { permit_id: permitId, user_id: 'hugo', team_role: 'DATA_HOLDER', added_by: 'seed' },
    ]);
    const access = createPermitAccess(createKnexPermitStore(db.knex));
    server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const config = loadConfig({ NODE_ENV: 'test', PUBLIC_URL: base });
    const devIssuer = await createDevIssuer({ publicUrl: config.publicUrl, audience: config.oidcAudience });
    // hugo is a second data holder, not one of the seeded users.
    mint = (userId) => (userId === 'hugo' ? devIssuer.mintDevToken('hugo', { roles: ['data-holder'] }) : devIssuer.mintDevToken(userId));
    const service = createIngressUploadsService({ access, airlock, uploads: createKnexUploadStore(db.knex), dir: join(folder, 'uploads') });
    const app = createApp({
      config,
      logger: pino({ level: 'silent' }),
      routers: [createIngressUploadsRouter({ service })],
      readiness: {},
      authenticator: createAuthenticator({ issuer: devIssuer.issuer, audience: config.oidcAudience, keySet: devIssuer.jwks }),
      devIssuer,
    });
    server.on('request', app);
  });
  afterEach(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await db.close();
    await rm(folder, { recursive: true, force: true });
  });
  afterAll(() => target.dispose());

  async function token(userId: string): Promise<string> {
    const known = tokens.get(userId);
    if (known) return known;
    const value = await mint(userId);
    tokens.set(userId, value);
    return value;
  }
  const endpoint = () => `${base}/api/permits/${permitId}/ingress/files`;

  async function tus(userId: string, method: string, url: string, headers: Record<string, string> = {}, body?: Buffer) {
    return fetch(url, { method, headers: { authorization: `Bearer ${await token(userId)}`, 'tus-resumable': '1.0.0', ...headers }, ...(body ? { body } : {}) });
  }
  const create = (userId: string, path: string, length: number, headers: Record<string, string> = {}) =>
    tus(userId, 'POST', endpoint(), { 'upload-length': String(length), 'upload-metadata': `relativePath ${b64(path)},filetype ${b64('text/csv')}`, ...headers });
  const patch = (userId: string, url: string, offset: number, bytes: Buffer, type = 'application/offset+octet-stream') =>
    tus(userId, 'PATCH', url, { 'upload-offset': String(offset), 'content-type': type }, bytes);

  async function expectProblem(response: Response, status: number, detail: RegExp) {
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(((await response.json()) as { detail: string }).detail).toMatch(detail);
  }
  const nothingLeft = async () => {
    expect(Number(((await db.knex(AIRLOCK_UPLOADS_TABLE).count({ n: '*' }).first()) as { n: string | number }).n)).toBe(0);
    expect(await airlock.list(permitId, 'quarantine')).toEqual([]);
    expect(await readdir(join(folder, 'uploads')).catch(() => [])).toEqual([]);
  };

  function upload(userId: string, path: string, bytes: Buffer, chunkSize?: number): Promise<string> {
    return token(userId).then(
      (bearer) =>
        new Promise<string>((resolve, reject) => {
          const client = new Upload(bytes, {
            endpoint: endpoint(),
            headers: { authorization: `Bearer ${bearer}` },
            metadata: { relativePath: path },
            ...(chunkSize ? { chunkSize } : {}),
            retryDelays: [],
            onError: reject,
            onSuccess: () => resolve(client.url ?? ''),
          });
          client.start();
        }),
    );
  }

  it("takes a data holder's files with tus-js-client into quarantine under their delivery, with the SHA-256 of the bytes", async () => {
    const table = Buffer.from('id,age\n1,54\n2,61\n');
    const big = Buffer.alloc(300 * 1024, 'x');
    big.write('the end', big.length - 7);
    const url = await upload('dana', 'cohort/patients.csv', table);
    expect(url).toMatch(new RegExp(`/api/permits/${permitId}/ingress/files/[0-9a-f-]{36}$`));
    await upload('dana', 'cohort/events.bin', big, 64 * 1024);
    await upload('hugo', 'registry.csv', Buffer.from('a,b\n'));
    const files = await airlock.list(permitId, 'quarantine', { deliveryId: 'dana' });
    expect(files.map((f) => [f.path, f.sha256, f.sizeBytes, f.putBy])).toEqual([
      ['cohort/events.bin', sha(big), big.length, 'dana'],
      ['cohort/patients.csv', sha(table), table.length, 'dana'],
    ]);
    const listed = await fetch(endpoint(), { headers: { authorization: `Bearer ${await token('dana')}` } });
    expect(((await listed.json()) as { path: string }[]).map((f) => f.path)).toEqual(['cohort/events.bin', 'cohort/patients.csv']);
    const forRita = await fetch(endpoint(), { headers: { authorization: `Bearer ${await token('rita')}` } });
    expect(((await forRita.json()) as { path: string }[]).map((f) => f.path)).toEqual(['cohort/events.bin', 'cohort/patients.csv', 'registry.csv']);
    const head = await tus('dana', 'HEAD', url);
    expect([head.status, head.headers.get('upload-offset'), head.headers.get('upload-length'), head.headers.get('tus-resumable')]).toEqual([200, String(table.length), String(table.length), '1.0.0']);
    expect(await readdir(join(folder, 'uploads'))).toEqual([]);
  });

  it('resumes an interrupted upload from its offset, refusing a wrong offset, and replaces an earlier upload of the path', async () => {
    const bytes = Buffer.from('0123456789abcdefghij');
    const created = await create('dana', 'data.csv', bytes.length);
    expect(created.status).toBe(201);
    expect(created.headers.get('tus-resumable')).toBe('1.0.0');
    const url = new URL(created.headers.get('location')!, base).toString();
    const first = await patch('dana', url, 0, bytes.subarray(0, 8));
    expect([first.status, first.headers.get('upload-offset')]).toEqual([204, '8']);
    expect((await tus('dana', 'HEAD', url)).headers.get('upload-offset')).toBe('8');
    await expectProblem(await patch('dana', url, 4, bytes.subarray(4)), 409, /Upload-Offset is 4 but the upload is at 8/);
    await expectProblem(await patch('hugo', url, 8, bytes.subarray(8)), 403, /belongs to dana/);
    const rest = await patch('dana', url, 8, bytes.subarray(8));
    expect([rest.status, rest.headers.get('upload-offset')]).toEqual([204, '20']);
    expect(await airlock.stat({ permitId, zone: 'quarantine', path: 'data.csv' })).toMatchObject({ sha256: sha(bytes), sizeBytes: 20, deliveryId: 'dana' });
    await upload('dana', 'data.csv', Buffer.from('fixed'));
    expect(await airlock.stat({ permitId, zone: 'quarantine', path: 'data.csv' })).toMatchObject({ sha256: sha('fixed'), sizeBytes: 5 });

    // Only the file's own data holder takes it out of quarantine again.
    const remove = async (userId: string, path: string) => fetch(`${endpoint()}?path=${encodeURIComponent(path)}`, { method: 'DELETE', headers: { authorization: `Bearer ${await token(userId)}` } });
    await expectProblem(await remove('hugo', 'data.csv'), 404, /Your delivery has no data\.csv/);
    await expectProblem(await remove('dana', '../data.csv'), 400, /is refused/);
    expect((await remove('dana', 'data.csv')).status).toBe(204);
    expect(await airlock.list(permitId, 'quarantine')).toEqual([]);
  });

  it('refuses hostile names, oversized files and everyone but the data holders while ingress is open, leaving nothing', async () => {
    for (const path of ['../../etc/passwd', '/etc/passwd', 'a/../b.csv', 'new\nline.csv', 'tab\t.csv', 'back\\slash.csv', '-rf']) {
      await expectProblem(await create('dana', path, 4), 400, /is refused: it must/);
    }
    await expectProblem(await create('dana', 'big.csv', MAX + 1), 413, new RegExp(`largest file accepted is ${MAX} bytes`));
    await expectProblem(await create('alice', 'a.csv', 4), 403, /./);
    await expectProblem(await create('dana', 'a.csv', 4, { 'tus-resumable': '0.2.2' }), 412, /Send Tus-Resumable: 1\.0\.0/);
    await expectProblem(await tus('dana', 'POST', endpoint(), { 'upload-length': '4' }), 400, /Name the file/);
    await expectProblem(await tus('dana', 'POST', endpoint(), { 'upload-length': '-1', 'upload-metadata': `relativePath ${b64('a.csv')}` }), 400, /Upload-Length as a whole number/);
    await expectProblem(await tus('dana', 'POST', endpoint(), { 'upload-length': '4', 'upload-metadata': 'relativePath !!!' }), 400, /Upload-Metadata must be/);
    await nothingLeft();
    await db.knex(TABLES.permits).where({ id: permitId }).update({ status: 'ANALYSIS_ACTIVE' });
    await expectProblem(await create('dana', 'late.csv', 4), 409, /./);
    await nothingLeft();
  });

  it('cuts back a PATCH that runs past the announced length, refuses other media types, and ends an upload on DELETE', async () => {
    const created = await create('dana', 'short.csv', 5);
    const url = new URL(created.headers.get('location')!, base).toString();
    await expectProblem(await patch('dana', url, 0, Buffer.from('123456789')), 413, /run past its announced length of 5 bytes/);
    expect((await tus('dana', 'HEAD', url)).headers.get('upload-offset')).toBe('0');
    await expectProblem(await patch('dana', url, 0, Buffer.from('12345'), 'application/octet-stream'), 415, /application\/offset\+octet-stream/);
    expect((await tus('dana', 'DELETE', url)).status).toBe(204);
    await expectProblem(await tus('dana', 'HEAD', url).then(async (r) => (r.status === 404 ? tus('dana', 'GET', url) : r)), 404, /There is no upload/);
    await nothingLeft();
  });
});
