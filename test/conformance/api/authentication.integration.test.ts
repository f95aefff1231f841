/**
 * The engine's doors over real HTTP (docs/engine.md, "Access"): every `/v2` route, taken from the routers
 * themselves, answers 401 problem+json without the credential and with a wrong one; a foreign `Host` and a
 * cross-site `Origin` are refused (403) before authentication and before a body is read; the official client
 * with CAMUNDA_AUTH_STRATEGY=BASIC works; the clock is refused unless clock control is on; a refused request
 * changes nothing; binding a non-loopback address without configured credentials does not start.
 */
import { request as httpRequest } from 'node:http';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Camunda8 } from '@camunda8/sdk';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEngine, type EngineCredentials, type RunningEngine } from '../../../engine/index.js';
import { createEngineHttpApp } from '../../../engine/http/create-engine-http-app.js';
import { FakeEngineApi } from '../../../engine/http/testing/fake-engine-api.js';
import { basicAuthorization } from '../../support/camunda-client.js';
import { startRepoProcess } from '../../support/repo-process.js';
import { freePort } from '../../support/free-port.js';
import { engineTestStores } from '../support/engine-test-store.js';
import { fixturePath, key, NOW } from '../support/harness.js';

const CREDENTIALS: EngineCredentials = { username: 'door-test', password: 'door-test-password-1' };
const WRONG: EngineCredentials = { username: 'door-test', password: 'not-the-password' };

interface Route {
  method: string;
  path: string;
}

/** Every route the engine serves, read from the Express routers (so a new route is covered without editing this list). */
function engineRoutes(): Route[] {
  const app = createEngineHttpApp(new FakeEngineApi(), {
    logger: pino({ level: 'silent' }),
    credentials: CREDENTIALS,
    allowedHosts: ['127.0.0.1'],
  });
  const routes: Route[] = [];
  type Layer = { route?: { path: string; methods: Record<string, boolean> }; handle?: { stack?: Layer[] } };
  const walk = (stack: Layer[], prefix: string): void => {
    for (const layer of stack) {
      if (layer.route) {
        for (const method of Object.keys(layer.route.methods)) routes.push({ method: method.toUpperCase(), path: `${prefix}${layer.route.path}` });
      } else if (layer.handle?.stack) {
        // The `/v2` mount is the only prefixed router; resource routers are mounted at its root.
        walk(layer.handle.stack, prefix || (layer.handle.stack.some((l) => l.handle?.stack) ? '/v2' : prefix));
      }
    }
  };
  walk((app as unknown as { router: { stack: Layer[] } }).router.stack, '');
  return routes.map((r) => ({ method: r.method, path: r.path.replace(/:[A-Za-z]+/g, '1') }));
}

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Record<string, unknown>;
}

/** Raw HTTP with full control over Host and Origin (fetch may not set Host). */
function send(url: string, method: string, path: string, headers: Record<string, string>, body?: string): Promise<Answer> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: target.hostname, port: target.port, method, path, headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => {
          let parsed: Record<string, unknown> = {};
          try {
            parsed = text ? (JSON.parse(text) as Record<string, unknown>) : {};
          } catch {
            parsed = { unparsable: text };
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: parsed });
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

function expectProblem(answer: Answer, status: number, title: string): void {
  expect(answer.status, JSON.stringify(answer.body)).toBe(status);
  expect(answer.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(answer.body).toMatchObject({ type: 'about:blank', status, title });
  expect(String(answer.body.detail).length).toBeGreaterThan(20);
}

// The engines here test the doors, not the store: on PostgreSQL when DATABASE_URL is set (much cheaper to start).
const stores = engineTestStores();
afterAll(() => stores.dispose());
const store = () => stores.next();

const clientFor = (engine: RunningEngine, credentials: EngineCredentials) =>
  new Camunda8({
    ZEEBE_REST_ADDRESS: engine.url,
    CAMUNDA_AUTH_STRATEGY: 'BASIC',
    CAMUNDA_BASIC_AUTH_USERNAME: credentials.username,
    CAMUNDA_BASIC_AUTH_PASSWORD: credentials.password,
    CAMUNDA_LOG_LEVEL: 'none',
    CAMUNDA_SDK_HTTP_RETRY_MAX_ATTEMPTS: '1',
  } as never).getOrchestrationClusterApiClientLoose({}, { cached: false });

describe('engine access: credentials, Host and Origin', () => {
  let engine: RunningEngine;
  let host: string;
  const routes = engineRoutes();

  beforeAll(async () => {
    engine = await startEngine({ port: 0, logLevel: 'silent', credentials: CREDENTIALS, ...store() });
    host = new URL(engine.url).host;
    const client = clientFor(engine, CREDENTIALS);
    await client.createDeployment({ resources: [new File([await readFile(fixturePath('api-message-catch.bpmn'))], 'api-message-catch.bpmn')] } as never);
  });
  afterAll(async () => {
    await engine?.stop();
  });

  it('reads the routes from the routers (so none is left out)', () => {
    expect(routes.length).toBeGreaterThanOrEqual(35);
    expect(routes).toContainEqual({ method: 'POST', path: '/v2/user-tasks/1/completion' });
    expect(routes).toContainEqual({ method: 'PUT', path: '/v2/clock' });
    expect(routes).toContainEqual({ method: 'GET', path: '/v2/topology' });
  });

  it('answers every /v2 route with 401 problem+json and a Basic challenge without credentials', async () => {
    for (const route of routes) {
      const answer = await send(engine.url, route.method, route.path, {}, route.method === 'GET' || route.method === 'DELETE' ? undefined : '{}');
      expectProblem(answer, 401, 'UNAUTHORIZED');
      expect(answer.headers['www-authenticate'], `${route.method} ${route.path}`).toMatch(/^Basic realm="[^"]+"/);
      expect(answer.body.detail).toMatch(/CAMUNDA_BASIC_AUTH_USERNAME/);
    }
  });

  it('answers every /v2 route with 401 for a wrong password, a wrong user and a malformed header', async () => {
    const wrongHeaders = [
      basicAuthorization(WRONG),
      basicAuthorization({ username: 'someone-else', password: CREDENTIALS.password }),
      `Bearer ${CREDENTIALS.password}`,
      'Basic not-base64!',
    ];
    for (const route of routes) {
      for (const authorization of wrongHeaders) {
        expectProblem(await send(engine.url, route.method, route.path, { authorization }), 401, 'UNAUTHORIZED');
      }
    }
  });

  it('serves the official client configured with CAMUNDA_AUTH_STRATEGY=BASIC and the credential', async () => {
    const topology = await clientFor(engine, CREDENTIALS).getTopology();
    expect(topology.brokers).toHaveLength(1);
    const refused = (await clientFor(engine, WRONG).getTopology().then(
      () => undefined,
      (error: unknown) => error,
    )) as { status?: number } | undefined;
    expect(refused?.status).toBe(401);
  });

  it('refuses a Host that is not one of its names (DNS rebinding), before authentication', async () => {
    for (const badHost of [`evil.example:${engine.port}`, 'evil.example', `127.0.0.1.nip.io:${engine.port}`, `localhost.evil.example:${engine.port}`]) {
      const answer = await send(engine.url, 'GET', '/v2/topology', { host: badHost, authorization: basicAuthorization(CREDENTIALS) });
      expectProblem(answer, 403, 'FORBIDDEN');
      expect(answer.body.detail).toMatch(/ENGINE_ALLOWED_HOSTS/);
      expect(answer.headers['www-authenticate']).toBeUndefined();
    }
    for (const goodHost of [`localhost:${engine.port}`, `127.0.0.1:${engine.port}`, `LOCALHOST:${engine.port}`]) {
      expect((await send(engine.url, 'GET', '/v2/topology', { host: goodHost, authorization: basicAuthorization(CREDENTIALS) })).status).toBe(200);
    }
  });

  it('refuses a cross-site Origin, even with the credential and without a body; its own origin is served', async () => {
    const authorization = basicAuthorization(CREDENTIALS);
    for (const origin of ['http://evil.example', 'null', `http://localhost:${engine.port + 1}`, `https://${host}`]) {
      expectProblem(await send(engine.url, 'POST', '/v2/clock/reset', { origin, authorization }), 403, 'FORBIDDEN');
      expectProblem(await send(engine.url, 'POST', '/v2/process-instances/1/cancellation', { origin, authorization }), 403, 'FORBIDDEN');
      // Without credentials too: the origin is refused before authentication.
      const anonymous = await send(engine.url, 'POST', '/v2/messages/publication', { origin }, '{}');
      expectProblem(anonymous, 403, 'FORBIDDEN');
    }
    expectProblem(await send(engine.url, 'GET', '/v2/topology', { 'sec-fetch-site': 'cross-site', authorization }), 403, 'FORBIDDEN');
    expect((await send(engine.url, 'GET', '/v2/topology', { origin: `http://${host}`, authorization })).status).toBe(200);
  });

  it('a refused message publication (no credential, wrong credential, cross-site) correlates nothing and buffers nothing', async () => {
    const client = clientFor(engine, CREDENTIALS);
    const orderId = `order-${Math.random().toString(36).slice(2)}`;
    const created = await client.createProcessInstance({ processDefinitionId: key('api-message-catch'), variables: { orderId } } as never);
    const publication = JSON.stringify({ name: 'api-order-paid', correlationKey: orderId, timeToLive: 3_600_000, variables: { paid: true } });
    expect((await send(engine.url, 'POST', '/v2/messages/publication', {}, publication)).status).toBe(401);
    expect((await send(engine.url, 'POST', '/v2/messages/publication', { authorization: basicAuthorization(WRONG) }, publication)).status).toBe(401);
    expect((await send(engine.url, 'POST', '/v2/messages/publication', { authorization: basicAuthorization(CREDENTIALS), origin: 'http://evil.example' }, publication)).status).toBe(403);
    expect((await send(engine.url, 'POST', '/v2/messages/publication', { authorization: basicAuthorization(CREDENTIALS), host: 'evil.example' }, publication)).status).toBe(403);

    const instance = await client.getProcessInstance({ processInstanceKey: created.processInstanceKey }, NOW);
    expect(instance.state).toBe('ACTIVE');
    // Nothing was buffered either: a second instance with the same key waits too.
    const second = await client.createProcessInstance({ processDefinitionId: key('api-message-catch'), variables: { orderId } } as never);
    expect((await client.getProcessInstance({ processInstanceKey: second.processInstanceKey }, NOW)).state).toBe('ACTIVE');
    const variables = await client.searchVariables({ filter: { processInstanceKey: created.processInstanceKey, name: 'paid' } } as never, NOW);
    expect(variables.items).toEqual([]);
  });

  it('refuses the clock with 403 while clock control is off, and changes nothing', async () => {
    const client = clientFor(engine, CREDENTIALS);
    for (const call of [() => client.pinClock({ timestamp: 1_900_000_000_000 }), () => client.resetClock()]) {
      const refused = (await call().then(
        () => undefined,
        (error: unknown) => error,
      )) as { status?: number; title?: string; detail?: string };
      expect(refused?.status).toBe(403);
      expect(refused?.title).toBe('FORBIDDEN');
      expect(refused?.detail).toMatch(/ZEEBE_CLOCK_CONTROLLED=true/);
    }
    const started = await client.createProcessInstance({ processDefinitionId: key('api-message-catch'), variables: { orderId: 'clock' } } as never);
    const instance = await client.getProcessInstance({ processInstanceKey: started.processInstanceKey }, NOW);
    expect(Math.abs(Date.parse(instance.startDate) - Date.now())).toBeLessThan(60 * 60_000);
  });
});

describe('engine access: start-up', () => {
  it('startEngine refuses a non-loopback bind without configured credentials, saying why and what to set', async () => {
    const refused = await startEngine({ port: 0, host: '0.0.0.0', logLevel: 'silent', ...store() }).then(
      () => new Error('expected the start to be refused'),
      (error: unknown) => error as Error,
    );
    expect(refused).toBeInstanceOf(Error);
    expect(refused.message).toMatch(/ENGINE_HOST=0\.0\.0\.0 would let other machines reach the engine/);
    expect(refused.message).toMatch(/CAMUNDA_BASIC_AUTH_USERNAME/);
  });

  it('startEngine binds 0.0.0.0 with configured credentials and then answers to ENGINE_ALLOWED_HOSTS names only', async () => {
    const engine = await startEngine({ port: 0, host: '0.0.0.0', logLevel: 'silent', credentials: CREDENTIALS, allowedHosts: ['engine.internal'], ...store() });
    try {
      const authorization = basicAuthorization(CREDENTIALS);
      expect((await send(engine.url, 'GET', '/v2/topology', { authorization, host: `engine.internal:${engine.port}` })).status).toBe(200);
      expect((await send(engine.url, 'GET', '/v2/topology', { authorization, host: `other.internal:${engine.port}` })).status).toBe(403);
    } finally {
      await engine.stop();
    }
  });

  it('keeps a generated credential in credentials.env (0600), reuses it, and refuses the file once others can read it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'spe-engine-cred-'));
    try {
      const first = await startEngine({ port: 0, logLevel: 'silent', credentialDir: dir, ...store() });
      const file = join(dir, 'credentials.env');
      expect(first.credentialFile).toBe(file);
      await first.stop();
      const { stat, chmod } = await import('node:fs/promises');
      expect((await stat(file)).mode & 0o777).toBe(0o600);
      expect(await readFile(file, 'utf8')).toContain(`CAMUNDA_BASIC_AUTH_PASSWORD=${first.credentials.password}`);

      const second = await startEngine({ port: 0, logLevel: 'silent', credentialDir: dir, ...store() });
      expect(second.credentials).toEqual(first.credentials);
      expect((await clientFor(second, second.credentials).getTopology()).brokers).toHaveLength(1);
      await second.stop();

      await chmod(file, 0o644);
      const refused = await startEngine({ port: 0, logLevel: 'silent', credentialDir: dir, ...store() }).then(
      () => new Error('expected the start to be refused'),
      (error: unknown) => error as Error,
    );
      expect(refused.message).toMatch(/can be read by other users \(mode 0644\)/);
      expect(refused.message).toContain(`chmod 600 ${file}`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('npm run engine (child process)', () => {
  it('refuses ENGINE_HOST=0.0.0.0 without configured credentials, with the reason', async () => {
    const child = startRepoProcess({
      entry: 'engine/main.ts',
      env: { ENGINE_HOST: '0.0.0.0', ENGINE_PORT: String(await freePort()), CAMUNDA_AUTH_STRATEGY: undefined, CAMUNDA_BASIC_AUTH_USERNAME: undefined, CAMUNDA_BASIC_AUTH_PASSWORD: undefined },
    });
    expect(await child.exited).toBe(1);
    expect(child.output()).toMatch(/ENGINE_HOST=0\.0\.0\.0 would let other machines reach the engine/);
  });

  it('creates the credential file, says how to use it without printing the password, and takes that credential', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'spe-engine-main-'));
    const port = await freePort();
    const child = startRepoProcess({
      entry: 'engine/main.ts',
      env: { ENGINE_DATA_DIR: dir, ENGINE_PORT: String(port), DATABASE_URL: undefined, LOG_LEVEL: 'info', CAMUNDA_AUTH_STRATEGY: undefined, CAMUNDA_BASIC_AUTH_USERNAME: undefined, CAMUNDA_BASIC_AUTH_PASSWORD: undefined },
    });
    try {
      await child.waitForLine(/set -a; \. .*credentials\.env; set \+a/, 60_000);
      const text = await readFile(join(dir, 'credentials.env'), 'utf8');
      const password = /CAMUNDA_BASIC_AUTH_PASSWORD=(\S+)/.exec(text)?.[1] ?? '';
      const username = /CAMUNDA_BASIC_AUTH_USERNAME=(\S+)/.exec(text)?.[1] ?? '';
      expect(password.length).toBeGreaterThan(20);
      expect(child.output()).not.toContain(password);
      expect(child.output()).toContain(`export ZEEBE_REST_ADDRESS=http://127.0.0.1:${port}`);
      const url = `http://127.0.0.1:${port}`;
      expect((await send(url, 'GET', '/v2/topology', {})).status).toBe(401);
      expect((await send(url, 'GET', '/v2/topology', { authorization: basicAuthorization({ username, password }) })).status).toBe(200);
    } finally {
      await child.stop();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
