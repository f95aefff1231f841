/**
 * The development OpenID Provider over real HTTP, as a browser would use it but with fetch (manual redirects,
 * a cookie jar): the whole platform in-process (PostgreSQL when DATABASE_URL is set, else PGlite), discovery →
 * authorize → sign-in page → pick alice → code → token with the PKCE verifier → the API accepts the access
 * token; refresh (rotated), revocation, wrong verifier, unregistered redirect URI, missing PKCE, cancel and end-session.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPermitManagerForTest, type PermitManagerForTest } from '../../test/integration/support/start-permit-manager-for-test.js';
import { createApp } from '../app.js';
import { loadConfig } from '../config.js';
import { createIdentity } from './create-identity.js';

const REDIRECT_URI = 'http://127.0.0.1/signed-in'; // PUBLIC_URL of the test platform + /signed-in
const POST_LOGOUT_URI = 'http://127.0.0.1/';

let pm: PermitManagerForTest;
let discovery: Record<string, string>;
let webConfig: { issuer: string; clientId: string; scope: string; audience: string; metadataUrl: string };
let webConfigCaching: string | null;

/** Cookies by name, as a browser on this one host would keep them (paths ignored: names do not clash here). */
class CookieJar {
  private readonly cookies = new Map<string, string>();
  take(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const at = pair.indexOf('=');
      const name = pair.slice(0, at).trim();
      const value = pair.slice(at + 1).trim();
      if (/expires=Thu, 01 Jan 1970/i.test(line) || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
  header(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }
}

async function go(jar: CookieJar, url: string, init: RequestInit = {}): Promise<Response> {
  const response = await fetch(new URL(url, pm.baseUrl), { ...init, redirect: 'manual', headers: { ...(init.headers as Record<string, string>), cookie: jar.header() } });
  jar.take(response);
  return response;
}

function location(response: Response): URL {
  const value = response.headers.get('location');
  if (!value) throw new Error(`expected a redirect, got HTTP ${response.status}`);
  return new URL(value, pm.baseUrl);
}

function pkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

function authorizeUrl(params: Record<string, string>): string {
  const url = new URL(discovery.authorization_endpoint ?? '');
  for (const [key, value] of Object.entries({ client_id: 'spe-web', response_type: 'code', scope: webConfig.scope, redirect_uri: REDIRECT_URI, ...params })) {
    url.searchParams.set(key, value);
  }
  return url.href;
}

/** authorize → sign-in page → choose `userId` → back at the redirect URI with a code. */
async function signIn(jar: CookieJar, userId: string, challenge: string): Promise<{ code: string; page: string; pageHeaders: Headers }> {
  const state = randomBytes(8).toString('hex');
  const toPage = await go(jar, authorizeUrl({ code_challenge: challenge, code_challenge_method: 'S256', state, nonce: 'n-1' }));
  expect(toPage.status).toBe(303);
  const pageUrl = location(toPage);
  expect(pageUrl.pathname).toMatch(/^\/api\/dev-auth\/interaction\/[\w-]+$/);
  const pageResponse = await go(jar, pageUrl.href);
  expect(pageResponse.status).toBe(200);
  const page = await pageResponse.text();
  const action = /<form method="post" action="([^"]+\/login)"/.exec(page)?.[1];
  expect(action, 'the sign-in page posts the chosen user').toBeDefined();
  const chosen = await go(jar, action ?? '', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ userId }).toString() });
  expect(chosen.status).toBe(303);
  const back = await go(jar, location(chosen).href);
  expect(back.status).toBe(303);
  const callback = location(back);
  expect(`${callback.origin}${callback.pathname}`).toBe(REDIRECT_URI);
  expect(callback.searchParams.get('state')).toBe(state);
  expect(callback.searchParams.get('iss')).toBe(webConfig.issuer);
  return { code: callback.searchParams.get('code') ?? '', page, pageHeaders: pageResponse.headers };
}

async function token(body: Record<string, string>): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(discovery.token_endpoint ?? '', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ client_id: 'spe-web', ...body }).toString() });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

beforeAll(async () => {
  pm = await startPermitManagerForTest({ workers: false });
  const answer = await fetch(`${pm.baseUrl}/api/web-config`);
  webConfigCaching = answer.headers.get('cache-control');
  webConfig = (await answer.json()) as typeof webConfig;
  // As the browser does: the discovery path on the platform's own origin (the issuer names a port-less URL).
  discovery = (await (await fetch(new URL(webConfig.metadataUrl, pm.baseUrl))).json()) as Record<string, string>;
}, 60_000);

afterAll(async () => {
  await pm?.stop();
});

describe('GET /api/web-config', () => {
  it('points the web app at the development issuer, its public client and the API audience', () => {
    expect(webConfig).toEqual({ issuer: 'http://127.0.0.1/api/dev-auth', clientId: 'spe-web', scope: 'openid profile email', audience: 'spe-api', metadataUrl: '/api/dev-auth/.well-known/openid-configuration' });
    expect(webConfigCaching).toBe('no-store');
  });
});

describe('discovery', () => {
  it('names the issuer and offers code + PKCE S256 with refresh tokens and end-session', () => {
    expect(discovery).toMatchObject({
      issuer: webConfig.issuer,
      authorization_endpoint: `${pm.baseUrl}/api/dev-auth/auth`,
      token_endpoint: `${pm.baseUrl}/api/dev-auth/oauth/token`,
      jwks_uri: `${pm.baseUrl}/api/dev-auth/jwks.json`,
      end_session_endpoint: `${pm.baseUrl}/api/dev-auth/session/end`,
      revocation_endpoint: `${pm.baseUrl}/api/dev-auth/oauth/revoke`,
      response_types_supported: ['code'],
      code_challenge_methods_supported: ['S256'],
    });
    expect(discovery.grant_types_supported).toEqual(expect.arrayContaining(['authorization_code', 'refresh_token']));
  });

  it('publishes the same key the shortcut tokens are signed with', async () => {
    const jwks = (await (await fetch(discovery.jwks_uri ?? '')).json()) as { keys: { kid: string }[] };
    expect(jwks.keys.map((k) => k.kid)).toEqual([pm.devIssuer.jwks.keys[0]?.kid]);
    expect(JSON.stringify(jwks)).not.toMatch(/"d":/);
  });
});

describe('authorization code + PKCE', () => {
  it('signs alice in through the sign-in page; her access token opens the API', async () => {
    const jar = new CookieJar();
    const { verifier, challenge } = pkce();
    const { code, page, pageHeaders } = await signIn(jar, 'alice', challenge);

    expect(page).toContain('Alice Okafor');
    expect(page).toContain('Rita Hansen');
    expect(pageHeaders.get('content-security-policy')).toMatch(/default-src 'none'/);
    expect(pageHeaders.get('cache-control')).toBe('no-store');

    const tokens = await token({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, code_verifier: verifier });
    expect(tokens.status).toBe(200);
    expect(tokens.json).toMatchObject({ token_type: 'Bearer', expires_in: 900, access_token: expect.any(String), id_token: expect.any(String), refresh_token: expect.any(String) });

    const access = String(tokens.json.access_token);
    expect(decodeProtectedHeader(access)).toMatchObject({ alg: 'ES256', kid: pm.devIssuer.jwks.keys[0]?.kid });
    expect(decodeJwt(access)).toMatchObject({ iss: webConfig.issuer, aud: 'spe-api', sub: 'alice', name: 'Alice Okafor', email: 'alice@research.example.org', roles: ['researcher'], client_id: 'spe-web' });
    expect(decodeJwt(String(tokens.json.id_token))).toMatchObject({ iss: webConfig.issuer, aud: 'spe-web', sub: 'alice', name: 'Alice Okafor', email: 'alice@research.example.org', nonce: 'n-1' });

    const permits = await fetch(`${pm.baseUrl}/api/permits`, { headers: { authorization: `Bearer ${access}` } });
    expect(permits.status).toBe(200);
    const created = await fetch(`${pm.baseUrl}/api/permits`, {
      method: 'POST',
      headers: { authorization: `Bearer ${access}`, 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'Signed in through the browser flow', purpose: 'Sign-in test', validUntil: '2030-01-01T00:00:00Z' }),
    });
    expect(created.status).toBe(201);

    // Refresh: a new access token, a rotated refresh token; the old one is spent.
    const refreshed = await token({ grant_type: 'refresh_token', refresh_token: String(tokens.json.refresh_token) });
    expect(refreshed.status).toBe(200);
    expect(refreshed.json.refresh_token).not.toBe(tokens.json.refresh_token);
    expect(decodeJwt(String(refreshed.json.access_token))).toMatchObject({ sub: 'alice', roles: ['researcher'], aud: 'spe-api' });
    expect((await fetch(`${pm.baseUrl}/api/permits`, { headers: { authorization: `Bearer ${String(refreshed.json.access_token)}` } })).status).toBe(200);
    const reused = await token({ grant_type: 'refresh_token', refresh_token: String(tokens.json.refresh_token) });
    expect(reused).toMatchObject({ status: 400, json: { error: 'invalid_grant' } });

    // The code is single-use.
    const again = await token({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, code_verifier: verifier });
    expect(again).toMatchObject({ status: 400, json: { error: 'invalid_grant' } });
  });

  it('accepts the redirect URI on any port of a loopback public URL (RFC 8252 §7.3), as PORT=0 platforms need', async () => {
    const jar = new CookieJar();
    const redirect = `${pm.baseUrl}/signed-in`; // the real port; registered: http://127.0.0.1/signed-in
    const { verifier, challenge } = pkce();
    const pageUrl = location(await go(jar, authorizeUrl({ redirect_uri: redirect, code_challenge: challenge, code_challenge_method: 'S256' })));
    const chosen = await go(jar, `${pageUrl.href}/login`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'userId=dana' });
    const back = location(await go(jar, location(chosen).href));
    expect(`${back.origin}${back.pathname}`).toBe(redirect);
    const answer = await token({ grant_type: 'authorization_code', code: back.searchParams.get('code') ?? '', redirect_uri: redirect, code_verifier: verifier });
    expect(answer.status).toBe(200);
    // The browser's token request is cross-origin when it runs on another loopback port: CORS allows it.
    const preflight = await fetch(discovery.token_endpoint ?? '', { method: 'OPTIONS', headers: { origin: 'http://localhost:5173', 'access-control-request-method': 'POST' } });
    expect(preflight.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
  });

  it('revokes a refresh token: it no longer renews, and a reused rotated one ends the whole grant', async () => {
    const { verifier, challenge } = pkce();
    const { code } = await signIn(new CookieJar(), 'rita', challenge);
    const tokens = await token({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, code_verifier: verifier });
    expect(tokens.status).toBe(200);
    const revoke = await fetch(discovery.revocation_endpoint ?? '', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ client_id: 'spe-web', token: String(tokens.json.refresh_token), token_type_hint: 'refresh_token' }).toString(),
    });
    expect(revoke.status).toBe(200);
    expect(await token({ grant_type: 'refresh_token', refresh_token: String(tokens.json.refresh_token) })).toMatchObject({ status: 400, json: { error: 'invalid_grant' } });

    // Reuse detection: presenting a spent refresh token also ends the one it was rotated into.
    const second = pkce();
    const again = await signIn(new CookieJar(), 'rita', second.challenge);
    const fresh = await token({ grant_type: 'authorization_code', code: again.code, redirect_uri: REDIRECT_URI, code_verifier: second.verifier });
    const rotated = await token({ grant_type: 'refresh_token', refresh_token: String(fresh.json.refresh_token) });
    expect(rotated.status).toBe(200);
    expect((await token({ grant_type: 'refresh_token', refresh_token: String(fresh.json.refresh_token) })).status).toBe(400);
    expect(await token({ grant_type: 'refresh_token', refresh_token: String(rotated.json.refresh_token) })).toMatchObject({ status: 400, json: { error: 'invalid_grant' } });
  });

  it('refuses the code with the wrong PKCE verifier (400 invalid_grant)', async () => {
    const { challenge } = pkce();
    const { code } = await signIn(new CookieJar(), 'rita', challenge);
    const answer = await token({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, code_verifier: pkce().verifier });
    expect(answer).toMatchObject({ status: 400, json: { error: 'invalid_grant' } });
  });

  it('refuses a redirect URI that is not registered, without redirecting there', async () => {
    const answer = await go(new CookieJar(), authorizeUrl({ redirect_uri: 'https://attacker.example/signed-in', code_challenge: pkce().challenge, code_challenge_method: 'S256' }));
    expect(answer.status).toBe(400);
    expect(answer.headers.get('location')).toBeNull();
    expect(await answer.text()).toMatch(/redirect_uri did not match any of the client&#39;s registered redirect_uris/);
  });

  it('requires PKCE: without a code challenge the client gets invalid_request', async () => {
    const answer = await go(new CookieJar(), authorizeUrl({ state: 's' }));
    expect(answer.status).toBe(303);
    const back = location(answer);
    expect(back.searchParams.get('error')).toBe('invalid_request');
    expect(back.searchParams.get('error_description')).toMatch(/PKCE/);
  });

  it('refuses the plain PKCE method', async () => {
    const back = location(await go(new CookieJar(), authorizeUrl({ code_challenge: 'x'.repeat(43), code_challenge_method: 'plain' })));
    expect(back.searchParams.get('error')).toBe('invalid_request');
  });

  it('cancel on the sign-in page sends access_denied back to the client', async () => {
    const jar = new CookieJar();
    const page = await go(jar, location(await go(jar, authorizeUrl({ code_challenge: pkce().challenge, code_challenge_method: 'S256', state: 'c' }))).href);
    const cancel = /<form method="post" action="([^"]+\/abort)"/.exec(await page.text())?.[1] ?? '';
    const resumed = await go(jar, cancel, { method: 'POST' });
    const back = location(await go(jar, location(resumed).href));
    expect(back.searchParams.get('error')).toBe('access_denied');
    expect(back.searchParams.get('state')).toBe('c');
  });

  it('refuses a user who is not seeded, and an expired or unknown sign-in page', async () => {
    const jar = new CookieJar();
    const pageUrl = location(await go(jar, authorizeUrl({ code_challenge: pkce().challenge, code_challenge_method: 'S256' })));
    const mallory = await go(jar, `${pageUrl.href}/login`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'userId=mallory' });
    expect(mallory.status).toBe(400);
    expect(await mallory.text()).toMatch(/Choose one of the seeded users \(alice, rita, victor, dana, adam\)/);
    const unknown = await go(new CookieJar(), `${pm.baseUrl}/api/dev-auth/interaction/not-a-real-one`);
    expect(unknown.status).toBe(400);
    expect(await unknown.text()).toMatch(/sign in again/);
  });
});

describe('end-session (sign-out)', () => {
  it('ends the session: back at the post-logout URI, and the next sign-in asks again', async () => {
    const jar = new CookieJar();
    const { verifier, challenge } = pkce();
    const { code } = await signIn(jar, 'victor', challenge);
    const tokens = await token({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, code_verifier: verifier });

    // Signed in: a second authorization goes straight back with a code (no page).
    const silent = await go(jar, authorizeUrl({ code_challenge: pkce().challenge, code_challenge_method: 'S256' }));
    const resumed = location(silent).pathname.startsWith('/api/dev-auth/interaction') ? location(silent) : undefined;
    expect(resumed, 'a signed-in session needs no sign-in page').toBeUndefined();

    const endUrl = new URL(discovery.end_session_endpoint ?? '');
    endUrl.searchParams.set('id_token_hint', String(tokens.json.id_token));
    endUrl.searchParams.set('post_logout_redirect_uri', POST_LOGOUT_URI);
    endUrl.searchParams.set('state', 'bye');
    const confirm = await go(jar, endUrl.href);
    expect(confirm.status).toBe(200);
    const html = await confirm.text();
    expect(html).toContain('Sign out of the SPE platform?');
    const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1] ?? '';
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
    const done = await go(jar, action, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ xsrf, logout: 'yes' }).toString() });
    expect(done.status).toBe(303);
    const back = location(done);
    expect(`${back.origin}${back.pathname}`).toBe(POST_LOGOUT_URI);
    expect(back.searchParams.get('state')).toBe('bye');

    const afterwards = await go(jar, authorizeUrl({ code_challenge: pkce().challenge, code_challenge_method: 'S256' }));
    expect(location(afterwards).pathname).toMatch(/^\/api\/dev-auth\/interaction\//);
  });
});

describe('behind a TLS proxy at a real host name', () => {
  it('registers exactly https://<host>/signed-in (no other port), and sets Secure cookies', async () => {
    const config = loadConfig({ NODE_ENV: 'development', PUBLIC_URL: 'https://spe.example.org', TRUST_PROXY: 'true', LOG_LEVEL: 'silent' });
    const identity = await createIdentity(config, { persistDevKey: false });
    const app = createApp({ config, logger: pino({ level: 'silent' }), routers: [], readiness: {}, authenticator: identity.authenticator, webConfig: identity.webConfig, ...(identity.devIssuer ? { devIssuer: identity.devIssuer } : {}) });
    const server = createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const proxied = { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'spe.example.org' };
      const webConfigAnswer = (await (await fetch(`${base}/api/web-config`)).json()) as { issuer: string };
      expect(webConfigAnswer.issuer).toBe('https://spe.example.org/api/dev-auth');
      const authorize = (redirectUri: string) => {
        const url = new URL(`${base}/api/dev-auth/auth`);
        for (const [key, value] of Object.entries({ client_id: 'spe-web', response_type: 'code', scope: 'openid', redirect_uri: redirectUri, code_challenge: pkce().challenge, code_challenge_method: 'S256' })) url.searchParams.set(key, value);
        return fetch(url, { redirect: 'manual', headers: proxied });
      };
      const good = await authorize('https://spe.example.org/signed-in');
      expect(good.status).toBe(303);
      expect(good.headers.getSetCookie().every((cookie) => /; secure/i.test(cookie))).toBe(true);
      // The rest of the sign-in, as the browser behind the proxy: page, choice, back with a code (no consent).
      const jar = new CookieJar();
      jar.take(good);
      const step = async (url: string, init: RequestInit = {}) => {
        const answer = await fetch(new URL(new URL(url).pathname + new URL(url).search, base), { ...init, redirect: 'manual', headers: { ...proxied, ...(init.headers as Record<string, string>), cookie: jar.header() } });
        jar.take(answer);
        return answer;
      };
      const page = await step(new URL(good.headers.get('location') ?? '', 'https://spe.example.org').href);
      expect(page.status).toBe(200);
      const chosen = await step(`${page.url}/login`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'userId=adam' });
      const back = await step(chosen.headers.get('location') ?? '');
      expect(back.headers.get('location')).toMatch(/^https:\/\/spe\.example\.org\/signed-in\?code=/);
      expect((await authorize('https://spe.example.org:8443/signed-in')).status).toBe(400);
      expect((await authorize('http://spe.example.org/signed-in')).status).toBe(400);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
