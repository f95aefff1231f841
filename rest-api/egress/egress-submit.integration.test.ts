/**
 * Output requests on the real database (PGlite; PostgreSQL too when DATABASE_URL is set).
 *
 * Submitting goes through the engine-command outbox (docs/adr/0006-engine-commands.md): ten identical concurrent
 * submits move the request once, write one audit entry and one command, and the engine takes one message; a
 * process not waiting leaves the request a DRAFT with nothing written; a failure between the commit and the
 * engine (the answer lost after the engine took the message, the engine unreachable, the relay failing too) ends
 * with the engine holding the message exactly once and the command marked delivered. The engine here keeps message
 * ids as Zeebe does (a second publication with a held id is ALREADY_EXISTS).
 *
 * Creating binds its Idempotency-Key in its own transaction: requests holding one key at once (a retry that took
 * over the key of a request that died) create one request and all answer it; over HTTP, concurrent duplicates with
 * one key create one request, the others answer 409 (still in progress) or the first answer replayed.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Knex } from 'knex';
import { pino } from 'pino';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ENGINE_COMMANDS_TABLE, TABLES, type Database } from '../../db/index.js';
import { insertEgressRequest, insertPermit } from '../../db/testing/permit-fixtures.js';
import { testDatabaseTargets } from '../../db/testing/test-databases.js';
import { ConflictError, InvalidTransitionError, MESSAGES } from '../../shared/index.js';
import { createApp } from '../app.js';
import { loadConfig } from '../config.js';
import type { Caller } from '../identity/caller.js';
import { createAuthenticator } from '../identity/authenticator.js';
import { createDevIssuer } from '../identity/dev-issuer.js';
import { createEngineCommandRelay } from '../permits/engine-command-relay.js';
import { createPermitAccess } from '../permits/permit-access.js';
import { createKnexPermitStore } from '../permits/knex-permit-store.js';
import { createIdempotencyKeyMiddleware } from '../platform/idempotency-key.js';
import { createEgressFeature } from './create-egress-feature.js';
import { createEgressRouter } from './egress-router.js';
import { submissionMessageId } from './egress-service.js';
import { createIdKeepingEngine } from '../engine/testing/id-keeping-engine.js';

const alice: Caller = { userId: 'alice', name: 'Alice Okafor', roles: ['researcher'] };
const logger = pino({ level: 'silent' });

describe.each(testDatabaseTargets())('output requests on $name', (target) => {
  let db: Database;
  let knex: Knex;
  let permitId: string;
  let requestId: string;
  let engine: ReturnType<typeof createIdKeepingEngine>;

  beforeEach(async () => {
    db = await target.open();
    knex = db.knex;
    engine = createIdKeepingEngine();
    permitId = (await insertPermit(knex, { status: 'ANALYSIS_ACTIVE', processInstanceKey: '1' })).id;
    await knex(TABLES.permitMembers).insert({ permit_id: permitId, user_id: 'alice', team_role: 'RESEARCH_TEAM', added_by: 'seed' });
    requestId = (await insertEgressRequest(knex, permitId, { status: 'DRAFT' })).id;
  });
  afterEach(() => db.close());
  afterAll(() => target.dispose());

  const feature = () => createEgressFeature({ knex, access: createPermitAccess(createKnexPermitStore(knex)), engine, logger });
  const relay = () => createEngineCommandRelay({ knex, engine, logger, graceMs: 0 });
  const audits = async () => Number(((await knex(TABLES.auditLog).where({ action: 'egress.request-submitted' }).count({ n: '*' })) as { n: string | number }[])[0]?.n);
  const status = async () => ((await knex(TABLES.egressRequests).where({ id: requestId }).first('status')) as { status: string }).status;
  const commands = async () =>
    (await knex(ENGINE_COMMANDS_TABLE).where({ permit_id: permitId }).select('message_id', 'status')) as { message_id: string; status: string }[];

  describe('submitting', () => {
    it('ten identical concurrent submits: one status change, one command, one message, one audit entry, nine 409s', async () => {
      const { service } = feature();
      const answers = await Promise.allSettled(Array.from({ length: 10 }, () => service.submit(alice, permitId, requestId)));
      expect(answers.filter((a) => a.status === 'fulfilled')).toHaveLength(1);
      for (const refused of answers.filter((a): a is PromiseRejectedResult => a.status === 'rejected')) {
        expect([ConflictError, InvalidTransitionError].some((kind) => refused.reason instanceof kind)).toBe(true);
      }
      expect(engine.taken.map((m) => [m.name, m.messageId])).toEqual([[MESSAGES.egressRequestSubmitted, submissionMessageId(requestId, 1)]]);
      expect(await commands()).toEqual([{ message_id: submissionMessageId(requestId, 1), status: 'delivered' }]);
      expect(await audits()).toBe(1);
      expect(await status()).toBe('SUBMITTED');
    });

    it('a process not waiting: the request stays a DRAFT, no audit entry, no command, nothing sent', async () => {
      engine.setWaiting(false);
      await expect(feature().service.submit(alice, permitId, requestId)).rejects.toBeInstanceOf(InvalidTransitionError);
      expect(await status()).toBe('DRAFT');
      expect(await audits()).toBe(0);
      expect(await commands()).toEqual([]);
      expect(engine.taken).toEqual([]);
    });

    it('the answer lost after the engine took the message: the relay finds it already there, the engine holds it once', async () => {
      engine.failNext('lose-answer');
      await expect(feature().service.submit(alice, permitId, requestId)).resolves.toMatchObject({ status: 'SUBMITTED' });
      expect(await commands()).toEqual([{ message_id: submissionMessageId(requestId, 1), status: 'pending' }]);
      expect(await relay().runOnce()).toEqual({ delivered: 1, failed: 0, stale: 0 });
      expect(engine.taken).toHaveLength(1);
      expect(await commands()).toEqual([{ message_id: submissionMessageId(requestId, 1), status: 'delivered' }]);
      expect(await audits()).toBe(1);
    });

    it('the engine unreachable after the commit, and at the relay\'s first try: delivered once by its second, the permit busy meanwhile', async () => {
      engine.failNext('unreachable', 'unreachable');
      const { service } = feature();
      await expect(service.submit(alice, permitId, requestId)).resolves.toMatchObject({ status: 'SUBMITTED' });
      expect(await relay().runOnce()).toEqual({ delivered: 0, failed: 1, stale: 0 });
      // Another output request of the permit waits until this command is delivered (409, nothing written).
      const other = (await insertEgressRequest(knex, permitId, { status: 'DRAFT' })).id;
      await expect(service.submit(alice, permitId, other)).rejects.toBeInstanceOf(ConflictError);
      expect(((await knex(TABLES.egressRequests).where({ id: other }).first('status')) as { status: string }).status).toBe('DRAFT');
      // Two relays at once (two instances): the engine still takes the message once.
      const rounds = await Promise.all([relay().runOnce(), relay().runOnce()]);
      expect(rounds.reduce((n, r) => n + r.delivered, 0)).toBeGreaterThanOrEqual(1);
      expect(engine.taken.map((m) => m.messageId)).toEqual([submissionMessageId(requestId, 1)]);
      expect(await commands()).toEqual([{ message_id: submissionMessageId(requestId, 1), status: 'delivered' }]);
      await expect(service.submit(alice, permitId, other)).resolves.toMatchObject({ status: 'SUBMITTED' });
      expect(engine.taken).toHaveLength(2);
    });
  });

  describe('creating with an Idempotency-Key', () => {
    const draft = { title: 'Tables for the paper', files: [{ path: 'tables/t1.csv' }] };
    const claimKey = (key: string) =>
      knex(TABLES.idempotencyKeys).insert({ caller: 'alice', key, method: 'POST', path: `/permits/${permitId}/egress-requests`, fingerprint: 'f', status: 'in-progress', expires_at: new Date(Date.now() + 60_000) });
    const created = async () => Number(((await knex(TABLES.egressRequests).where({ permit_id: permitId, title: draft.title }).count({ n: '*' })) as { n: string | number }[])[0]?.n);

    it('requests holding one key at once create one output request and all answer it; the key names it', async () => {
      await claimKey('k-1');
      const { service } = feature();
      const answers = await Promise.all(Array.from({ length: 5 }, () => service.create(alice, permitId, draft, { caller: 'alice', key: 'k-1' })));
      expect(new Set(answers.map((a) => a.id)).size).toBe(1);
      expect(await created()).toBe(1);
      expect(((await knex(TABLES.idempotencyKeys).where({ caller: 'alice', key: 'k-1' }).first('resource_id')) as { resource_id: string }).resource_id).toBe(answers[0]?.id);
      expect(Number(((await knex(TABLES.auditLog).where({ action: 'egress.request-created' }).count({ n: '*' })) as { n: string | number }[])[0]?.n)).toBe(1);
    });

    it('a key released while the request ran: 409 and nothing created', async () => {
      await expect(feature().service.create(alice, permitId, draft, { caller: 'alice', key: 'gone' })).rejects.toBeInstanceOf(ConflictError);
      expect(await created()).toBe(0);
    });

    it('over HTTP, concurrent duplicates with one key create one request: the others answer 409 or the first answer replayed', async () => {
      const server: Server = createServer();
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      try {
        const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
        const config = loadConfig({ NODE_ENV: 'test', PUBLIC_URL: base });
        const devIssuer = await createDevIssuer({ publicUrl: config.publicUrl, audience: config.oidcAudience });
        const app = createApp({
          config,
          logger,
          routers: [createEgressRouter({ service: feature().service })],
          readiness: {},
          authenticator: createAuthenticator({ issuer: devIssuer.issuer, audience: config.oidcAudience, keySet: devIssuer.jwks }),
          devIssuer,
          idempotency: createIdempotencyKeyMiddleware({ knex, logger }),
        });
        server.on('request', app);
        const token = await devIssuer.mintDevToken('alice', { roles: ['researcher'] });
        const post = async () => {
          const answer = await fetch(`${base}/api/permits/${permitId}/egress-requests`, {
            method: 'POST',
            headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': 'http-key' },
            body: JSON.stringify(draft),
          });
          return { status: answer.status, replayed: answer.headers.get('idempotent-replayed'), type: answer.headers.get('content-type'), body: (await answer.json()) as { id?: string } };
        };
        const answers = await Promise.all(Array.from({ length: 6 }, post));
        const originals = answers.filter((a) => a.status === 201 && a.replayed === null);
        expect(originals).toHaveLength(1);
        expect(answers.map((a) => a.status).every((s) => s === 201 || s === 409)).toBe(true);
        expect(new Set(answers.filter((a) => a.status === 201).map((a) => a.body.id))).toEqual(new Set([originals[0]?.body.id]));
        expect(answers.filter((a) => a.status === 409).every((a) => a.type?.startsWith('application/problem+json'))).toBe(true);
        const later = await post();
        expect([later.status, later.replayed, later.body.id]).toEqual([201, 'true', originals[0]?.body.id]);
        expect(await created()).toBe(1);
      } finally {
        await new Promise((resolve) => server.close(resolve));
      }
    });
  });
});
