/**
 * The embedded engine's public entry: start it in-process and get its `/v2` URL and the client settings that
 * reach it (every request needs the engine's credential, HTTP Basic; docs/engine.md, "Access").
 *
 *   const engine = await startEngine({ port: 0 });   // in-memory PGlite, random port, random credential
 *   ... new Camunda8({ ...engine.clientSettings, CAMUNDA_LOG_LEVEL: 'none' })
 *   await engine.stop();
 */
import type { AddressInfo } from 'node:net';
import { createServer, type RequestListener, type Server } from 'node:http';
import pino, { type Logger } from 'pino';
import { EngineConfigError, exposureProblem } from './config.js';
import { loadOrCreateCredentialFile } from './auth/credential-file.js';
import { clientSettingsFor, credentialProblem, generateCredentials, type EngineClientSettings, type EngineCredentials } from './auth/engine-credentials.js';
import { createEngineHttpApp } from './http/create-engine-http-app.js';
import { withHotRoutes } from './http/hot-routes.js';
import { allowedHostNames } from './http/guard/refuse-foreign-requests.js';
import { EngineClock } from './runtime/clock.js';
import type { EngineApi } from './runtime/engine-api.js';
import { EngineCore } from './runtime/engine.js';
import { EngineQueryService } from './runtime/engine-queries.js';
import { createKnexStore, type KnexStoreOptions } from './store/knex-store.js';

export interface StartEngineOptions {
  /** 0 = any free port. Default 8080. */
  port?: number;
  host?: string;
  /** PostgreSQL; else PGlite. */
  databaseUrl?: string;
  /** PGlite data folder; absent (and no databaseUrl) = in-memory database. */
  dataDir?: string;
  /** PostgreSQL schema for the engine tables. */
  schema?: string;
  /**
   * A database the caller opened and closes, shared with other components in other schemas (`npm start`'s one
   * embedded database, shared/open-knex.ts); instead of `databaseUrl` / `dataDir`.
   */
  sharedDatabase?: KnexStoreOptions['shared'];
  logLevel?: string;
  logger?: Logger;
  /**
   * The one credential the engine accepts (HTTP Basic). Absent: the one kept in `credentialDir`
   * (created there on first start), else a random one for this run only. Either way `RunningEngine` hands it out.
   */
  credentials?: EngineCredentials;
  /** Folder of the generated credential file (`credentials.env`, mode 0600) when `credentials` is absent. */
  credentialDir?: string;
  /** Names accepted in `Host` besides localhost, 127.0.0.1, [::1] and `host`. */
  allowedHosts?: readonly string[];
  /** `PUT /v2/clock` and `POST /v2/clock/reset` work (ZEEBE_CLOCK_CONTROLLED); default false. */
  clockControlled?: boolean;
}

export interface RunningEngine {
  /** Base URL of the REST API, without `/v2` (what the SDK's ZEEBE_REST_ADDRESS takes). */
  url: string;
  port: number;
  api: EngineApi;
  /** The credential the engine accepts. */
  credentials: EngineCredentials;
  /** Where the credential is kept, when it came from (or went to) the credential file. */
  credentialFile: string | undefined;
  /** The official client's settings for this engine: `new Camunda8({ ...engine.clientSettings })`. */
  clientSettings: EngineClientSettings;
  stop(): Promise<void>;
}

export async function startEngine(options: StartEngineOptions = {}): Promise<RunningEngine> {
  const logger = options.logger ?? pino({ name: 'engine', level: options.logLevel ?? 'info' });
  const host = options.host ?? '127.0.0.1';
  const exposure = exposureProblem(host, options.credentials !== undefined);
  if (exposure) throw new EngineConfigError(exposure);
  if (options.credentials) {
    const problem = credentialProblem(options.credentials);
    if (problem) throw new EngineConfigError(`The engine credential is not usable: ${problem}.`);
  }
  const fromFile = options.credentials || !options.credentialDir ? undefined : await loadOrCreateCredentialFile(options.credentialDir);
  if (fromFile?.created) logger.info({ file: fromFile.path }, 'engine credential created');
  const credentials = options.credentials ?? fromFile?.credentials ?? generateCredentials();
  const store = createKnexStore({
    ...(options.sharedDatabase ? { shared: options.sharedDatabase } : {}),
    ...(options.databaseUrl ? { databaseUrl: options.databaseUrl } : {}),
    ...(options.dataDir ? { dataDir: options.dataDir } : {}),
    ...(options.schema ? { schema: options.schema } : {}),
    logger,
  });
  const clock = new EngineClock();
  const core = await EngineCore.open({ store, logger, clock });
  const queries = new EngineQueryService(store, clock, () => core.runtime);
  const api = combine(core, queries);
  const allowedHosts = allowedHostNames(host, options.allowedHosts);
  const app = createEngineHttpApp(api, { logger, credentials, allowedHosts, clockControlled: options.clockControlled ?? false });
  const server = await listen(withHotRoutes(app, api, { logger, credentials, allowedHosts }), options.port ?? 8080, host);
  const port = (server.address() as AddressInfo).port;
  // A wildcard bind is reached on loopback from this machine; an IPv6 literal needs brackets in a URL.
  const urlHost = ['0.0.0.0', '::', '[::]'].includes(host) ? '127.0.0.1' : host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  const url = `http://${urlHost}:${port}`;
  logger.info({ url: `${url}/v2` }, 'engine ready');
  let stopping: Promise<void> | undefined;
  return {
    url,
    port,
    api,
    credentials,
    credentialFile: fromFile?.path,
    clientSettings: clientSettingsFor(url, credentials),
    stop: () =>
      (stopping ??= (async () => {
        await core.stop();
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
        await store.close();
      })()),
  };
}

function listen(handler: RequestListener, port: number, host: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer(handler);
    server.keepAliveTimeout = 65_000;
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server);
    });
  });
}

/** One object with the command side and the query side. */
function combine(...parts: object[]): EngineApi {
  const api: Record<string, unknown> = {};
  for (const part of parts) {
    for (const name of Object.getOwnPropertyNames(Object.getPrototypeOf(part))) {
      const member = (part as Record<string, unknown>)[name];
      if (name !== 'constructor' && typeof member === 'function') api[name] = member.bind(part);
    }
  }
  return api as unknown as EngineApi;
}

/** The same as `startEngine` (the name the issue uses). */
export const start = startEngine;

export type { EngineApi } from './runtime/engine-api.js';
export type { EngineClientSettings, EngineCredentials } from './auth/engine-credentials.js';
