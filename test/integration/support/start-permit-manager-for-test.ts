/**
 * The whole platform in-process for integration tests and the API benchmark: `startPlatform` (platform/) with
 * ports 0, the development issuer, a fresh PostgreSQL schema for the engine and for the Permit Manager when
 * DATABASE_URL is set (else in-memory PGlite for both), and RabbitMQ on a test exchange when AMQP_URL is set.
 * Tokens come from the same issuer, so tests can also mint odd ones. The user directory holds the seeded users, as
 * `npm start` seeds it; anyone else becomes known by signing in (`signIn`), as in production.
 *
 *   const pm = await startPermitManagerForTest();
 *   const token = await pm.tokenFor('alice');
 *   await fetch(`${pm.baseUrl}/api/permits`, { headers: { authorization: `Bearer ${token}` } });
 *   await pm.stop();
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Knex } from 'knex';
import { pino } from 'pino';
import { startPlatform } from '../../../platform/start-platform.js';
import { loadConfig, type Config } from '../../../rest-api/config.js';
import type { CamundaRestClient } from '../../../rest-api/engine/camunda-engine-port.js';
import type { DevIssuer, DevTokenOverrides } from '../../../rest-api/identity/dev-issuer.js';
import { collectFromExchange, type EventCollector } from './event-collectors.js';

export const TEST_AUDIENCE = 'spe-api';
export const TEST_EXCHANGE = 'spe.events.test';

export interface PermitManagerForTestOptions {
  /** Users put on every new permit's HDAB team. Default: the seeded reviewers rita and victor. */
  defaultHdabTeam?: readonly string[];
  /** RabbitMQ for the outbox relay; default AMQP_URL from the environment (unset: in-process delivery only). */
  amqpUrl?: string | undefined;
  /** Start the job workers (default true). */
  workers?: boolean;
  /** pino level for everything; default TEST_LOG_LEVEL or silent. */
  logLevel?: string;
  /** `pglite` forces the embedded databases even when DATABASE_URL is set; default: PostgreSQL when it is. */
  database?: 'postgresql' | 'pglite';
}

export interface PermitManagerForTest {
  /** The app's base URL, without `/api`. */
  baseUrl: string;
  engineUrl: string;
  knex: Knex;
  /** The official client on the engine, for tests that look behind the API (tasks, clock). */
  camunda: CamundaRestClient;
  devIssuer: DevIssuer;
  events: { collectFromBroker(): Promise<EventCollector | undefined> };
  /** A bearer token for a seeded user; others need `overrides.roles`. */
  tokenFor(userId: string, overrides?: DevTokenOverrides): Promise<string>;
  /**
   * A token for someone who has signed in: one authenticated request records them in the user directory, as a
   * first sign-in does in production, so they can be put on a permit's teams. (Seeded users are known from the start.)
   */
  signIn(userId: string, overrides?: DevTokenOverrides): Promise<string>;
  stop(): Promise<void>;
}

const schemaName = (prefix: string): string => `${prefix}_${randomBytes(5).toString('hex')}`;

export async function startPermitManagerForTest(options: PermitManagerForTestOptions = {}): Promise<PermitManagerForTest> {
  const logger = pino({ level: options.logLevel ?? process.env.TEST_LOG_LEVEL ?? 'silent' });
  const databaseUrl = options.database === 'pglite' ? undefined : process.env.DATABASE_URL?.trim() || undefined;
  const amqpUrl = 'amqpUrl' in options ? options.amqpUrl : process.env.AMQP_URL?.trim() || undefined;
  const engineSchema = schemaName('pm_engine');
  const permitSchema = schemaName('pm');
  const scratch = await mkdtemp(join(tmpdir(), 'spe-pm-test-'));
  const config: Config = {
    ...loadConfig({
      NODE_ENV: 'test',
      DEV_AUTH: 'true',
      PORT: '0',
      PUBLIC_URL: 'http://127.0.0.1',
      OIDC_AUDIENCE: TEST_AUDIENCE,
      LOG_LEVEL: 'silent',
      // The airlock's files and unfinished uploads in this run's scratch folder, removed by stop() (not ./data).
      AIRLOCK_DIR: join(scratch, 'airlock'),
      AIRLOCK_UPLOAD_DIR: join(scratch, 'uploads'),
    }),
    databaseUrl,
    // Empty: in memory (PGlite) unless DATABASE_URL points at PostgreSQL.
    permitDataDir: '',
    amqpUrl,
    amqpExchange: TEST_EXCHANGE,
    rateLimitPerMinute: 1_000_000,
    notificationOutboxDir: join(scratch, 'outbox'),
    workspaceManifestsDir: join(scratch, 'workspaces'),
  };
  const platform = await startPlatform({
    config,
    logger,
    // dataDir '' also on PostgreSQL: the engine's credential is a random one for this run, not a file in ./data.
    embeddedEngine: { port: 0, dataDir: '', clockControlled: true, ...(databaseUrl ? { databaseUrl, schema: engineSchema } : {}) },
    ...(databaseUrl ? { databaseSchema: permitSchema } : {}),
    defaultHdabTeam: options.defaultHdabTeam ?? ['rita', 'victor'],
    // An idle platform polls: the outbox relay every relayPollMs, and each task type's worker once per poll timeout
    // (an activation long-polls and answers the moment a job is created, so a longer one delays nothing). At 25 ms
    // and 1 s it cost 79 ms of CPU per idle second, at 100 ms and 10 s 23 ms (test/integration/permit-manager:
    // 55-57 → 50-54 s of CPU); an event reaches the hub at most 100 ms after its commit.
    relayPollMs: 100,
    workerPollTimeoutMs: 10_000,
    startWorkers: options.workers !== false,
    persistDevKey: false,
  });
  const devIssuer = platform.identity.devIssuer;
  if (!devIssuer) throw new Error('the development issuer should be on in tests');

  return {
    baseUrl: platform.apiUrl,
    engineUrl: platform.engineUrl,
    knex: platform.database.knex,
    camunda: platform.camunda,
    devIssuer,
    events: { collectFromBroker: async () => (amqpUrl ? collectFromExchange(amqpUrl, TEST_EXCHANGE) : undefined) },
    tokenFor: (userId, overrides) => devIssuer.mintDevToken(userId, overrides),
    async signIn(userId, overrides) {
      const token = await devIssuer.mintDevToken(userId, overrides);
      const answer = await fetch(`${platform.apiUrl}/api/permits?limit=1`, { headers: { authorization: `Bearer ${token}` } });
      if (answer.status !== 200) throw new Error(`${userId} could not sign in: HTTP ${answer.status} ${await answer.text()}`);
      return token;
    },
    async stop() {
      await platform.stop();
      await rm(scratch, { recursive: true, force: true });
      if (databaseUrl) {
        await dropSchema(databaseUrl, permitSchema);
        await dropSchema(databaseUrl, engineSchema);
      }
    },
  };
}

async function dropSchema(databaseUrl: string, schema: string): Promise<void> {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}
