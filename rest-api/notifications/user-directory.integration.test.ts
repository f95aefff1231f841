/**
 * The user directory on the real database (PGlite, and PostgreSQL when DATABASE_URL is set): seeding the
 * development users, recording callers from their tokens over HTTP (the authenticator wrapped with
 * `withCallerRecording`), and never losing an email to a token without one.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Knex } from 'knex';
import { pino } from 'pino';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TABLES, type Database } from '../../db/index.js';
import { testDatabaseTargets } from '../../db/testing/test-databases.js';
import { waitFor } from '../../test/support/wait-for.js';
import { createApp } from '../app.js';
import { loadConfig } from '../config.js';
import { createAuthenticator } from '../identity/authenticator.js';
import { createDevIssuer } from '../identity/dev-issuer.js';
import { SEEDED_USERS } from '../identity/seeded-users.js';
import { createNotificationsRouter } from './notifications-router.js';
import { createNotificationsFeature } from './create-notifications-feature.js';
import { createCallerRecorder, withCallerRecording } from './record-callers.js';
import { seedUserDirectory, upsertDirectoryEntries } from './user-directory.js';

const logger = pino({ level: 'silent' });

describe.each(testDatabaseTargets())('user directory on $name', (target) => {
  let db: Database;
  let knex: Knex;
  let server: Server | undefined;
  beforeEach(async () => {
    db = await target.open();
    knex = db.knex;
  });
  afterEach(async () => {
    if (server) await new Promise((resolve) => server!.close(resolve));
    server = undefined;
    await db.close();
  });
  afterAll(() => target.dispose());

  const entry = async (userId: string) =>
    (await knex(TABLES.userDirectory).where({ user_id: userId }).first('user_id', 'display_name', 'email', 'slack_user_id', 'roles')) as Record<string, unknown> | undefined;

  it('seeds the development users with their emails and roles, one entry each however often it runs', async () => {
    await seedUserDirectory(knex, SEEDED_USERS);
    await seedUserDirectory(knex, SEEDED_USERS);
    expect(Number(((await knex(TABLES.userDirectory).count({ n: '*' })) as { n: string | number }[])[0]!.n)).toBe(SEEDED_USERS.length);
    expect(await entry('alice')).toEqual({ user_id: 'alice', display_name: 'Alice Okafor', email: 'alice@research.example.org', slack_user_id: null, roles: ['researcher'] });
  });

  it('keeps an email and a Slack id a later entry without them does not carry', async () => {
    await upsertDirectoryEntries(knex, [{ userId: 'bob', displayName: 'Bob', email: 'bob@example.org', slackUserId: 'U42', roles: ['researcher'] }]);
    await upsertDirectoryEntries(knex, [{ userId: 'bob', displayName: 'Bob Builder', roles: ['researcher', 'data-holder'] }]);
    expect(await entry('bob')).toEqual({ user_id: 'bob', display_name: 'Bob Builder', email: 'bob@example.org', slack_user_id: 'U42', roles: ['researcher', 'data-holder'] });
  });

  it('records an authenticated caller of the API with the email from the token', async () => {
    server = createServer();
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const config = loadConfig({ NODE_ENV: 'test', PUBLIC_URL: base });
    const devIssuer = await createDevIssuer({ publicUrl: config.publicUrl, audience: config.oidcAudience });
    const authenticator = createAuthenticator({ issuer: devIssuer.issuer, audience: config.oidcAudience, keySet: devIssuer.jwks });
    const recorder = createCallerRecorder({ upsert: (entries) => upsertDirectoryEntries(knex, entries), logger });
    const app = createApp({
      config,
      logger,
      routers: [createNotificationsRouter({ service: createNotificationsFeature({ knex }) })],
      readiness: {},
      authenticator: withCallerRecording(authenticator, recorder),
    });
    server.on('request', app);

    const token = await devIssuer.mintDevToken('carol', { name: 'Carol Chen', roles: ['researcher'], claims: { email: 'carol@uni.example.org' } });
    const answer = await fetch(`${base}/api/notifications`, { headers: { authorization: `Bearer ${token}` } });
    expect(answer.status).toBe(200);
    expect(await waitFor("carol's directory entry", () => entry('carol'))).toEqual({
      user_id: 'carol',
      display_name: 'Carol Chen',
      email: 'carol@uni.example.org',
      slack_user_id: null,
      roles: ['researcher'],
    });

    const anonymous = await fetch(`${base}/api/notifications`);
    expect(anonymous.status).toBe(401);
  });
});
