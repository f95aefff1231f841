import { decodeJwt, decodeProtectedHeader } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { callRoute } from '../platform/testing/call-route.js';
import { createDevIssuer, type DevIssuer } from './dev-issuer.js';
import { SEEDED_USERS } from './seeded-users.js';

let issuer: DevIssuer;

beforeAll(async () => {
  issuer = await createDevIssuer({ publicUrl: 'http://localhost:3000/', audience: 'spe-api' });
});

function route(path: string) {
  const found = issuer.routes.routes.find((r) => r.spec.path === path);
  if (!found) throw new Error(`no route ${path}`);
  return found;
}

describe('createDevIssuer', () => {
  it('names itself after the public URL', () => {
    expect(issuer.issuer).toBe('http://localhost:3000/api/dev-auth');
  });

  it('publishes one ES256 public key with a thumbprint kid and no private part', () => {
    expect(issuer.jwks.keys).toEqual([{ kty: 'EC', crv: 'P-256', x: expect.any(String), y: expect.any(String), kid: expect.any(String), alg: 'ES256', use: 'sig' }]);
  });

  it('mints 1-hour tokens with the seeded user as subject, name and roles', async () => {
    const token = await issuer.mintDevToken('victor');
    expect(decodeProtectedHeader(token)).toMatchObject({ alg: 'ES256', kid: issuer.jwks.keys[0]?.kid, typ: 'JWT' });
    const claims = decodeJwt(token);
    expect(claims).toMatchObject({ iss: issuer.issuer, aud: 'spe-api', sub: 'victor', name: 'Victor Lindqvist', roles: ['hdab-reviewer'], email: 'victor@hdab.example.org', jti: expect.any(String) });
    expect((claims.exp ?? 0) - (claims.iat ?? 0)).toBe(3600);
  });

  it('mints tokens with bent claims for tests', async () => {
    const claims = decodeJwt(await issuer.mintDevToken('bob', { roles: ['researcher'], audience: 'other', expiresAt: 1000, issuedAt: 900 }));
    expect(claims).toMatchObject({ sub: 'bob', name: 'bob', roles: ['researcher'], aud: 'other', exp: 1000, iat: 900 });
  });

  it('refuses to mint for an unknown user without roles', async () => {
    await expect(issuer.mintDevToken('mallory')).rejects.toThrow(/"mallory" is not a seeded user \(alice, rita, victor, dana, adam\)/);
  });

  it('generates a fresh key pair per start when no data dir is given', async () => {
    const other = await createDevIssuer({ publicUrl: 'http://localhost:3000', audience: 'spe-api' });
    expect(other.jwks.keys[0]?.kid).not.toBe(issuer.jwks.keys[0]?.kid);
  });
});

describe('dev-auth routes', () => {
  it('leaves discovery and JWKS to the OpenID Provider (sign-in-flow.integration.test.ts)', () => {
    expect(issuer.routes.routes.map((r) => `${r.spec.method} ${r.spec.path}`)).toEqual(['get /dev-auth/users', 'post /dev-auth/token']);
  });

  it('registers the web client spe-web at <publicUrl>/signed-in and its loopback twins', () => {
    expect(issuer.webClient).toEqual({
      clientId: 'spe-web',
      redirectUris: ['http://localhost:3000/signed-in', 'http://127.0.0.1:3000/signed-in', 'http://[::1]:3000/signed-in'],
      postLogoutRedirectUris: ['http://localhost:3000/', 'http://127.0.0.1:3000/', 'http://[::1]:3000/'],
    });
  });

  it('lists the seeded users', async () => {
    const users = (await callRoute(route('/dev-auth/users'))).body as { userId: string }[];
    expect(users.map((u) => u.userId)).toEqual(['alice', 'rita', 'victor', 'dana', 'adam']);
  });

  it('mints a token for a seeded user, not cacheable', async () => {
    const answer = await callRoute(route('/dev-auth/token'), { body: { userId: 'alice' } });
    expect(answer).toMatchObject({
      status: 200,
      headers: { 'cache-control': 'no-store' },
      body: { token_type: 'Bearer', expires_in: 3600, user: { userId: 'alice', name: 'Alice Okafor', roles: ['researcher'] } },
    });
    expect(decodeJwt((answer.body as { access_token: string }).access_token).sub).toBe('alice');
  });

  it('answers 400 listing the seeded users for anyone else', async () => {
    const answer = await callRoute(route('/dev-auth/token'), { body: { userId: 'mallory' } });
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ errors: [{ path: 'body.userId', message: 'userId must be one of the seeded users: alice, rita, victor, dana, adam' }] });
  });

  it('are all public', () => {
    expect(issuer.routes.routes.every((r) => r.spec.auth === 'public')).toBe(true);
  });
});

describe('SEEDED_USERS', () => {
  it('has the five demo people with their roles', () => {
    expect(SEEDED_USERS.map((u) => [u.userId, u.name, u.roles.join()])).toEqual([
      ['alice', 'Alice Okafor', 'researcher'],
      ['rita', 'Rita Hansen', 'hdab-reviewer'],
      ['victor', 'Victor Lindqvist', 'hdab-reviewer'],
      ['dana', 'Dana Ruiz', 'data-holder'],
      ['adam', 'Adam Weber', 'admin'],
    ]);
  });
});
