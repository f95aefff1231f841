/**
 * The PostgreSQL rate-limit store: two app instances on one database share one budget per caller (on PGlite the
 * two apps share the one connection; on PostgreSQL each has its own pool, as two processes would).
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, TABLES, type Database } from '../../db/index.js';
import { testDatabaseTargets } from '../../db/testing/test-databases.js';
import { createErrorHandler } from './error-handler.js';
import { createPgRateLimitStore } from './pg-rate-limit-store.js';
import { createRateLimit } from './rate-limit.js';

describe.each(testDatabaseTargets())('rate limits shared through $name', (target) => {
  let db: Database;
  let second: Database | undefined;
  const servers: Server[] = [];
  const urls: string[] = [];

  async function startInstance(knexOf: Database, perMinute = 3): Promise<void> {
    const app = express();
    app.use(createRateLimit({ perMinute, store: createPgRateLimitStore({ knex: knexOf.knex }) }));
    app.get('/thing', (_req, res) => void res.json({ ok: true }));
    app.use(createErrorHandler());
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    servers.push(server);
    urls.push(`http://127.0.0.1:${(server.address() as AddressInfo).port}/thing`);
  }

  beforeAll(async () => {
    db = await target.open();
    if (target.name === 'PostgreSQL') second = await createDatabase({ databaseUrl: process.env.DATABASE_URL!, schema: db.schema!, logger: pino({ level: 'silent' }), poolMax: 2 });
    await startInstance(db);
    await startInstance(second ?? db);
  });
  afterAll(async () => {
    for (const server of servers) await new Promise((resolve) => server.close(resolve));
    await second?.close();
    await db.close();
    await target.dispose();
  });

  it('counts requests to either instance against one budget: the fourth in the minute is refused with 429 problem+json', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 4; i += 1) statuses.push((await fetch(urls[i % 2]!)).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const refused = await fetch(urls[1]!);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    const rows = (await db.knex(TABLES.rateLimitCounters).select('hits')) as Array<{ hits: number }>;
    expect(rows.map((r) => Number(r.hits))).toEqual([5]);
  });

  it('starts a new window once the old one has passed', async () => {
    await db.knex(TABLES.rateLimitCounters).update({ reset_at: db.knex.raw("now() - interval '1 second'") });
    expect((await fetch(urls[0]!)).status).toBe(200);
    const rows = (await db.knex(TABLES.rateLimitCounters).select('hits')) as Array<{ hits: number }>;
    expect(rows.map((r) => Number(r.hits))).toEqual([1]);
  });

  it('far from the limit counts hits in leases (fewer upserts than requests) and still lets no more than the limit through', async () => {
    await db.knex(TABLES.rateLimitCounters).delete();
    await startInstance(db, 100);
    await startInstance(second ?? db, 100);
    const [a, b] = urls.slice(-2) as [string, string];
    let upserts = 0;
    const countUpserts = (query: { sql: string }) => void (/insert into rate_limit_counters/i.test(query.sql) && upserts++);
    for (const database of new Set([db, second ?? db])) database.knex.on('query', countUpserts);
    const statuses: number[] = [];
    // Ten at a time to each instance, alternating, until both refuse.
    for (let round = 0; round < 8; round++) {
      statuses.push(...(await Promise.all(Array.from({ length: 10 }, () => fetch(a).then((r) => r.status)))));
      statuses.push(...(await Promise.all(Array.from({ length: 10 }, () => fetch(b).then((r) => r.status)))));
    }
    for (const database of new Set([db, second ?? db])) database.knex.off('query', countUpserts);
    const allowed = statuses.filter((status) => status === 200).length;
    expect(allowed).toBeLessThanOrEqual(100);
    // Hits leased and unused are lost, so a little less than the limit may get through; never more.
    expect(allowed).toBeGreaterThanOrEqual(100 - 2 * 6);
    expect(statuses.slice(-20)).toEqual(Array(20).fill(429));
    expect(upserts).toBeLessThan(statuses.length);
  });
});
