/**
 * The whole Permit Manager in-process, as integration tests and the API benchmark need it: the embedded engine
 * (port 0) with the real `bpmn/` and `forms/` deployed, the Permit Manager database (fresh PostgreSQL schema when
 * DATABASE_URL is set, else in-memory PGlite), the job workers from the registry, the outbox relay and the app
 * (port 0) with the development issuer. Tokens come from the same issuer, so tests can also mint odd ones.
 *
 *   const pm = await startPermitManagerForTest();
 *   const token = await pm.tokenFor('alice');
 *   await fetch(`${pm.baseUrl}/api/permits`, { headers: { authorization: `Bearer ${token}` } });
 *   await pm.stop();
 */
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Camunda8 } from '@camunda8/sdk';
import type { Knex } from 'knex';
import { pino, type Logger } from 'pino';
import { createDatabase, type Database } from '../../../db/index.js';
import { startEngine, type RunningEngine } from '../../../engine/index.js';
import { createTaskHandlers } from '../../../job-workers/registry.js';
import { createKnexAuditStore } from '../../../job-workers/audit/knex-audit-store.js';
import { createKnexPermitStore } from '../../../job-workers/permit/knex-permit-store.js';
import { startJobWorkers, type RunningJobWorkers } from '../../../job-workers/runtime/index.js';
import { createApp } from '../../../rest-api/app.js';
import { createCamundaEnginePort, type CamundaRestClient } from '../../../rest-api/engine/camunda-engine-port.js';
import { createFeatureRouters } from '../../../rest-api/features.js';
import { createAuthenticator } from '../../../rest-api/identity/authenticator.js';
import { createDevIssuer, type DevIssuer, type DevTokenOverrides } from '../../../rest-api/identity/dev-issuer.js';
import type { FeatureRouter } from '../../../rest-api/platform/define-route.js';
import { startEventsForTest, type EventsForTest } from './events-for-test.js';

const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const TEST_AUDIENCE = 'spe-api';

export interface PermitManagerForTestOptions {
  /** Users put on every new permit's HDAB team. Default: the seeded reviewers rita and victor. */
  defaultHdabTeam?: readonly string[];
  /** RabbitMQ for the outbox relay; default AMQP_URL from the environment (unset: in-process delivery only). */
  amqpUrl?: string | undefined;
  /** Start the job workers (default true). */
  workers?: boolean;
  /** pino level for everything; default TEST_LOG_LEVEL or silent. */
  logLevel?: string;
}

export interface PermitManagerForTest {
  /** The app's base URL, without `/api`. */
  baseUrl: string;
  engineUrl: string;
  knex: Knex;
  /** The official client on the engine, for tests that look behind the API (tasks, clock). */
  camunda: CamundaRestClient;
  devIssuer: DevIssuer;
  events: EventsForTest;
  /** A bearer token for a seeded user; others need `overrides.roles`. */
  tokenFor(userId: string, overrides?: DevTokenOverrides): Promise<string>;
  stop(): Promise<void>;
}

function schemaName(prefix: string): string {
  return `${prefix}_${randomBytes(5).toString('hex')}`;
}

async function deployModels(client: CamundaRestClient): Promise<void> {
  const resources: File[] = [];
  for (const folder of ['bpmn', 'forms']) {
    const names = (await readdir(join(REPO_ROOT, folder))).filter((name) => name.endsWith('.bpmn') || name.endsWith('.form')).sort();
    for (const name of names) resources.push(new File([await readFile(join(REPO_ROOT, folder, name))], name, { type: 'application/octet-stream' }));
  }
  if (resources.length === 0) throw new Error('Nothing to deploy: bpmn/ and forms/ are empty.');
  await client.createDeployment({ resources } as never);
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

export async function startPermitManagerForTest(options: PermitManagerForTestOptions = {}): Promise<PermitManagerForTest> {
  const logger: Logger = pino({ level: options.logLevel ?? process.env.TEST_LOG_LEVEL ?? 'silent' });
  const databaseUrl = process.env.DATABASE_URL?.trim() || undefined;
  const cleanups: (() => Promise<unknown>)[] = [];
  const stopAll = async (): Promise<void> => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch((error: unknown) => logger.warn({ err: error }, 'cleanup failed'));
  };

  try {
    const engineSchema = schemaName('pm_engine');
    const engine: RunningEngine = await startEngine({ port: 0, logger: logger.child({ component: 'engine' }), ...(databaseUrl ? { databaseUrl, schema: engineSchema } : {}) });
    cleanups.push(() => engine.stop());
    if (databaseUrl) cleanups.push(() => dropSchema(databaseUrl, engineSchema));

    const camunda8 = (): Camunda8 => new Camunda8({ ZEEBE_REST_ADDRESS: engine.url, CAMUNDA_AUTH_STRATEGY: 'NONE', CAMUNDA_LOG_LEVEL: 'none' } as never);
    const apiClient: CamundaRestClient = camunda8().getOrchestrationClusterApiClientLoose();
    const testClient: CamundaRestClient = camunda8().getOrchestrationClusterApiClientLoose();
    await deployModels(testClient);

    const schema = schemaName('pm');
    const database: Database = await createDatabase({ logger, ...(databaseUrl ? { databaseUrl, schema } : {}) });
    cleanups.push(async () => {
      if (databaseUrl) await database.knex.raw(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await database.close();
    });
    await database.migrateLatest();

    if (options.workers !== false) {
      const workers: RunningJobWorkers = startJobWorkers({
        camunda: { restAddress: engine.url },
        handlers: createTaskHandlers({ permits: createKnexPermitStore(database.knex), audit: createKnexAuditStore(database.knex) }),
        logger: logger.child({ component: 'job-workers' }),
        pollTimeoutMs: 1000,
      });
      cleanups.push(() => workers.stop({ drainTimeoutMs: 2000 }));
    }

    const server = createServer();
    const port = await listen(server);
    const baseUrl = `http://127.0.0.1:${port}`;
    cleanups.push(
      () =>
        new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        }),
    );

    const events = await startEventsForTest({ knex: database.knex, logger, amqpUrl: 'amqpUrl' in options ? options.amqpUrl : process.env.AMQP_URL });
    cleanups.push(() => events.stop());

    const devIssuer = await createDevIssuer({ publicUrl: baseUrl, audience: TEST_AUDIENCE });
    const authenticator = createAuthenticator({ issuer: devIssuer.issuer, audience: TEST_AUDIENCE, keySet: devIssuer.jwks });
    const routers: FeatureRouter[] = [
      ...createFeatureRouters({ knex: database.knex, engine: createCamundaEnginePort(apiClient), defaultHdabTeam: options.defaultHdabTeam ?? ['rita', 'victor'] }),
      ...events.routers,
    ];
    const app = createApp({
      config: { publicUrl: baseUrl, rateLimitPerMinute: 1_000_000, bodyLimitBytes: 100 * 1024, trustProxy: false },
      logger,
      routers,
      readiness: { database: () => database.knex.raw('SELECT 1'), engine: () => fetch(`${engine.url}/v2/topology`).then((r) => r.ok || Promise.reject(new Error(String(r.status)))) },
      authenticator,
      devIssuer,
    });
    server.on('request', app);

    return {
      baseUrl,
      engineUrl: engine.url,
      knex: database.knex,
      camunda: testClient,
      devIssuer,
      events,
      tokenFor: (userId, overrides) => devIssuer.mintDevToken(userId, overrides),
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
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
