/**
 * The per-user event stream limit across two instances on one PostgreSQL database (skipped without DATABASE_URL):
 * each instance has its own connection pool, HTTP server and stream router, and both count in
 * `event_stream_leases`. Streams open on either instance count against one limit; the last slot taken by both at
 * once goes to one; the leases of an instance that died (its database session gone, nothing renewed) expire and
 * free their slots, while a live instance's streams keep theirs for as long as they stay open.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type NextFunction, type Request, type Response } from 'express';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, type Database } from '../../db/index.js';
import { testDatabaseTargets } from '../../db/testing/test-databases.js';
import { waitFor } from '../../test/support/wait-for.js';
import type { Caller } from '../identity/caller.js';
import { createErrorHandler } from '../platform/error-handler.js';
import { createEventHub } from './event-hub.js';
import { createEventStreamRouter } from './event-stream-router.js';
import { createPgStreamSlots, EVENT_STREAM_LEASES_TABLE } from './stream-slots.js';
import { openSse, type SseConnection } from './testing/sse-client.js';

const logger = pino({ level: 'silent' });
const target = testDatabaseTargets().find((t) => t.name === 'PostgreSQL');
const databaseUrl = process.env.DATABASE_URL;
const victor: Caller = { userId: 'victor', name: 'Victor', roles: ['hdab-reviewer'] };
const LEASE_MS = 1_500;

interface Instance {
  db: Database;
  server: Server;
  url: string;
  slots: ReturnType<typeof createPgStreamSlots>;
}

describe.skipIf(!target || !databaseUrl)('event stream limit across two instances on one PostgreSQL', () => {
  let main: Database;
  const instances: Instance[] = [];
  const open: SseConnection[] = [];

  async function startInstance(): Promise<Instance> {
    const db = await createDatabase({ databaseUrl: databaseUrl!, schema: main.schema!, logger, poolMax: 4 });
    const slots = createPgStreamSlots({ knex: db.knex, logger, leaseMs: LEASE_MS, renewMs: 200 });
    const router = createEventStreamRouter({ hub: createEventHub(), knex: db.knex, canSeePermit: () => true, logger, heartbeatMs: 100, maxStreamsPerUser: 3, streamSlots: slots });
    const app = express();
    app.use((_req: Request, res: Response, next: NextFunction) => {
      res.locals.caller = victor;
      next();
    });
    for (const route of router.routes) app.get(`/api${route.expressPath}`, route.handle);
    app.use(createErrorHandler());
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const instance = { db, server, slots, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/events/stream` };
    instances.push(instance);
    return instance;
  }

  async function connect(instance: Instance): Promise<SseConnection & { body: string }> {
    const connection = await openSse(instance.url);
    open.push(connection);
    return connection;
  }

  const leases = async () => Number(((await main.knex(EVENT_STREAM_LEASES_TABLE).where({ user_id: 'victor' }).count({ n: '*' })) as { n: string | number }[])[0]?.n);

  beforeAll(async () => {
    main = await target!.open();
  });
  afterEach(async () => {
    for (const connection of open.splice(0)) connection.close();
    for (const instance of instances.splice(0)) {
      instance.server.closeAllConnections();
      await new Promise((resolve) => instance.server.close(resolve));
      await instance.slots.stop().catch(() => undefined);
      await instance.db.close().catch(() => undefined);
    }
    await main.knex(EVENT_STREAM_LEASES_TABLE).delete();
  });
  afterAll(async () => {
    await main?.close();
    await target?.dispose();
  });

  it('counts the streams of both instances against one limit, and frees a slot when a stream closes', async () => {
    const a = await startInstance();
    const b = await startInstance();
    const first = await connect(a);
    expect([first.status, (await connect(a)).status, (await connect(b)).status]).toEqual([200, 200, 200]);
    for (const instance of [a, b]) {
      const refused = await openSse(instance.url);
      expect(refused.status).toBe(429);
      expect(refused.contentType).toMatch(/^application\/problem\+json/);
      expect(JSON.parse(refused.body)).toMatchObject({ status: 429, limit: 3, openStreams: 3 });
    }
    expect(await leases()).toBe(3);

    first.close();
    await waitFor('the closed stream to give its slot back', async () => (await leases()) === 2);
    expect((await connect(b)).status).toBe(200);
  });

  it('gives the last slot to one of two instances asking at once', async () => {
    const a = await startInstance();
    const b = await startInstance();
    await connect(a);
    await connect(b);
    const racing = await Promise.all([connect(a), connect(b), connect(a), connect(b)]);
    expect(racing.map((c) => c.status).sort()).toEqual([200, 429, 429, 429]);
    expect(await leases()).toBe(3);
  });

  it('a live instance keeps its streams past the lease; a dead one frees its slots once its leases expire', async () => {
    const a = await startInstance();
    const b = await startInstance();
    await connect(a);
    await connect(a);
    await connect(a);
    await new Promise((resolve) => setTimeout(resolve, LEASE_MS * 2)); // renewed meanwhile
    expect((await openSse(b.url)).status).toBe(429);

    // Instance a dies: its database sessions are gone, so nothing renews or releases its leases.
    await a.db.close();
    await waitFor('the dead instance\'s leases to expire', async () => (await openSse(b.url).then((c) => (open.push(c), c.status))) === 200, {
      timeoutMs: LEASE_MS * 10,
      intervalMs: 250,
    });
  });
});
