/**
 * The platform app over real HTTP on port 0, with no feature routers except a tiny test router (a bearer route,
 * a body route, routes that throw): problem+json shapes, 401s, correlation ids, body limits, rate limits,
 * the OpenAPI document and the docs page.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { InvalidTransitionError } from '../shared/index.js';
import { createApp, type AppDeps } from './app.js';
import { loadConfig } from './config.js';
import { createAuthenticator } from './identity/authenticator.js';
import { createDevIssuer, type DevIssuer } from './identity/dev-issuer.js';
import { defineRoute, type FeatureRouter } from './platform/define-route.js';
import type { Readiness } from './platform/health-routes.js';

const testRouter: FeatureRouter = {
  name: 'test',
  routes: [
    defineRoute({
      method: 'get', path: '/test/whoami', summary: 'Who am I', tags: ['Test'], auth: 'bearer',
      responses: { 200: { description: 'The caller' } },
      handler: (_input, { caller, log }) => {
        log.info({ probe: 'whoami' }, 'handler ran');
        return caller;
      },
    }),
    defineRoute({
      method: 'post', path: '/test/echo', summary: 'Echo', tags: ['Test'], auth: 'public',
      request: { body: z.object({ text: z.string().max(100_000) }) },
      responses: { 200: { description: 'The body' } },
      handler: ({ body }) => body,
    }),
    defineRoute({
      method: 'post', path: '/test/permits/{id}/suspend', summary: 'Suspend', tags: ['Test'], auth: 'bearer',
      request: { params: z.object({ id: z.string() }) },
      responses: { 200: { description: 'never' } },
      handler: () => {
        throw new InvalidTransitionError('A DRAFT permit cannot be suspended.', 'DRAFT', ['submit', 'withdraw']);
      },
    }),
    defineRoute({
      method: 'get', path: '/test/crash', summary: 'Crash', tags: ['Test'], auth: 'public',
      responses: { 200: { description: 'never' } },
      handler: () => {
        throw new Error('secret internals');
      },
    }),
  ],
};

interface Started {
  base: string;
  lines: Record<string, unknown>[];
  devIssuer: DevIssuer;
  server: Server;
}

const started: Started[] = [];

async function startApp(env: NodeJS.ProcessEnv = {}, readiness: Readiness = {}, overrides: Partial<AppDeps> = {}): Promise<Started> {
  // Listen first, so the dev issuer's URL (publicUrl) carries the real port.
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const config = loadConfig({ NODE_ENV: 'test', PUBLIC_URL: base, ...env });
  const lines: Record<string, unknown>[] = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) });
  const devIssuer = await createDevIssuer({ publicUrl: config.publicUrl, audience: config.oidcAudience });
  const authenticator = createAuthenticator({ issuer: devIssuer.issuer, audience: config.oidcAudience, keySet: devIssuer.jwks });
  const app = createApp({ config, logger, routers: [testRouter], readiness, authenticator, devIssuer, ...overrides });
  server.on('request', app);
  const result = { base, lines, devIssuer, server };
  started.push(result);
  return result;
}

afterAll(async () => {
  await Promise.all(started.map(({ server }) => new Promise((resolve) => server.close(resolve))));
});

async function problemOf(response: Response): Promise<Record<string, unknown>> {
  expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  return (await response.json()) as Record<string, unknown>;
}

describe('the platform app', () => {
  let app: Started;

  beforeAll(async () => {
    app = await startApp({}, { db: async () => ({ ok: true }), broker: () => Promise.reject(new Error('connection refused')) });
  });

  async function tokenFor(userId: string): Promise<string> {
    const response = await fetch(`${app.base}/api/dev-auth/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ userId }) });
    expect(response.status).toBe(200);
    return ((await response.json()) as { access_token: string }).access_token;
  }

  describe('correlation ids', () => {
    it('echoes the caller-sent x-correlation-id and logs every line of the request with it', async () => {
      const response = await fetch(`${app.base}/api/test/whoami`, {
        headers: { 'x-correlation-id': 'it-corr-1', authorization: `Bearer ${await tokenFor('alice')}` },
      });
      expect(response.status).toBe(200);
      expect(response.headers.get('x-correlation-id')).toBe('it-corr-1');
      const lines = app.lines.filter((l) => l.correlationId === 'it-corr-1');
      expect(lines.map((l) => l.msg)).toEqual(['handler ran', 'request completed']);
      expect(lines[1]).toMatchObject({ method: 'GET', path: '/api/test/whoami', status: 200, userId: 'alice' });
    });

    it('generates one when none is sent, and puts it in problems too', async () => {
      const response = await fetch(`${app.base}/api/nope`);
      const id = response.headers.get('x-correlation-id');
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
      expect((await problemOf(response)).correlationId).toBe(id);
    });
  });

  describe('problem+json', () => {
    it('answers an unknown route with a 404 problem', async () => {
      const response = await fetch(`${app.base}/api/nope?x=1`);
      expect(response.status).toBe(404);
      expect(await problemOf(response)).toEqual({
        type: '/api/docs#problem-not-found',
        title: 'Not found',
        status: 404,
        detail: 'No route GET /api/nope. See /api/docs for the operations this API offers.',
        instance: '/api/nope',
        correlationId: expect.any(String),
      });
    });

    it('answers outside /api with a 404 problem too', async () => {
      expect((await fetch(`${app.base}/favicon.ico`)).status).toBe(404);
    });

    it('answers a known path with another method with 405 and Allow', async () => {
      const response = await fetch(`${app.base}/api/health`, { method: 'DELETE' });
      expect(response.status).toBe(405);
      expect(response.headers.get('allow')).toBe('GET, HEAD');
      expect((await problemOf(response)).type).toBe('/api/docs#problem-method-not-allowed');
    });

    it('answers malformed JSON with 400', async () => {
      const response = await fetch(`${app.base}/api/test/echo`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"text": ' });
      expect(response.status).toBe(400);
      expect(await problemOf(response)).toMatchObject({ type: '/api/docs#problem-malformed-body', detail: expect.stringMatching(/not valid JSON/) });
    });

    it('answers an invalid body with 400 and errors[]', async () => {
      const response = await fetch(`${app.base}/api/test/echo`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"text": 5}' });
      expect(response.status).toBe(400);
      expect(await problemOf(response)).toMatchObject({ errors: [{ path: 'body.text', message: expect.any(String) }] });
    });

    it('answers a body that is not JSON with 415', async () => {
      const response = await fetch(`${app.base}/api/test/echo`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'hello' });
      expect(response.status).toBe(415);
    });

    it('answers a body over the limit (100kb by default) with 413', async () => {
      const body = JSON.stringify({ text: 'x'.repeat(101 * 1024) });
      const response = await fetch(`${app.base}/api/test/echo`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      expect(response.status).toBe(413);
      expect(await problemOf(response)).toMatchObject({ type: '/api/docs#problem-payload-too-large', limitBytes: 102400 });
    });

    it('accepts a body under the limit', async () => {
      const response = await fetch(`${app.base}/api/test/echo`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: 'hi' }) });
      expect(await response.json()).toEqual({ text: 'hi' });
    });

    it('answers a NUL byte or a lone surrogate in a body, a query or a path parameter with 400 naming the field', async () => {
      const body = await fetch(`${app.base}/api/test/echo`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"text": "a\\u0000b"}' });
      expect(body.status).toBe(400);
      expect(await problemOf(body)).toMatchObject({ type: '/api/docs#problem-validation', errors: [{ path: 'body.text', message: expect.stringMatching(/NUL/) }] });
      const surrogate = await fetch(`${app.base}/api/test/echo`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"text": "\\ud800"}' });
      expect(await problemOf(surrogate)).toMatchObject({ errors: [{ path: 'body.text', message: expect.stringMatching(/surrogate/) }] });
      const token = await tokenFor('rita');
      const param = await fetch(`${app.base}/api/test/permits/a%00b/suspend`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
      expect(param.status).toBe(400);
      expect(await problemOf(param)).toMatchObject({ errors: [{ path: 'params.id' }] });
      const query = await fetch(`${app.base}/api/test/whoami?q=%00`, { headers: { authorization: `Bearer ${token}` } });
      expect(query.status).toBe(400);
      expect(await problemOf(query)).toMatchObject({ errors: [{ path: 'query.q' }] });
    });

    it('marks every /api answer no-store and no-referrer, and keeps the reference page out of frames', async () => {
      const token = await tokenFor('alice');
      for (const response of [await fetch(`${app.base}/api/test/whoami`, { headers: { authorization: `Bearer ${token}` } }), await fetch(`${app.base}/api/test/whoami`), await fetch(`${app.base}/api/docs`)]) {
        expect(response.headers.get('cache-control')).toBe('no-store');
        expect(response.headers.get('referrer-policy')).toBe('no-referrer');
      }
      const docs = await fetch(`${app.base}/api/docs`);
      expect(docs.headers.get('x-frame-options')).toBe('DENY');
      expect(docs.headers.get('content-security-policy')).toMatch(/frame-ancestors 'none'/);
    });

    it('answers a path parameter that is not validly percent-encoded with 400', async () => {
      const response = await fetch(`${app.base}/api/test/permits/%E0%A4%A/suspend`, { method: 'POST', headers: { authorization: `Bearer ${await tokenFor('rita')}` } });
      expect(response.status).toBe(400);
      expect((await problemOf(response)).detail).toMatch(/Failed to decode param/);
    });

    it('answers an invalid transition with 409, currentStatus and allowedActions', async () => {
      const response = await fetch(`${app.base}/api/test/permits/p1/suspend`, { method: 'POST', headers: { authorization: `Bearer ${await tokenFor('rita')}` } });
      expect(response.status).toBe(409);
      expect(await problemOf(response)).toMatchObject({
        type: '/api/docs#problem-invalid-transition',
        detail: 'A DRAFT permit cannot be suspended.',
        currentStatus: 'DRAFT',
        allowedActions: ['submit', 'withdraw'],
        instance: '/api/test/permits/p1/suspend',
      });
    });

    it('answers an unexpected error with a bare 500 and logs it with the stack', async () => {
      const response = await fetch(`${app.base}/api/test/crash`, { headers: { 'x-correlation-id': 'it-crash' } });
      expect(response.status).toBe(500);
      expect(JSON.stringify(await problemOf(response))).not.toContain('secret internals');
      const logged = app.lines.find((l) => l.correlationId === 'it-crash' && l.msg === 'unexpected error');
      expect((logged?.err as { stack?: string } | undefined)?.stack).toMatch(/secret internals/);
    });
  });

  describe('authentication', () => {
    const whoami = (authorization?: string) => fetch(`${app.base}/api/test/whoami`, { headers: authorization ? { authorization } : {} });

    it('lets a dev-issuer token through and puts the caller on the request', async () => {
      const response = await whoami(`Bearer ${await tokenFor('victor')}`);
      expect(await response.json()).toEqual({ userId: 'victor', name: 'Victor Lindqvist', roles: ['hdab-reviewer'], email: 'victor@hdab.example.org' });
    });

    it('answers 401 with a bare Bearer challenge when no token is sent', async () => {
      const response = await whoami();
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe('Bearer realm="spe-api"');
      expect(await problemOf(response)).toMatchObject({ type: '/api/docs#problem-unauthenticated', detail: expect.stringMatching(/needs a bearer token/) });
    });

    const now = () => Math.floor(Date.now() / 1000);
    const cases: [string, () => Promise<string>, RegExp][] = [
      ['expired', () => app.devIssuer.mintDevToken('alice', { issuedAt: now() - 7200, expiresAt: now() - 3600 }), /^The token expired at /],
      ['from the wrong issuer', () => app.devIssuer.mintDevToken('alice', { issuer: 'https://elsewhere.example.org' }), /issued by "https:\/\/elsewhere\.example\.org"/],
      ['for the wrong audience', () => app.devIssuer.mintDevToken('alice', { audience: 'another-api' }), /meant for audience "another-api"/],
      [
        'with a tampered signature',
        async () => {
          const [h, p, s] = (await app.devIssuer.mintDevToken('alice')).split('.') as [string, string, string];
          return `${h}.${p}.${(s.startsWith('A') ? 'B' : 'A') + s.slice(1)}`;
        },
        /signature does not verify/,
      ],
      [
        'signed by an independent key pair',
        async () => (await createDevIssuer({ publicUrl: app.base, audience: 'spe-api' })).mintDevToken('adam'),
        /signed with a key that .* does not publish/,
      ],
      ['that is not a JWT', async () => 'abc.def', /not a well-formed signed JWT/],
    ];

    it.each(cases)('answers 401 invalid_token for a token %s, with a distinct detail', async (_name, mint, detail) => {
      const response = await whoami(`Bearer ${await mint()}`);
      expect(response.status).toBe(401);
      const challenge = response.headers.get('www-authenticate') ?? '';
      expect(challenge).toMatch(/^Bearer realm="spe-api", error="invalid_token", error_description="[^"]+"$/);
      const problem = await problemOf(response);
      expect(problem.detail).toMatch(detail);
      expect(challenge).toContain(String(problem.detail).replace(/["\\]/g, "'"));
    });

    it('answers 401 invalid_request for another scheme', async () => {
      const response = await whoami('Basic YWxpY2U6c2VjcmV0');
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toMatch(/error="invalid_request"/);
    });

    it('keeps public routes open even with a bad token', async () => {
      expect((await fetch(`${app.base}/api/health`, { headers: { authorization: 'Bearer junk' } })).status).toBe(200);
    });
  });

  describe('health', () => {
    it('answers liveness 200', async () => {
      const response = await fetch(`${app.base}/api/health`);
      expect(await response.json()).toMatchObject({ status: 'pass' });
    });

    it('answers readiness 503 with per-check detail when a dependency is down', async () => {
      const response = await fetch(`${app.base}/api/ready`);
      expect(response.status).toBe(503);
      expect(await response.json()).toMatchObject({
        status: 'fail',
        checks: { db: { status: 'pass', details: { ok: true } }, broker: { status: 'fail', error: 'connection refused' } },
      });
    });
  });

  describe('OpenAPI document and reference page', () => {
    it('is OpenAPI 3.1.0 and lists every route with its method', async () => {
      const document = (await (await fetch(`${app.base}/api/openapi.json`)).json()) as { openapi: string; paths: Record<string, Record<string, unknown>> };
      expect(document.openapi).toBe('3.1.0');
      const expected = [
        ['get', '/api/health'], ['get', '/api/ready'], ['get', '/api/openapi.json'], ['get', '/api/docs'],
        // Discovery, JWKS and the authorization endpoints are oidc-provider's (sign-in-flow.integration.test.ts).
        ['get', '/api/dev-auth/users'], ['post', '/api/dev-auth/token'],
        ...testRouter.routes.map((r) => [r.spec.method, `/api${r.spec.path}`]),
      ];
      for (const [method, path] of expected) expect(document.paths[path as string]?.[method as string], `${method} ${path}`).toBeDefined();
      expect(Object.values(document.paths).flatMap((p) => Object.keys(p))).toHaveLength(expected.length);
    });

    it('resolves every $ref to a component', async () => {
      const text = await (await fetch(`${app.base}/api/openapi.json`)).text();
      const document = JSON.parse(text) as { components: { schemas: Record<string, unknown> } };
      const refs = [...text.matchAll(/"\$ref":"([^"]+)"/g)].map((m) => m[1] as string);
      expect(refs.length).toBeGreaterThan(0);
      for (const ref of refs) {
        expect(ref).toMatch(/^#\/components\/schemas\//);
        expect(document.components.schemas[ref.replace('#/components/schemas/', '')], ref).toBeDefined();
      }
    });

    it('renders the reference page as self-contained HTML under a strict CSP', async () => {
      const response = await fetch(`${app.base}/api/docs`);
      expect(response.headers.get('content-type')).toMatch(/^text\/html/);
      expect(response.headers.get('content-security-policy')).toMatch(/default-src 'none'/);
      const html = await response.text();
      expect(html).toContain('id="op-mintDevToken"');
      expect(html).toContain('id="problem-invalid-transition"');
    });
  });

  describe('dev issuer', () => {
    it('is discoverable, so a standard OIDC authenticator can verify its tokens through the JWKS URL', async () => {
      const discovery = (await (await fetch(`${app.devIssuer.issuer}/.well-known/openid-configuration`)).json()) as { issuer: string; jwks_uri: string };
      expect(discovery.issuer).toBe(app.devIssuer.issuer);
      const remote = createAuthenticator({ issuer: app.devIssuer.issuer, audience: 'spe-api' });
      expect(await remote.verify(await tokenFor('dana'))).toMatchObject({ userId: 'dana', roles: ['data-holder'] });
    });

    it('keeps its key pair in the data dir across restarts', async () => {
      const dataDir = await mkdtemp(join(tmpdir(), 'spe-dev-issuer-'));
      try {
        const first = await createDevIssuer({ publicUrl: app.base, audience: 'spe-api', dataDir });
        const second = await createDevIssuer({ publicUrl: app.base, audience: 'spe-api', dataDir });
        expect(second.jwks).toEqual(first.jwks);
        const verifier = createAuthenticator({ issuer: second.issuer, audience: 'spe-api', keySet: second.jwks });
        expect(await verifier.verify(await first.mintDevToken('adam'))).toMatchObject({ userId: 'adam' });
      } finally {
        await rm(dataDir, { recursive: true, force: true });
      }
    });

    it('is not mounted when the app gets no dev issuer', async () => {
      const withoutDev = await startApp({}, {}, { devIssuer: undefined });
      expect((await fetch(`${withoutDev.base}/api/dev-auth/token`, { method: 'POST' })).status).toBe(404);
      const document = (await (await fetch(`${withoutDev.base}/api/openapi.json`)).json()) as { paths: Record<string, unknown> };
      expect(Object.keys(document.paths).some((p) => p.includes('dev-auth'))).toBe(false);
    });
  });
});

describe('rate limiting', () => {
  let app: Started;

  beforeAll(async () => {
    app = await startApp({ RATE_LIMIT_PER_MINUTE: '3' });
  });

  it('answers 429 problem+json with Retry-After once a caller is over the limit, per caller', async () => {
    const alice = `Bearer ${await app.devIssuer.mintDevToken('alice')}`;
    const rita = `Bearer ${await app.devIssuer.mintDevToken('rita')}`;
    const call = (authorization: string) => fetch(`${app.base}/api/test/whoami`, { headers: { authorization } });
    for (let i = 0; i < 3; i += 1) expect((await call(alice)).status).toBe(200);
    const limited = await call(alice);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(limited.headers.get('ratelimit-policy')).toMatch(/q=3; w=60/);
    expect(await problemOf(limited)).toMatchObject({ type: '/api/docs#problem-rate-limited', detail: expect.stringMatching(/user alice: the limit is 3 per minute/) });
    // Another caller from the same address has a budget of its own.
    expect((await call(rita)).status).toBe(200);
  });

  it('keys anonymous requests by address and never limits health probes', async () => {
    for (let i = 0; i < 3; i += 1) await fetch(`${app.base}/api/openapi.json`);
    const limited = await fetch(`${app.base}/api/openapi.json`);
    expect(limited.status).toBe(429);
    expect((await problemOf(limited)).detail).toMatch(/from address /);
    for (let i = 0; i < 5; i += 1) expect((await fetch(`${app.base}/api/health`)).status).toBe(200);
  });
});

describe('body limit', () => {
  it('follows BODY_LIMIT', async () => {
    const app = await startApp({ BODY_LIMIT: '1kb' });
    const response = await fetch(`${app.base}/api/test/echo`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: 'x'.repeat(2000) }) });
    expect(response.status).toBe(413);
    expect(await problemOf(response)).toMatchObject({ limitBytes: 1024 });
  });
});
