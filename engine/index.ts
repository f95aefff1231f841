/**
 * The embedded engine's public entry: start it in-process and get its `/v2` URL.
 *
 *   const engine = await startEngine({ port: 0 });   // in-memory PGlite, random port
 *   ... new Camunda8({ ZEEBE_REST_ADDRESS: engine.url, ... })
 *   await engine.stop();
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import pino, { type Logger } from 'pino';
import { createEngineHttpApp } from './http/create-engine-http-app.js';
import { EngineClock } from './runtime/clock.js';
import type { EngineApi } from './runtime/engine-api.js';
import { EngineCore } from './runtime/engine.js';
import { EngineQueryService } from './runtime/engine-queries.js';
import { createKnexStore } from './store/knex-store.js';

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
  logLevel?: string;
  logger?: Logger;
}

export interface RunningEngine {
  /** Base URL of the REST API, without `/v2` (what the SDK's ZEEBE_REST_ADDRESS takes). */
  url: string;
  port: number;
  api: EngineApi;
  stop(): Promise<void>;
}

export async function startEngine(options: StartEngineOptions = {}): Promise<RunningEngine> {
  const logger = options.logger ?? pino({ name: 'engine', level: options.logLevel ?? 'info' });
  const store = createKnexStore({
    ...(options.databaseUrl ? { databaseUrl: options.databaseUrl } : {}),
    ...(options.dataDir ? { dataDir: options.dataDir } : {}),
    ...(options.schema ? { schema: options.schema } : {}),
    logger,
  });
  const clock = new EngineClock();
  const core = await EngineCore.open({ store, logger, clock });
  const queries = new EngineQueryService(store, clock, () => core.runtime);
  const api = combine(core, queries);
  const app = createEngineHttpApp(api, { logger });
  const server = await listen(app, options.port ?? 8080, options.host ?? '127.0.0.1');
  const port = (server.address() as AddressInfo).port;
  const host = options.host && options.host !== '0.0.0.0' ? options.host : '127.0.0.1';
  const url = `http://${host}:${port}`;
  logger.info({ url: `${url}/v2` }, 'engine ready');
  let stopping: Promise<void> | undefined;
  return {
    url,
    port,
    api,
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

function listen(app: ReturnType<typeof createEngineHttpApp>, port: number, host: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, host, (err?: Error) => (err ? reject(err) : resolve(server)));
    server.keepAliveTimeout = 65_000;
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
