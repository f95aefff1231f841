/**
 * The outputs-sync token over real HTTP on the real database (PGlite; PostgreSQL too when DATABASE_URL is set) and
 * the filesystem airlock store: a token the platform issued for permit A puts a file into A's outputs (recorded as
 * put by system:outputs-sync) and does nothing else: not another permit's outputs, not any other route (the
 * identity provider's verification refuses it), not after it was revoked, replaced or expired, not outside analysis.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Knex } from 'knex';
import { pino } from 'pino';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createKnexOutputsTokenStore, OUTPUTS_SYNC_TOKENS_TABLE } from '../../airlock/outputs-token/knex-outputs-token-store.js';
import type { OutputsTokenStore } from '../../airlock/outputs-token/outputs-token-store.js';
import type { AirlockStore } from '../../airlock/store/airlock-store.js';
import { createAirlockStore } from '../../airlock/store/create-airlock-store.js';
import { createFilesystemBlobs } from '../../airlock/store/filesystem-blobs.js';
import { TABLES, type Database } from '../../db/index.js';
import { insertPermit } from '../../db/testing/permit-fixtures.js';
import { testDatabaseTargets } from '../../db/testing/test-databases.js';
import { createApp } from '../app.js';
import { loadConfig } from '../config.js';
import type { EnginePort } from '../engine/engine-port.js';
import { createAuthenticator, type Authenticator } from '../identity/authenticator.js';
import { UnauthenticatedError } from '../identity/unauthenticated-error.js';
import { createDevIssuer } from '../identity/dev-issuer.js';
import { createPermitAccess } from '../permits/permit-access.js';
import { createKnexPermitStore } from '../permits/knex-permit-store.js';
import { createEgressFilesRouter } from './egress-files-router.js';
import { createEgressFilesService } from './egress-files-service.js';
import { createKnexEgressFilesStore } from './knex-egress-files-store.js';
import { createEgressRouter } from './egress-router.js';
import { createEgressService } from './egress-service.js';
import { createKnexEgressStore } from './knex-egress-store.js';

describe.each(testDatabaseTargets())('outputs-sync token on $name', (target) => {
  let db: Database;
  let knex: Knex;
  let server: Server;
  let base: string;
  let airlock: AirlockStore;
  let folder: string;
  let permitA: string;
  let permitB: string;
  let tokens: OutputsTokenStore;
  let now: Date;
  let authenticator: Authenticator;

  beforeEach(async () => {
    db = await target.open();
    knex = db.knex;
    now = new Date();
    folder = await mkdtemp(join(tmpdir(), 'outputs-token-'));
    airlock = createAirlockStore({ knex, blobs: createFilesystemBlobs(folder), maxFileBytes: 1024 * 1024 });
    permitA = (await insertPermit(knex, { status: 'ANALYSIS_ACTIVE', processInstanceKey: '1' })).id;
    permitB = (await insertPermit(knex, { status: 'ANALYSIS_ACTIVE', processInstanceKey: '2' })).id;
    for (const permitId of [permitA, permitB]) await knex(TABLES.permitMembers).insert({ permit_id: permitId, user_id: 'alice', team_role: 'RESEARCH_TEAM', added_by: 'seed' });
    tokens = createKnexOutputsTokenStore(knex, { clock: () => now });
    const access = createPermitAccess(createKnexPermitStore(knex));
    const files = createKnexEgressFilesStore(knex);
    const egressStore = createKnexEgressStore(knex);
    const engine = { correlateMessage: () => Promise.resolve({ processInstanceKey: '1' }), isWaitingFor: () => Promise.resolve(true) } as unknown as EnginePort;
    server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const config = loadConfig({ NODE_ENV: 'test', PUBLIC_URL: base });
    const devIssuer = await createDevIssuer({ publicUrl: config.publicUrl, audience: config.oidcAudience });
    authenticator = createAuthenticator({ issuer: devIssuer.issuer, audience: config.oidcAudience, keySet: devIssuer.jwks });
    const app = createApp({
      config,
      logger: pino({ level: 'silent' }),
      routers: [
        createEgressRouter({ service: createEgressService({ access, engine, store: egressStore, airlock, files }) }),
        createEgressFilesRouter({ service: createEgressFilesService({ access, airlock, files, egress: egressStore }) }),
      ],
      readiness: {},
      authenticator,
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

  const send = (token: string, method: string, path: string, body?: string) =>
    fetch(`${base}/api${path}`, { method, headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/octet-stream' } : {}) }, ...(body !== undefined ? { body } : {}) });
  const putOutput = (token: string, permitId: string, path: string, body = 'n\n12\n') => send(token, 'PUT', `/permits/${permitId}/outputs?path=${encodeURIComponent(path)}`, body);
  const expectProblem = async (answer: Response, status: number, detail?: RegExp) => {
    expect(answer.status).toBe(status);
    expect(answer.headers.get('content-type')).toContain('application/problem+json');
    if (detail) expect(((await answer.json()) as { detail: string }).detail).toMatch(detail);
  };

  it("puts files into its own permit's outputs and is refused everywhere else", async () => {
    const issued = await tokens.issue({ permitId: permitA, issuedBy: 'system:workspace.start' });
    expect(issued.token).toMatch(/^spe-outputs\.[0-9a-f-]{36}\.[A-Za-z0-9_-]{43}$/);
    // Only the hash is stored.
    const row = (await knex(OUTPUTS_SYNC_TOKENS_TABLE).where({ id: issued.tokenId }).first()) as Record<string, unknown>;
    expect(JSON.stringify(row)).not.toContain(issued.token.split('.')[2]);

    const put = await putOutput(issued.token, permitA, 'tables/t1.csv');
    expect(put.status).toBe(201);
    expect(await put.json()).toMatchObject({ path: 'tables/t1.csv', sizeBytes: 5, putBy: 'system:outputs-sync' });
    expect((await airlock.list(permitA, 'outputs')).map((o) => [o.path, o.putBy])).toEqual([['tables/t1.csv', 'system:outputs-sync']]);

    // Another permit's outputs: 403, nothing kept.
    await expectProblem(await putOutput(issued.token, permitB, 'tables/t1.csv'), 403, new RegExp(`outputs of permit ${permitA} only`));
    expect(await airlock.list(permitB, 'outputs')).toEqual([]);
    // Any other route, read or write, on its own permit too: 401 (not an identity provider's token).
    for (const [method, path] of [
      ['GET', `/permits/${permitA}/outputs`],
      ['GET', `/permits/${permitA}/releases`],
      ['GET', `/permits/${permitA}/egress-requests`],
      ['GET', `/permits/${permitA}/disclosure-thresholds`],
      ['PUT', `/permits/${permitA}/disclosure-thresholds`],
      ['POST', `/permits/${permitA}/egress-requests`],
    ] as const) {
      const answer = await send(issued.token, method, path, method === 'GET' ? undefined : '{}');
      expect(answer.status, `${method} ${path}`).toBe(401);
      expect(answer.headers.get('content-type')).toContain('application/problem+json');
    }
    // Every bearer route verifies with the identity provider's keys, which refuse it (not a JWT).
    await expect(authenticator.verify(issued.token)).rejects.toBeInstanceOf(UnauthenticatedError);
    // A hostile name is refused as for anyone; a tampered secret is not the token.
    await expectProblem(await putOutput(issued.token, permitA, '../escape.csv'), 400);
    const tampered = issued.token.slice(0, -1) + (issued.token.endsWith('A') ? 'B' : 'A');
    await expectProblem(await putOutput(tampered, permitA, 'tables/t2.csv'), 401, /unknown, revoked or expired/);
    expect((await airlock.list(permitA, 'outputs')).map((o) => o.path)).toEqual(['tables/t1.csv']);
  });

  it('is refused once replaced, revoked or expired, and outside analysis', async () => {
    const first = await tokens.issue({ permitId: permitA, issuedBy: 'system:test' });
    expect(await tokens.isCurrent(permitA, first.token)).toBe(true);
    expect(await tokens.isCurrent(permitB, first.token)).toBe(false);
    const second = await tokens.issue({ permitId: permitA, issuedBy: 'system:test' });
    expect(await tokens.isCurrent(permitA, first.token)).toBe(false);
    await expectProblem(await putOutput(first.token, permitA, 'a.csv'), 401);
    expect((await putOutput(second.token, permitA, 'a.csv')).status).toBe(201);

    await knex(TABLES.permits).where({ id: permitA }).update({ status: 'EGRESS_APPROVED' });
    await expectProblem(await putOutput(second.token, permitA, 'b.csv'), 409, /only during analysis/);
    await knex(TABLES.permits).where({ id: permitA }).update({ status: 'ANALYSIS_ACTIVE' });

    expect(await tokens.revokeAll({ permitId: permitA, reason: 'permit closed', revokedBy: 'system:workspace.delete-data' })).toBe(1);
    expect(await tokens.revokeAll({ permitId: permitA, reason: 'again', revokedBy: 'system:workspace.delete-data' })).toBe(0);
    await expectProblem(await putOutput(second.token, permitA, 'c.csv'), 401);

    const third = await tokens.issue({ permitId: permitA, issuedBy: 'system:test' });
    expect(new Date(third.expiresAt).getTime() - now.getTime()).toBeLessThanOrEqual(30 * 24 * 3600 * 1000);
    // Past its expiry (the API's own clock is real time): refused.
    await knex(OUTPUTS_SYNC_TOKENS_TABLE).where({ id: third.tokenId }).update({ issued_at: new Date(Date.now() - 7200_000), expires_at: new Date(Date.now() - 1000) });
    await expectProblem(await putOutput(third.token, permitA, 'd.csv'), 401);
    expect((await airlock.list(permitA, 'outputs')).map((o) => o.path)).toEqual(['a.csv']);
    const actions = ((await knex(TABLES.auditLog).where({ permit_id: permitA }).whereLike('action', 'airlock.outputs-token.%').orderBy('seq')) as { action: string }[]).map((a) => a.action);
    expect(actions).toEqual(['airlock.outputs-token.issued', 'airlock.outputs-token.revoked', 'airlock.outputs-token.issued', 'airlock.outputs-token.revoked', 'airlock.outputs-token.issued']);
  });
});
