/**
 * Egress with files over real HTTP on the real database (PGlite; PostgreSQL too when DATABASE_URL is set) and the
 * real filesystem airlock store: alice puts tables into outputs, drafts and submits a request (the checks run and
 * are stored with it), rita previews the submitted bytes, the release copies them to the released zone with a
 * valid RO-Crate, and alice downloads them, each download an audit entry. Refusals answer problem+json and
 * leave no trace. The engine is a fake port that takes the submit message.
 */
import { createHash, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Knex } from 'knex';
import { pino } from 'pino';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DOMINATED_TABLE, PASSING_TABLE, SMALL_CELL_TABLE } from '../../airlock/disclosure/disclosure-fixtures.js';
import { text } from 'node:stream/consumers';
import { CHECKS_FILE, CRATE_FILE, MANIFEST_FILE } from '../../airlock/release/build-release-crate.js';
import { createAirlockRelease } from '../../airlock/release/release-outputs.js';
import { createKnexReleaseRecords } from '../../airlock/release/knex-release-records.js';
import { validateReleaseCrate } from '../../airlock/release/validate-release-crate.js';
import type { AirlockStore } from '../../airlock/store/airlock-store.js';
import { createAirlockStore } from '../../airlock/store/create-airlock-store.js';
import { createFilesystemBlobs } from '../../airlock/store/filesystem-blobs.js';
import { appendAudit, TABLES, type Database } from '../../db/index.js';
import { sealDeletionCertificate } from '../../job-workers/workspace/reconcile/deletion-certificate.js';
import { DELETION_AUDIT_ACTION } from '../../job-workers/workspace/store/workspace-store.js';
import { insertPermit } from '../../db/testing/permit-fixtures.js';
import { testDatabaseTargets } from '../../db/testing/test-databases.js';
import { createApp } from '../app.js';
import { loadConfig } from '../config.js';
import type { CorrelateMessageRequest, EnginePort } from '../engine/engine-port.js';
import { createAuthenticator } from '../identity/authenticator.js';
import { createDevIssuer } from '../identity/dev-issuer.js';
import { createPermitAccess } from '../permits/permit-access.js';
import { createKnexPermitStore } from '../permits/knex-permit-store.js';
import { createEgressFilesRouter } from './egress-files-router.js';
import { createEgressFilesService } from './egress-files-service.js';
import { createKnexEgressFilesStore } from './knex-egress-files-store.js';
import { createEgressRouter } from './egress-router.js';
import { createEgressService } from './egress-service.js';
import { createKnexEgressStore } from './knex-egress-store.js';

const sha = (text: string) => createHash('sha256').update(text).digest('hex');
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a0e2b7a60000000049454e44ae426082', 'hex');

describe.each(testDatabaseTargets())('egress with files on $name', (target) => {
  let db: Database;
  let knex: Knex;
  let server: Server;
  let base: string;
  let airlock: AirlockStore;
  let folder: string;
  let permitId: string;
  const correlated: CorrelateMessageRequest[] = [];
  const tokens = new Map<string, string>();

  beforeEach(async () => {
    db = await target.open();
    knex = db.knex;
    correlated.length = 0;
    tokens.clear();
    folder = await mkdtemp(join(tmpdir(), 'egress-files-'));
    airlock = createAirlockStore({ knex, blobs: createFilesystemBlobs(folder), maxFileBytes: 10 * 1024 * 1024 });
    permitId = (await insertPermit(knex, { status: 'ANALYSIS_ACTIVE', processInstanceKey: '1' })).id;
    await knex(TABLES.permitMembers).insert([
      { permit_id: permitId, user_id: 'alice', team_role: 'RESEARCH_TEAM', added_by: 'seed' },
      { permit_id: permitId, user_id: 'rita', team_role: 'HDAB_TEAM', added_by: 'seed' },
      { permit_id: permitId, user_id: 'dana', team_role: 'DATA_HOLDER', added_by: 'seed' },
    ]);
    const engine = { correlateMessage: async (request: CorrelateMessageRequest) => (correlated.push(request), { processInstanceKey: '1' }), isWaitingFor: async () => true } as unknown as EnginePort;
    const access = createPermitAccess(createKnexPermitStore(knex));
    const files = createKnexEgressFilesStore(knex);
    const egressStore = createKnexEgressStore(knex);
    server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const config = loadConfig({ NODE_ENV: 'test', PUBLIC_URL: base });
    const devIssuer = await createDevIssuer({ publicUrl: config.publicUrl, audience: config.oidcAudience });
    const app = createApp({
      config,
      logger: pino({ level: process.env.TEST_LOG ?? 'silent' }),
      routers: [
        createEgressRouter({ service: createEgressService({ access, engine, store: egressStore, airlock, files }) }),
        createEgressFilesRouter({ service: createEgressFilesService({ access, airlock, files, egress: egressStore }) }),
      ],
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
    const response = await fetch(`${base}/api/dev-auth/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ userId }) });
    const value = ((await response.json()) as { access_token: string }).access_token;
    tokens.set(userId, value);
    return value;
  }
  const call = async (userId: string, method: string, path: string, body?: unknown, type = 'application/json') =>
    fetch(`${base}/api${path}`, {
      method,
      headers: { authorization: `Bearer ${await token(userId)}`, ...(body !== undefined ? { 'content-type': type } : {}) },
      ...(body !== undefined ? { body: typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body) } : {}),
    });
  const put = (userId: string, path: string, bytes: string | Buffer) => call(userId, 'PUT', `/permits/${permitId}/outputs?path=${encodeURIComponent(path)}`, bytes, 'application/octet-stream');
  const audits = async (action: string) => (await knex(TABLES.auditLog).where({ action }).orderBy('seq')) as { actor: string; details: Record<string, unknown> }[];

  async function submitted(files: { path: string; description?: string; supporting?: boolean }[]): Promise<string> {
    const created = await call('alice', 'POST', `/permits/${permitId}/egress-requests`, { title: 'Tables for the paper', files });
    expect(created.status).toBe(201);
    const id = ((await created.json()) as { id: string }).id;
    const submit = await call('alice', 'POST', `/permits/${permitId}/egress-requests/${id}/submit`);
    expect(submit.status, await submit.clone().text()).toBe(202);
    return id;
  }

  it('puts files into outputs, checks them on submission, shows them to reviewers, releases them with a crate and audits each download', async () => {
    expect((await put('alice', 'tables/admissions.csv', PASSING_TABLE)).status).toBe(201);
    expect((await put('alice', 'tables/small.csv', SMALL_CELL_TABLE)).status).toBe(201);
    expect((await put('alice', 'tables/costs_sdc.csv', DOMINATED_TABLE)).status).toBe(201);
    const image = await put('alice', 'figures/km.png', PNG);
    expect(await image.json()).toMatchObject({ path: 'figures/km.png', sha256: createHash('sha256').update(PNG).digest('hex'), sizeBytes: PNG.length, mediaType: 'image/png', putBy: 'alice' });

    const id = await submitted([
      { path: 'tables/admissions.csv', description: 'Admissions by region' },
      { path: 'tables/small.csv' },
      { path: 'tables/costs_sdc.csv', supporting: true },
      { path: 'figures/km.png' },
    ]);
    const listed = (await (await call('rita', 'GET', `/permits/${permitId}/egress-requests/${id}/files`)).json()) as { path: string; unchanged: boolean; inOutputs: boolean; check: { status: string; sdc: { cells: Record<string, unknown> } } }[];
    expect(listed.map((f) => [f.path, f.check.status, f.unchanged, f.inOutputs])).toEqual([
      ['tables/admissions.csv', 'pass', true, true],
      ['tables/small.csv', 'fail', true, true],
      ['tables/costs_sdc.csv', 'fail', true, true],
      ['figures/km.png', 'review', true, true],
    ]);
    expect(listed[1]?.check.sdc.cells.threshold).toEqual([[1, 2]]);
    expect(listed[2]?.check.sdc.cells['nk-rule']).toEqual([[1, 1]]);
    // The submit message (sent directly, or queued in the engine-command outbox in the submit's transaction).
    const queued = (await knex('engine_commands').where({ permit_id: permitId }).first('variables')) as { variables: unknown } | undefined;
    const variables = correlated[0]?.variables ?? (typeof queued?.variables === 'string' ? JSON.parse(queued.variables) : queued?.variables);
    const message = variables as { egressFiles: { path: string; checkStatus: string; sha256: string; checkSummary: string }[] };
    expect(message.egressFiles[1]).toMatchObject({ path: 'tables/small.csv', checkStatus: 'fail', sha256: sha(SMALL_CELL_TABLE), checkSummary: 'fail: 3 rows × 4 columns, frequency table; 1 cell below the minimum count of 10.' });

    const preview = await call('rita', 'GET', `/permits/${permitId}/egress-requests/${id}/files/preview?path=tables%2Fsmall.csv`);
    expect(await preview.json()).toMatchObject({ kind: 'table', header: ['region', 'Male', 'Female', 'Total'], rows: [['South', '40', '38', '78'], ['North', '25', '7', '32'], ['Total', '65', '45', '110']], truncated: false });
    const content = await call('rita', 'GET', `/permits/${permitId}/egress-requests/${id}/files/content?path=figures%2Fkm.png`);
    expect(content.headers.get('content-type')).toBe('image/png');
    expect(content.headers.get('content-security-policy')).toContain('sandbox');
    expect(Buffer.from(await content.arrayBuffer()).equals(PNG)).toBe(true);
    // The research team reads no bytes before release.
    const refused = await call('alice', 'GET', `/permits/${permitId}/egress-requests/${id}/files/preview?path=tables%2Fsmall.csv`);
    expect(refused.status).toBe(403);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');

    await knex(TABLES.reviewDecisions).insert({ id: randomUUID(), permit_id: permitId, stage: 'EGRESS', decision: 'APPROVED', reviewer: 'rita', egress_request_id: id, checklist: JSON.stringify(['MIN_CELL_COUNT_10']), decided_at: new Date('2026-12-06T12:00:00Z') });
    const release = createAirlockRelease({ airlock, records: createKnexReleaseRecords(knex), baseUrl: base });
    const first = await release.release(permitId, id, 'system:test');
    const again = await release.release(permitId, id, 'system:test');
    expect(again).toEqual(first);
    expect(first.files.map((f) => f.path)).toEqual(['tables/admissions.csv', 'tables/small.csv', 'figures/km.png']);
    // The crate, the manifest and the check results are objects beside the released files, the bytes recorded.
    expect((await airlock.list(permitId, 'released')).map((o) => o.path)).toEqual(
      [`${id}/${CHECKS_FILE}`, `${id}/figures/km.png`, `${id}/${MANIFEST_FILE}`, `${id}/${CRATE_FILE}`, `${id}/tables/admissions.csv`, `${id}/tables/small.csv`].sort(),
    );
    const storedCrate = await text(await airlock.open({ permitId, zone: 'released', path: `${id}/${CRATE_FILE}` }));
    expect(storedCrate).toBe(first.crate);
    expect(validateReleaseCrate(JSON.parse(storedCrate), first.files)).toEqual([]);
    const storedManifest = await text(await airlock.open({ permitId, zone: 'released', path: `${id}/${MANIFEST_FILE}` }));
    expect(storedManifest).toContain(`${sha(PASSING_TABLE)}  tables/admissions.csv`);
    expect(await audits('egress.released')).toHaveLength(1);

    const releases = (await (await call('alice', 'GET', `/permits/${permitId}/releases`)).json()) as { files: { path: string; sha256: string }[]; metadata: { path: string; sha256: string }[]; deletedAtClosure: unknown }[];
    expect(releases[0]?.metadata.map((m) => m.path)).toEqual([CRATE_FILE, MANIFEST_FILE, CHECKS_FILE]);
    expect(releases[0]?.metadata[0]?.sha256).toBe(sha(storedCrate));
    expect(releases[0]?.deletedAtClosure).toBeNull();
    const download = await call('alice', 'GET', `/permits/${permitId}/releases/${id}/download?path=tables%2Fadmissions.csv`);
    expect(download.status).toBe(200);
    expect(download.headers.get('content-disposition')).toBe("attachment; filename*=UTF-8''admissions.csv");
    expect(await download.text()).toBe(PASSING_TABLE);
    const crateAnswer = await call('alice', 'GET', `/permits/${permitId}/releases/${id}/download?path=${CRATE_FILE}`);
    const crateText = await crateAnswer.text();
    expect(crateText).toBe(storedCrate);
    expect(validateReleaseCrate(JSON.parse(crateText), releases[0]?.files ?? [])).toEqual([]);
    expect((await audits('egress.release-downloaded')).map((a) => [a.actor, a.details.path])).toEqual([
      ['alice', 'tables/admissions.csv'],
      ['alice', CRATE_FILE],
    ]);

    // Only the research team downloads; refusals leave no audit entry.
    for (const who of ['rita', 'dana']) {
      const answer = await call(who, 'GET', `/permits/${permitId}/releases/${id}/download?path=tables%2Fadmissions.csv`);
      expect(answer.status).toBe(403);
      expect(answer.headers.get('content-type')).toContain('application/problem+json');
    }
    expect((await call('alice', 'GET', `/permits/${permitId}/releases/${id}/download?path=tables%2Fcosts_sdc.csv`)).status).toBe(404);
    expect((await call('victor', 'GET', `/permits/${permitId}/releases/${id}/download?path=tables%2Fadmissions.csv`)).status).toBe(404);
    expect(await audits('egress.release-downloaded')).toHaveLength(2);
  });

  it('resumes a release that stopped between its metadata files, and writes the same bytes again', async () => {
    await put('alice', 'tables/admissions.csv', PASSING_TABLE);
    const id = await submitted([{ path: 'tables/admissions.csv' }]);
    await knex(TABLES.reviewDecisions).insert({ id: randomUUID(), permit_id: permitId, stage: 'EGRESS', decision: 'APPROVED', reviewer: 'rita', egress_request_id: id, decided_at: new Date('2026-12-06T12:00:00Z') });
    // A crash after the crate: the manifest's write fails once.
    let crashes = 1;
    const crashing: AirlockStore = {
      ...airlock,
      putGenerated: (input) => (input.path.endsWith(MANIFEST_FILE) && crashes-- > 0 ? Promise.reject(new Error('crash')) : airlock.putGenerated(input)),
    };
    const release = createAirlockRelease({ airlock: crashing, records: createKnexReleaseRecords(knex), baseUrl: base });
    await expect(release.release(permitId, id, 'system:test')).rejects.toThrow('crash');
    const half = await airlock.list(permitId, 'released');
    expect(half.map((o) => o.path)).toEqual([`${id}/${CRATE_FILE}`, `${id}/tables/admissions.csv`]);
    expect(await knex('egress_releases')).toEqual([]);
    expect((await call('alice', 'GET', `/permits/${permitId}/releases/${id}/download?path=${CRATE_FILE}`)).status).toBe(404);

    const done = await release.release(permitId, id, 'system:test');
    const objects = await airlock.list(permitId, 'released');
    expect(objects.map((o) => o.path)).toEqual([`${id}/${CHECKS_FILE}`, `${id}/${MANIFEST_FILE}`, `${id}/${CRATE_FILE}`, `${id}/tables/admissions.csv`]);
    // The crate written before the crash was kept as it was: the same bytes.
    expect(objects.find((o) => o.path.endsWith(CRATE_FILE))).toEqual(half[0]);
    expect(await text(await airlock.open({ permitId, zone: 'released', path: `${id}/${MANIFEST_FILE}` }))).toBe(done.manifest);
    expect(await audits('egress.released')).toHaveLength(1);
    // A metadata object lost after the record is written again from the recorded bytes by the next job.
    await airlock.remove({ permitId, zone: 'released', path: `${id}/${CHECKS_FILE}` });
    expect(await release.release(permitId, id, 'system:test')).toEqual(done);
    expect(await text(await airlock.open({ permitId, zone: 'released', path: `${id}/${CHECKS_FILE}` }))).toBe(done.checks);
  });

  it('says released files were deleted at closure, when and with which proof, and answers 410 to a download', async () => {
    await put('alice', 'tables/admissions.csv', PASSING_TABLE);
    const id = await submitted([{ path: 'tables/admissions.csv' }]);
    await knex(TABLES.reviewDecisions).insert({ id: randomUUID(), permit_id: permitId, stage: 'EGRESS', decision: 'APPROVED', reviewer: 'rita', egress_request_id: id, decided_at: new Date('2026-12-06T12:00:00Z') });
    await createAirlockRelease({ airlock, records: createKnexReleaseRecords(knex), baseUrl: base }).release(permitId, id, 'system:test');
    // Closure: workspace.delete-data removes every zone and records its proof of deletion in the audit chain.
    const removed = await airlock.removePermit(permitId);
    const certificate = sealDeletionCertificate({
      permitId,
      namespace: `spe-permit-${permitId}`,
      deletedAt: '2026-12-07T09:30:00.000Z',
      driver: 'manifests',
      job: `workspace.delete-data/${permitId}/1`,
      deleted: [{ ref: `airlock: ${removed} file(s) of permit ${permitId} in every zone`, existed: true }],
      retained: [],
    });
    const entry = await appendAudit(knex, { actor: 'system:workspace.delete-data', action: DELETION_AUDIT_ACTION, permitId, details: { ...certificate } });
    await knex(TABLES.permits).where({ id: permitId }).update({ status: 'CLOSED' });
    const deletion = { deletedAt: '2026-12-07T09:30:00.000Z', proofOfDeletion: certificate.hash, auditSeq: Number(entry.entry.seq) };

    const [release] = (await (await call('alice', 'GET', `/permits/${permitId}/releases`)).json()) as { files: { path: string }[]; deletedAtClosure: unknown }[];
    expect(release?.files.map((f) => f.path)).toEqual(['tables/admissions.csv']);
    expect(release?.deletedAtClosure).toEqual(deletion);
    const [file] = (await (await call('rita', 'GET', `/permits/${permitId}/egress-requests/${id}/files`)).json()) as { inOutputs: boolean; deletedAtClosure: unknown }[];
    expect(file).toMatchObject({ inOutputs: false, deletedAtClosure: deletion });
    for (const path of ['tables/admissions.csv', CRATE_FILE]) {
      const gone = await call('alice', 'GET', `/permits/${permitId}/releases/${id}/download?path=${encodeURIComponent(path)}`);
      expect(gone.status).toBe(410);
      expect(gone.headers.get('content-type')).toContain('application/problem+json');
      const problem = (await gone.json()) as { detail: string; proofOfDeletion: string };
      expect(problem.detail).toContain('deleted with the rest of permit');
      expect(problem.detail).toContain('2026-12-07T09:30:00.000Z');
      expect(problem.proofOfDeletion).toBe(certificate.hash);
    }
    // Still only for the research team, and a refused download writes no audit entry.
    expect((await call('rita', 'GET', `/permits/${permitId}/releases/${id}/download?path=tables%2Fadmissions.csv`)).status).toBe(403);
    expect(await audits('egress.release-downloaded')).toEqual([]);
  });

  it("refuses a request that chooses its own number of reviews: the HDAB's output release policy decides it (issue 19)", async () => {
    expect((await put('alice', 'tables/admissions.csv', PASSING_TABLE)).status).toBe(201);
    const refused = await call('alice', 'POST', `/permits/${permitId}/egress-requests`, { title: 'Tables for the paper', files: [{ path: 'tables/admissions.csv' }], requiredReviews: 1 });
    expect(refused.status).toBe(400);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    const problem = (await refused.json()) as { detail: string; errors: { path: string; message: string }[] };
    expect(problem.errors).toEqual([{ path: 'body', message: expect.stringMatching(/^requiredReviews is not the research team's to choose: the HDAB's output release policy/) }]);
    expect(await knex(TABLES.egressRequests).where({ permit_id: permitId })).toEqual([]);

    const created = await call('alice', 'POST', `/permits/${permitId}/egress-requests`, { title: 'Tables for the paper', files: [{ path: 'tables/admissions.csv' }] });
    expect(await created.json()).toMatchObject({ status: 'DRAFT', requiredReviews: null, requiredReviewsReason: null });
  });

  it('refuses bad outputs and a submit naming a missing file, changing nothing', async () => {
    const traversal = await put('alice', '../etc/passwd', 'x');
    expect(traversal.status).toBe(400);
    expect(await traversal.json()).toMatchObject({ status: 400 });
    expect((await put('alice', 'ro-crate-metadata.json', '{}')).status).toBe(400);
    expect((await put('rita', 'tables/t.csv', PASSING_TABLE)).status).toBe(403);
    expect(await airlock.list(permitId, 'outputs')).toEqual([]);

    const created = await call('alice', 'POST', `/permits/${permitId}/egress-requests`, { title: 'Missing file', files: [{ path: 'tables/none.csv' }] });
    const id = ((await created.json()) as { id: string }).id;
    const submit = await call('alice', 'POST', `/permits/${permitId}/egress-requests/${id}/submit`);
    expect(submit.status).toBe(400);
    expect(((await submit.json()) as { detail: string }).detail).toContain('tables/none.csv');
    expect(correlated).toEqual([]);
    expect(((await knex(TABLES.egressRequests).where({ id }).first()) as { status: string }).status).toBe('DRAFT');
    expect(await knex('egress_file_checks').where({ egress_request_id: id })).toEqual([]);
    expect(await audits('egress.request-submitted')).toEqual([]);
  });

  it('does not release bytes changed after review, and checks with the permit\'s own thresholds', async () => {
    const set = await call('rita', 'PUT', `/permits/${permitId}/disclosure-thresholds`, { minCellCount: 30, dominanceN: 2, dominanceK: 85, pRatio: 10, zerosAreDisclosive: false });
    expect(set.status).toBe(200);
    expect((await call('alice', 'PUT', `/permits/${permitId}/disclosure-thresholds`, { minCellCount: 1, dominanceN: 2, dominanceK: 85, pRatio: 10, zerosAreDisclosive: false })).status).toBe(403);
    await put('alice', 'tables/admissions.csv', PASSING_TABLE);
    const id = await submitted([{ path: 'tables/admissions.csv' }]);
    const [file] = (await (await call('rita', 'GET', `/permits/${permitId}/egress-requests/${id}/files`)).json()) as { check: { status: string; thresholds: { minCellCount: number } } }[];
    expect(file?.check).toMatchObject({ status: 'fail', thresholds: { minCellCount: 30 } });

    await put('alice', 'tables/admissions.csv', SMALL_CELL_TABLE);
    const stale = await call('rita', 'GET', `/permits/${permitId}/egress-requests/${id}/files/preview?path=tables%2Fadmissions.csv`);
    expect(stale.status).toBe(409);
    const release = createAirlockRelease({ airlock, records: createKnexReleaseRecords(knex), baseUrl: base });
    await expect(release.release(permitId, id, 'system:test')).rejects.toThrow(/changed after it was reviewed/);
    expect(await airlock.list(permitId, 'released')).toEqual([]);
    expect(await knex('egress_releases')).toEqual([]);
    const listing = async () => ((await (await call('rita', 'GET', `/permits/${permitId}/egress-requests/${id}/files`)).json()) as { unchanged: boolean; inOutputs: boolean }[])[0];
    expect(await listing()).toMatchObject({ unchanged: false, inOutputs: true });
    // Removed from outputs (as the permit's data deletion does): told apart from changed bytes.
    await airlock.remove({ permitId, zone: 'outputs', path: 'tables/admissions.csv' });
    expect(await listing()).toMatchObject({ unchanged: false, inOutputs: false });
  });
});
