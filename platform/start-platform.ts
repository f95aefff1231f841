/**
 * The whole platform in one process: the process engine (the embedded one unless ZEEBE_REST_ADDRESS points at
 * Camunda 8), the process models deployed, the Permit Manager database migrated, every job worker, the outbox
 * relay (in-app stream, and RabbitMQ when AMQP_URL is set) and the REST API. Clients are created here and only
 * here; everything below takes them as dependencies. `stop()` closes the door first (HTTP), drains the workers,
 * flushes the relay, then closes the database and the engine.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { createDatabase, type Database } from '../db/index.js';
import { readEngineConfig } from '../engine/config.js';
import type { EngineCredentials, RunningEngine } from '../engine/index.js';
import { startPermitManagerWorkers, type RunningJobWorkers } from '../job-workers/index.js';
import { createApp } from '../rest-api/app.js';
import type { Config } from '../rest-api/config.js';
import { createCamundaEnginePort, type CamundaRestClient } from '../rest-api/engine/camunda-engine-port.js';
import { camundaTransport, createCamundaRestClient } from '../rest-api/engine/camunda-fetch.js';
// Each event module by itself: the barrel would also load amqplib, which only AMQP_URL needs (loaded below then).
import { createEventHub } from '../rest-api/events/event-hub.js';
import type { EventSink } from '../rest-api/events/event-sink.js';
import { createEventStreamRouter } from '../rest-api/events/event-stream-router.js';
import { createOutboxRelay } from '../rest-api/events/outbox-relay.js';
import { createLeaderLease } from '../rest-api/events/leader-lease.js';
import { createPgEventNotifier, eventChannel, startPgEventListener } from '../rest-api/events/pg-event-fanout.js';
import { createFeatureRouters } from '../rest-api/features.js';
import { createEngineCommandRelay } from '../rest-api/permits/engine-command-relay.js';
import { lifecycleStarter } from '../rest-api/permits/lifecycle-start.js';
import { createPgStreamSlots } from '../rest-api/events/stream-slots.js';
import { createWebApp } from '../rest-api/web-app/web-app-router.js';
import { createCamundaProcessInspector } from '../rest-api/process-view/process-inspector.js';
import { createIdentity } from '../rest-api/identity/create-identity.js';
import { SEEDED_USERS, type SeededUser } from '../rest-api/identity/seeded-users.js';
import { createIdempotencyKeyMiddleware } from '../rest-api/platform/idempotency-key.js';
import { createPgRateLimitStore } from '../rest-api/platform/pg-rate-limit-store.js';
import { createPermitAccess } from '../rest-api/permits/permit-access.js';
import { createKnexPermitStore } from '../rest-api/permits/knex-permit-store.js';
import { NotFoundError } from '../shared/index.js';
import { REPO_ROOT } from '../shared/repo-root.js';
import { createCallerRecorder, withCallerRecording } from '../rest-api/notifications/record-callers.js';
import { seedUserDirectory, upsertDirectoryEntries } from '../rest-api/notifications/user-directory.js';
import { deployModels, type DeployedModels } from './deploy-models.js';
import { EMBEDDED_SCHEMAS, embeddedDatabaseDir, engineDatabase, openEmbeddedDatabase, permitDatabase } from './embedded-database.js';
import { createNotificationService } from './notification-service.js';
import { createWorkspaceService } from './workspace-service.js';
import { createAirlockStoreFromConfig } from './airlock-service.js';

export interface PlatformOptions {
  config: Config;
  logger: Logger;
  /**
   * The embedded engine's settings (ignored when config.zeebeRestAddress is set); `platform/main.ts` reads them from
   * ENGINE_* (`readEngineConfig`), anything left out takes the engine's defaults.
   * An empty `dataDir` (like an empty `config.permitDataDir`) keeps that database in memory.
   * The engine's credential: `credentials` (CAMUNDA_BASIC_AUTH_*), else the one kept in `dataDir` (also with
   * `databaseUrl`), else, with an empty `dataDir`, a random one for this run. The platform's clients get it.
   */
  embeddedEngine?: {
    port?: number;
    host?: string;
    dataDir?: string;
    databaseUrl?: string;
    schema?: string;
    credentials?: EngineCredentials;
    allowedHosts?: readonly string[];
    clockControlled?: boolean;
  };
  /** Permit database schema on PostgreSQL (tests use a fresh one). */
  databaseSchema?: string;
  /**
   * The one embedded database's folder (PGlite, engine and Permit Manager together) when DATABASE_URL is unset:
   * DATABASE_DIR. Default: `database` beside `config.permitDataDir`, in memory when that is empty.
   */
  databaseDir?: string;
  /** Users put on every new permit's HDAB team. Default: the seeded reviewers when the dev issuer is on, else none. */
  defaultHdabTeam?: readonly string[];
  /** Outbox relay poll interval; default 200 ms. */
  relayPollMs?: number;
  /** On PostgreSQL: how often an instance tries to take the relay's lease (and the holder checks it); default 2 s. */
  leaseRetryMs?: number;
  /** Job worker long-poll timeout; default 10 s. */
  workerPollTimeoutMs?: number;
  /** Start the job workers (default true; some API tests want the processes to stand still). */
  startWorkers?: boolean;
  /** Keep the development issuer's key in the data folder across restarts (default true). */
  persistDevKey?: boolean;
}

export interface RunningPlatform {
  /** The REST API's base URL (no `/api`). */
  apiUrl: string;
  engineUrl: string;
  embeddedEngine: boolean;
  /** The embedded engine's credential file, when its credential is kept in one (not when configured or in memory). */
  engineCredentialFile: string | undefined;
  /** The SDK settings the platform's own clients use (with the embedded engine: its URL and credential). */
  camundaSettings: Record<string, string>;
  database: Database;
  deployed: DeployedModels;
  identity: Awaited<ReturnType<typeof createIdentity>>;
  /** Notification channels in use (email, in-app, slack). */
  notificationChannels: string[];
  /** Where workspaces go: the manifests folder or the cluster. */
  workspaceTarget: string;
  /** Where the airlock keeps files, and the malware scanner ('none' holds every delivery for an HDAB decision). */
  airlock: { where: string; scanner: string };
  /** A client of the engine for callers that look behind the API (tests, the demo). */
  camunda: CamundaRestClient;
  startupMs: number;
  stop(): Promise<void>;
}

/**
 * The official client: the SDK's settings from the config (OAuth for SaaS, …), at this address, over the keep-alive
 * transport when the engine is reached over plain HTTP (rest-api/engine/camunda-fetch.ts).
 */
function camundaClient(address: string, settings: Record<string, string>): CamundaRestClient {
  return createCamundaRestClient(address, settings);
}

/** PGlite in a folder, or in memory when the folder is empty. */
function inFolder(dataDir: string | undefined): { dataDir?: string } {
  return dataDir ? { dataDir } : {};
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve((server.address() as AddressInfo).port));
  });
}

export async function startPlatform(options: PlatformOptions): Promise<RunningPlatform> {
  const { config, logger } = options;
  const started = Date.now();
  const cleanups: Array<{ what: string; run: () => Promise<unknown> }> = [];
  const stopAll = async (): Promise<void> => {
    for (const { what, run } of cleanups.splice(0).reverse()) {
      await run().catch((err: unknown) => logger.warn({ err, what }, `stopping ${what} failed`));
    }
  };

  try {
    // 0. Without DATABASE_URL: one embedded database for the engine and the Permit Manager, closed last.
    const embeddedEngineOptions = options.embeddedEngine ?? {};
    const engineDataDir = embeddedEngineOptions.dataDir ?? readEngineConfig({}).dataDir;
    const databaseDir = embeddedDatabaseDir(options.databaseDir, config.permitDataDir);
    const embeddedDatabase = config.databaseUrl
      ? undefined
      : openEmbeddedDatabase({ dir: databaseDir, permitDataDir: config.permitDataDir, engineDataDir, logger });
    if (embeddedDatabase) cleanups.push({ what: 'embedded database', run: () => embeddedDatabase.close() });

    // 1. The process engine.
    let engine: RunningEngine | undefined;
    let engineUrl = config.zeebeRestAddress;
    if (!engineUrl) {
      // The entry file reads ENGINE_* into options.embeddedEngine; what it leaves out takes the engine's defaults.
      const fromEnv = readEngineConfig({});
      const embedded = embeddedEngineOptions;
      const databaseUrl = embedded.databaseUrl ?? fromEnv.databaseUrl;
      const dataDir = engineDataDir;
      const schema = embedded.schema ?? fromEnv.databaseSchema;
      // Loaded only when it runs here (not with ZEEBE_REST_ADDRESS).
      const { startEngine } = await import('../engine/index.js');
      engine = await startEngine({
        port: embedded.port ?? fromEnv.port,
        host: embedded.host ?? fromEnv.host,
        ...(databaseUrl
          ? { databaseUrl, ...(schema ? { schema } : {}) }
          : embeddedDatabase
            ? { sharedDatabase: engineDatabase(embeddedDatabase), schema: EMBEDDED_SCHEMAS.engine }
            : inFolder(dataDir)),
        // The credential file lives in the engine's data folder even when its tables are in PostgreSQL.
        ...(embedded.credentials ? { credentials: embedded.credentials } : dataDir ? { credentialDir: dataDir } : {}),
        ...(embedded.allowedHosts ? { allowedHosts: embedded.allowedHosts } : {}),
        clockControlled: embedded.clockControlled ?? false,
        logger: logger.child({ component: 'engine' }),
      });
      cleanups.push({ what: 'engine', run: () => engine!.stop() });
      engineUrl = engine.url;
    }
    // With the embedded engine the platform's clients carry its credential; with ZEEBE_REST_ADDRESS the user's
    // CAMUNDA_* settings go to the SDK as given.
    const camundaSettings: Record<string, string> = engine ? { ...config.camundaSettings, ...engine.clientSettings } : config.camundaSettings;
    const camunda = camundaClient(engineUrl, camundaSettings);

    // 2. The models, unchanged.
    const deployed = await deployModels(camunda as never);
    logger.info({ processes: deployed.processes.map((p) => `${p.processDefinitionId} v${p.processDefinitionVersion}`), forms: deployed.forms.length }, 'process models deployed');

    // 3. The Permit Manager's database.
    const database = await createDatabase({
      logger: logger.child({ component: 'db' }),
      ...(embeddedDatabase
        ? { shared: permitDatabase(embeddedDatabase), schema: EMBEDDED_SCHEMAS.permits }
        : { databaseUrl: config.databaseUrl, ...(options.databaseSchema ? { schema: options.databaseSchema } : {}) }),
    });
    cleanups.push({ what: 'database', run: () => database.close() });
    await database.migrateLatest();
    // The seeded development users need directory entries (names, emails) before anyone is told anything.
    if (config.devAuth) await seedUserDirectory(database.knex, SEEDED_USERS);

    // 4. Events: the outbox relay feeds the in-app hub and, when configured, RabbitMQ.
    const hub = createEventHub({ logger: logger.child({ component: 'event-hub' }) });
    const sinks: EventSink[] = [hub];
    const readiness: Record<string, () => Promise<unknown>> = {
      database: async () => {
        await database.knex.raw('SELECT 1');
        return { dialect: database.dialect };
      },
      engine: async () => {
        const topology = await camunda.getTopology();
        return { url: engineUrl, gatewayVersion: topology.gatewayVersion };
      },
    };
    if (config.amqpUrl) {
      const amqpLogger = logger.child({ component: 'amqp' });
      const { createAmqpPublisher } = await import('../rest-api/events/amqp-publisher.js');
      const amqp = createAmqpPublisher({ url: config.amqpUrl, exchange: config.amqpExchange, logger: amqpLogger });
      cleanups.push({ what: 'amqp publisher', run: () => amqp.close() });
      // A broker that is down delays events (they stay in the outbox) and does not stop the platform.
      amqp.connect().catch((err: unknown) => amqpLogger.warn({ err }, 'RabbitMQ not reachable yet; events wait in the outbox until it is'));
      sinks.push(amqp);
      readiness.broker = async () => {
        if (!amqp.isConnected()) throw new Error('not connected to RabbitMQ; events are kept in the outbox until it is back');
      };
    }
    // The workspace service follows team changes (permit.members.changed) to update the access list at once.
    // The airlock store (issue 16): outputs, checked output requests, releases with their RO-Crate, downloads.
    const airlock = await createAirlockStoreFromConfig(config.airlock, database.knex);
    const workspaces = await createWorkspaceService(config, database.knex, logger.child({ component: 'workspaces' }), { store: airlock.store, publicUrl: config.publicUrl });
    if (options.startWorkers !== false) sinks.push(workspaces.teamAccessSink);
    if (config.databaseUrl) {
      // Several instances may share this database: one relays (the holder of the lease), every one listens for
      // what was relayed and feeds its own hub (docs/operations.md).
      const { databaseUrl } = config;
      const schema = options.databaseSchema ?? 'public';
      const { default: pg } = await import('pg');
      const session = () => new pg.Client({ connectionString: databaseUrl, keepAlive: true, application_name: 'spe-events' });
      const channel = eventChannel(schema);
      sinks.splice(sinks.indexOf(hub), 1, createPgEventNotifier({ knex: database.knex, channel }));
      const listener = startPgEventListener({ connect: session, knex: database.knex, channel, hub, logger: logger.child({ component: 'event-listener' }) });
      cleanups.push({ what: 'event listener', run: () => listener.stop() });
      await listener.ready;
      const relay = createOutboxRelay({ knex: database.knex, sinks, logger: logger.child({ component: 'outbox-relay' }), pollMs: options.relayPollMs ?? 200 });
      const lease = createLeaderLease({
        connect: session,
        name: `outbox-relay:${schema}`,
        logger,
        ...(options.leaseRetryMs === undefined ? {} : { retryMs: options.leaseRetryMs }),
        onAcquired: () => relay.start(),
        onLost: () => relay.stop(),
      });
      lease.start();
      cleanups.push({ what: 'outbox relay lease', run: () => lease.stop() });
    } else {
      const relay = createOutboxRelay({ knex: database.knex, sinks, logger: logger.child({ component: 'outbox-relay' }), pollMs: options.relayPollMs ?? 200 });
      relay.start();
      cleanups.push({ what: 'outbox relay', run: () => relay.stop() });
    }

    // 5. Job workers, each task type on its own client; the notification service's handler and channels.
    const notifications = await createNotificationService(config, database.knex, logger.child({ component: 'notifications' }));
    cleanups.push({ what: 'email channel', run: () => notifications.close() });
    if (options.startWorkers !== false) {
      const workers: RunningJobWorkers = startPermitManagerWorkers({
        knex: database.knex,
        services: { ...notifications.handlers, ...workspaces.handlers },
        // Time to live 0: only a process waiting for the message takes it (a running analysis and its end date).
        messages: { publish: async (message) => void (await camunda.publishMessage({ ...message, timeToLive: 0 } as never)) },
        camunda: { restAddress: engineUrl, ...camundaTransport({ ...camundaSettings, ZEEBE_REST_ADDRESS: engineUrl }) },
        logger: logger.child({ component: 'job-workers' }),
        pollTimeoutMs: options.workerPollTimeoutMs ?? 10_000,
      });
      cleanups.push({ what: 'job workers', run: () => workers.stop({ drainTimeoutMs: 10_000 }) });
    }

    // Engine commands a request could not deliver (docs/adr/0006-engine-commands.md); every instance runs one.
    // It also starts the lifecycle process of a permit whose creating request could not (rest-api/permits/lifecycle-start.ts).
    const relayEngine = createCamundaEnginePort(camunda);
    const relayLogger = logger.child({ component: 'engine-command-relay' });
    const commandRelay = createEngineCommandRelay({
      knex: database.knex,
      engine: relayEngine,
      startProcess: lifecycleStarter({ store: createKnexPermitStore(database.knex), engine: relayEngine, logger: relayLogger }),
      logger: relayLogger,
    });
    commandRelay.start();
    cleanups.push({ what: 'engine command relay', run: () => commandRelay.stop() });
    // On PostgreSQL the per-user event stream limit counts the streams of every instance (rest-api/events/stream-slots.ts).
    const streamSlots = config.databaseUrl ? createPgStreamSlots({ knex: database.knex, logger: logger.child({ component: 'event-stream-slots' }) }) : undefined;
    if (streamSlots) cleanups.push({ what: 'event stream leases', run: () => streamSlots.stop() });

    // 6. The REST API.
    const identity = await createIdentity(config, { persistDevKey: options.persistDevKey ?? true, logger: logger.child({ component: 'dev-issuer' }) });
    const access = createPermitAccess(createKnexPermitStore(database.knex));
    const canSeePermit = async (caller: Parameters<typeof access.load>[0], permitId: string): Promise<boolean> =>
      access.load(caller, permitId).then(
        () => true,
        (error: unknown) => (error instanceof NotFoundError ? false : Promise.reject(error)),
      );
    const defaultHdabTeam = options.defaultHdabTeam ?? (config.devAuth ? (SEEDED_USERS as readonly SeededUser[]).filter((u) => u.roles.includes('hdab-reviewer')).map((u) => u.userId) : []);
    const app = createApp({
      config,
      logger: logger.child({ component: 'rest-api' }),
      routers: [
        ...createFeatureRouters({ knex: database.knex, engine: createCamundaEnginePort(camundaClient(engineUrl, camundaSettings)), inspector: createCamundaProcessInspector(camundaClient(engineUrl, camundaSettings)), defaultHdabTeam, airlock: airlock.store, ingressUploadDir: config.airlock.uploadDir }),
        createEventStreamRouter({ hub, knex: database.knex, canSeePermit, logger: logger.child({ component: 'event-stream' }), maxStreamsPerUser: config.eventStreamsPerUser, ...(streamSlots ? { streamSlots } : {}) }),
      ],
      readiness,
      // On PostgreSQL every instance counts against the same per-caller budget.
      ...(config.databaseUrl ? { rateLimitStore: createPgRateLimitStore({ knex: database.knex }) } : {}),
      // A lost answer to a create can be asked again with the same Idempotency-Key (docs/rest-api.md).
      idempotency: createIdempotencyKeyMiddleware({ knex: database.knex, logger: logger.child({ component: 'idempotency-key' }) }),
      // Every authenticated caller lands in the user directory (name, email) so notifications can reach them.
      authenticator: withCallerRecording(
        identity.authenticator,
        createCallerRecorder({ upsert: (entries) => upsertDirectoryEntries(database.knex, entries), logger: logger.child({ component: 'user-directory' }) }),
      ),
      ...(identity.devIssuer ? { devIssuer: identity.devIssuer } : {}),
      webConfig: identity.webConfig,
      // The built web app (dist/web, `npm run build:web`) at `/`; without a build `/` says how to make one.
      webApp: createWebApp({ distDir: join(REPO_ROOT, 'dist', 'web'), issuer: config.oidcIssuer, apiPrefix: '/api' }),
    });
    const server = createServer(app);
    const port = await listen(server, config.port, config.host);
    cleanups.push({
      what: 'http server',
      run: () =>
        new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeIdleConnections();
          setTimeout(() => server.closeAllConnections(), 2_000).unref();
        }),
    });

    return {
      apiUrl: `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${port}`,
      engineUrl,
      embeddedEngine: engine !== undefined,
      engineCredentialFile: engine?.credentialFile,
      camundaSettings,
      database,
      deployed,
      notificationChannels: notifications.channels,
      workspaceTarget: workspaces.where,
      airlock: { where: airlock.where, scanner: workspaces.scanner ?? 'none' },
      identity,
      camunda,
      startupMs: Date.now() - started,
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

