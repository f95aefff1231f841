/**
 * Starts the REST app over a FakeEngineApi on an ephemeral port and builds the official 8.8 client against it,
 * with response validation set to `fanatical` (missing, mistyped AND unknown fields fail the call).
 */
import type { AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { createCamundaClient, type CamundaClient } from '@camunda8/orchestration-cluster-api';
import type { EngineCredentials } from '../../auth/engine-credentials.js';
import { createEngineHttpApp } from '../create-engine-http-app.js';
import { withHotRoutes } from '../hot-routes.js';
import { allowedHostNames } from '../guard/refuse-foreign-requests.js';
import { FakeEngineApi } from './fake-engine-api.js';

/** The credential every test server takes. */
export const TEST_CREDENTIALS: EngineCredentials = { username: 'test-client', password: 'test-client-password' };

export interface TestServer {
  url: string;
  api: FakeEngineApi;
  client: CamundaClient;
  /** Raw HTTP for what the client cannot send (malformed JSON, wrong content types), with the credential. */
  fetchRaw(path: string, init?: RequestInit): Promise<Response>;
  close(): Promise<void>;
}

/** The client configuration that works against this engine (Basic auth, REST address without /v2 is fine). */
export function clientConfig(url: string, validation = 'req:none,res:fanatical'): Record<string, string | number> {
  return {
    CAMUNDA_REST_ADDRESS: url,
    CAMUNDA_AUTH_STRATEGY: 'BASIC',
    CAMUNDA_BASIC_AUTH_USERNAME: TEST_CREDENTIALS.username,
    CAMUNDA_BASIC_AUTH_PASSWORD: TEST_CREDENTIALS.password,
    CAMUNDA_SDK_VALIDATION: validation,
    CAMUNDA_SDK_HTTP_RETRY_MAX_ATTEMPTS: 1,
    CAMUNDA_SDK_LOG_LEVEL: 'silent',
  };
}

export async function startTestServer(api = new FakeEngineApi(), validation?: string): Promise<TestServer> {
  process.env.CAMUNDA_SDK_VALIDATION_CAPTURE_DIR ??= join(tmpdir(), 'engine-http-sdk-captures');
  // Clock control on: the routers' tests pin the clock; the guard's own tests cover it switched off.
  const options = { logger: pino({ level: 'silent' }), credentials: TEST_CREDENTIALS, allowedHosts: allowedHostNames('127.0.0.1') };
  const app = createEngineHttpApp(api, { ...options, clockControlled: true });
  // As engine/index.ts serves it: the hot routes before Express.
  const server: Server = createServer(withHotRoutes(app, api, options));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  const client = createCamundaClient({ config: clientConfig(url, validation) as never });
  return {
    url,
    api,
    client,
    fetchRaw: (path, init) => {
      const headers = new Headers(init?.headers);
      if (!headers.has('authorization')) headers.set('authorization', `Basic ${Buffer.from(`${TEST_CREDENTIALS.username}:${TEST_CREDENTIALS.password}`).toString('base64')}`);
      return fetch(`${url}${path}`, { ...init, headers });
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        client.stopAllWorkers();
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}

/** Runs `call` and returns the SDK error it throws (fails the test if it does not throw). */
export async function sdkError(call: () => PromiseLike<unknown>): Promise<{ name: string; status?: number; title?: string; detail?: string; type?: string; instance?: string }> {
  try {
    await call();
  } catch (err) {
    return err as { name: string; status?: number; title?: string; detail?: string };
  }
  throw new Error('expected the call to fail');
}
