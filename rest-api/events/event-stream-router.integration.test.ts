/**
 * `GET /api/events/stream` over HTTP against a real outbox (PGlite, and PostgreSQL when DATABASE_URL is set):
 * visibility filtering, Last-Event-ID replay followed by live events, heartbeats, and refusals.
 */
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express, { type NextFunction, type Request, type Response } from 'express';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../test/support/wait-for.js';
import { enqueueEvent, TABLES, transitionPermit, type Database } from '../../db/index.js';
import { insertPermit } from '../../db/testing/permit-fixtures.js';
import { testDatabaseTargets } from '../../db/testing/test-databases.js';
import { EVENTS, type PermitStatus } from '../../shared/index.js';
import type { Caller } from '../identity/caller.js';
import { createErrorHandler } from '../platform/error-handler.js';
import { createEventHub, type EventHub } from './event-hub.js';
import { createEventStreamRouter } from './event-stream-router.js';
import { createOutboxRelay, type OutboxRelay } from './outbox-relay.js';
import { openSse, type SseConnection } from './testing/sse-client.js';

const logger = pino({ level: 'silent' });
const USERS: Record<string, Caller> = {
  alice: { userId: 'alice', name: 'Alice', roles: ['researcher'] },
  adam: { userId: 'adam', name: 'Adam', roles: ['admin'] },
  rita: { userId: 'rita', name: 'Rita', roles: ['hdab-reviewer'] },
  victor: { userId: 'victor', name: 'Victor', roles: ['hdab-reviewer'] },
};

describe.each(testDatabaseTargets())('event stream on $name', (target) => {
  let db: Database;
  let hub: EventHub;
  let relay: OutboxRelay;
  let server: Server;
  let base: string;
  const members = new Map<string, Set<string>>();
  const open: SseConnection[] = [];

  beforeAll(async () => {
    db = await target.open();
    hub = createEventHub();
    relay = createOutboxRelay({ knex: db.knex, sinks: [hub], logger });
    const router = createEventStreamRouter({
      hub,
      knex: db.knex,
      canSeePermit: (caller, permitId) => members.get(caller.userId)?.has(permitId) ?? false,
      logger,
      heartbeatMs: 50,
      maxStreamsPerUser: 3,
    });
    const app = express();
    // Stands in for the authenticator: the test names the caller.
    app.use((req: Request, res: Response, next: NextFunction) => {
      const user = req.get('x-test-user');
      if (user) res.locals.caller = USERS[user];
      const expires = req.get('x-test-token-expires-at');
      if (expires) res.locals.tokenExpiresAt = Number(expires);
      next();
    });
    for (const route of router.routes) app.get(`/api${route.expressPath}`, route.handle);
    app.use(createErrorHandler());
    server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/events/stream`;
  });
  afterEach(() => {
    for (const connection of open.splice(0)) connection.close();
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await db.close();
    await target.dispose();
  });

  async function connect(user: string, headers: Record<string, string> = {}) {
    const connection = await openSse(base, { 'x-test-user': user, ...headers });
    open.push(connection);
    expect(connection.status).toBe(200);
    await waitFor('the stream to open', () => connection.comments.includes('connected'));
    return connection;
  }
  const move = (permitId: string, to: PermitStatus) => transitionPermit(db.knex, { permitId, to, actor: 'test', idempotencyKey: randomUUID() });
  const seqs = async (permitId?: string) =>
    ((await db.knex(TABLES.outboxEvents).modify((q) => void (permitId && q.where({ permit_id: permitId }))).orderBy('seq').select('seq')) as { seq: string | number }[]).map((r) => String(r.seq));
  const publishAll = async () => {
    while ((await relay.runOnce()).published > 0);
  };

  it('sends a member only the events of their permits, and an admin all of them', async () => {
    const mine = await insertPermit(db.knex, { status: 'DRAFT' });
    const other = await insertPermit(db.knex, { status: 'DRAFT' });
    members.set('alice', new Set([mine.id]));
    const alice = await connect('alice');
    const adam = await connect('adam');

    await move(mine.id, 'SUBMITTED');
    await move(other.id, 'SUBMITTED');
    await move(mine.id, 'UNDER_ASSESSMENT');
    await publishAll();

    const mineSeqs = await seqs(mine.id);
    await waitFor("alice's last event", () => alice.frames.some((f) => f.id === mineSeqs.at(-1)));
    expect(alice.frames.map((f) => f.id)).toEqual(mineSeqs);
    expect(alice.frames.every((f) => JSON.parse(f.data ?? '{}').permitId === mine.id)).toBe(true);
    const first = alice.frames[0]!;
    expect(first.event).toBe('permit.status.updated');
    expect(JSON.parse(first.data!)).toMatchObject({ seq: Number(first.id), name: 'permit.status.updated', payload: { previousStatus: 'DRAFT', newStatus: 'SUBMITTED' } });

    const bothSeqs = [...mineSeqs, ...(await seqs(other.id))];
    await waitFor("adam's events", () => bothSeqs.every((seq) => adam.frames.some((f) => f.id === seq)));
  });

  it("sends a personal event (payload userId) to that user only: not to the permit's other members, not to admins", async () => {
    const permit = await insertPermit(db.knex, { status: 'DRAFT' });
    members.set('alice', new Set([permit.id]));
    members.set('rita', new Set([permit.id]));
    const [alice, rita, adam] = [await connect('alice'), await connect('rita'), await connect('adam')];

    const personal = await enqueueEvent(db.knex, { name: EVENTS.notificationCreated, permitId: permit.id, payload: { notificationId: 'n1', userId: 'alice', permitId: permit.id, title: 'Ready' } });
    await move(permit.id, 'SUBMITTED'); // everyone on the permit gets this one, after the personal event
    await publishAll();

    const last = (await seqs(permit.id)).at(-1);
    for (const connection of [alice, rita, adam]) await waitFor('the status event', () => connection.frames.some((f) => f.id === last));
    const names = (connection: SseConnection) => connection.frames.map((f) => JSON.parse(f.data ?? '{}') as { id: string; name: string }).map((e) => (e.id === personal.id ? 'personal' : e.name));
    expect(names(alice)).toEqual(['personal', EVENTS.statusUpdated]);
    expect(names(rita)).toEqual([EVENTS.statusUpdated]);
    expect(names(adam)).toEqual([EVENTS.statusUpdated]);

    // A replay filters the same way.
    const replayed = await connect('rita', { 'Last-Event-ID': '0' });
    await waitFor('the replay', () => replayed.frames.some((f) => f.id === last));
    expect(replayed.frames.some((f) => f.event === EVENTS.notificationCreated)).toBe(false);
  });

  it('replays what the caller missed after Last-Event-ID, then goes live, without duplicates', async () => {
    const permit = await insertPermit(db.knex, { status: 'DRAFT' });
    members.set('alice', new Set([permit.id]));
    await move(permit.id, 'SUBMITTED');
    const [seen] = await seqs(permit.id);
    await move(permit.id, 'UNDER_ASSESSMENT');
    await move(permit.id, 'APPROVED');
    // Not yet relayed: the replay reads the outbox, published or not.

    const alice = await connect('alice', { 'Last-Event-ID': seen! });
    const missed = (await seqs(permit.id)).filter((seq) => Number(seq) > Number(seen));
    await waitFor('the replay', () => alice.frames.length >= missed.length);

    await publishAll(); // the hub now gets the replayed events too; they must not come twice
    await move(permit.id, 'DATA_INGRESS_PENDING');
    await publishAll();
    const all = (await seqs(permit.id)).filter((seq) => Number(seq) > Number(seen));
    await waitFor('the live event', () => alice.frames.some((f) => f.id === all.at(-1)));
    expect(alice.frames.map((f) => f.id)).toEqual(all);
  });

  it('keeps an idle connection open with heartbeat comments', async () => {
    const alice = await connect('alice');
    await waitFor('a heartbeat', () => alice.comments.includes('heartbeat'));
    expect(alice.contentType).toMatch(/^text\/event-stream/);
  });

  it('answers 401 without a caller and 400 for a malformed Last-Event-ID', async () => {
    const anonymous = await openSse(base);
    expect(anonymous.status).toBe(401);
    const bad = await openSse(base, { 'x-test-user': 'alice', 'Last-Event-ID': 'yesterday' });
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body)).toMatchObject({ status: 400, detail: expect.stringContaining('Last-Event-ID must be the id') });
  });

  it('closes a stream when its token expires, with a final stream.expired event naming the last event id', async () => {
    const permit = await insertPermit(db.knex, { status: 'DRAFT' });
    members.set('alice', new Set([permit.id]));
    const expiresAt = Date.now() + 1_500;
    const alice = await connect('alice', { 'x-test-token-expires-at': String(expiresAt) });
    await move(permit.id, 'SUBMITTED');
    await publishAll();
    const [seq] = await seqs(permit.id);
    await waitFor('the live event', () => alice.frames.some((f) => f.id === seq));

    const expired = await waitFor('the expiry event', () => alice.frames.find((f) => f.event === 'stream.expired'));
    expect(Date.now()).toBeGreaterThanOrEqual(expiresAt);
    expect(expired.id).toBeUndefined();
    expect(JSON.parse(expired.data!)).toMatchObject({ reason: 'token-expired', expiredAt: new Date(expiresAt).toISOString(), lastEventId: Number(seq) });
    await waitFor('the stream to end', () => alice.ended);

    // Nothing more arrives on the closed stream.
    const framesAtExpiry = alice.frames.length;
    await move(permit.id, 'UNDER_ASSESSMENT');
    await publishAll();
    const resumed = await connect('alice', { 'Last-Event-ID': seq! });
    const [, next] = await seqs(permit.id);
    await waitFor('the resumed stream to get the next event', () => resumed.frames.some((f) => f.id === next));
    expect(alice.frames.length).toBe(framesAtExpiry);
  });

  it('answers 429 problem+json for one stream more than a user may hold, and accepts one again once a stream closes', async () => {
    const streams = [await connect('victor'), await connect('victor'), await connect('victor')];
    const refused = await openSse(base, { 'x-test-user': 'victor' });
    expect(refused.status).toBe(429);
    expect(refused.contentType).toMatch(/^application\/problem\+json/);
    expect(JSON.parse(refused.body)).toMatchObject({ status: 429, limit: 3, openStreams: 3, detail: expect.stringContaining('limit is 3 per user') });
    // Another user is not affected.
    await connect('alice');

    streams[0]!.close();
    await waitFor('a stream slot to free up', async () => {
      const again = await openSse(base, { 'x-test-user': 'victor' });
      open.push(again);
      return again.status === 200;
    });
  });
});
