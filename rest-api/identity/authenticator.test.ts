import type { Request, Response } from 'express';
import { exportJWK, generateKeyPair, SignJWT, UnsecuredJWT } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { UnavailableError } from '../../shared/index.js';
import { callerFromClaims, createAuthenticator, type Authenticator } from './authenticator.js';
import { createDevIssuer, type DevIssuer } from './dev-issuer.js';
import { UnauthenticatedError } from './unauthenticated-error.js';

let issuer: DevIssuer;
let stranger: DevIssuer;
let authenticator: Authenticator;

beforeAll(async () => {
  issuer = await createDevIssuer({ publicUrl: 'http://localhost:3000', audience: 'spe-api' });
  // An independent key pair claiming the same issuer name.
  stranger = await createDevIssuer({ publicUrl: 'http://localhost:3000', audience: 'spe-api' });
  authenticator = createAuthenticator({ issuer: issuer.issuer, audience: 'spe-api', keySet: issuer.jwks });
});

async function failureOf(token: string): Promise<UnauthenticatedError> {
  try {
    await authenticator.verify(token);
  } catch (error) {
    if (error instanceof UnauthenticatedError) return error;
    throw error;
  }
  throw new Error('expected the token to be refused');
}

const now = () => Math.floor(Date.now() / 1000);

describe('createAuthenticator.verify', () => {
  it('turns a valid token into the caller', async () => {
    expect(await authenticator.verify(await issuer.mintDevToken('rita'))).toEqual({ userId: 'rita', name: 'Rita Hansen', roles: ['hdab-reviewer'], email: 'rita@hdab.example.org' });
  });

  it('refuses an expired token, saying when it expired', async () => {
    const error = await failureOf(await issuer.mintDevToken('alice', { issuedAt: now() - 7200, expiresAt: now() - 3600 }));
    expect(error.code).toBe('invalid_token');
    expect(error.description).toMatch(/^The token expired at \d{4}-\d\d-\d\dT.*; get a new one\.$/);
  });

  it('tolerates 5 seconds of clock skew', async () => {
    await expect(authenticator.verify(await issuer.mintDevToken('alice', { expiresAt: now() - 2 }))).resolves.toMatchObject({ userId: 'alice' });
  });

  it('refuses a token from another issuer, naming both', async () => {
    const error = await failureOf(await issuer.mintDevToken('alice', { issuer: 'https://evil.example.org' }));
    expect(error.description).toBe(`The token was issued by "https://evil.example.org", but this API accepts tokens from ${issuer.issuer}.`);
  });

  it('refuses a token for another audience, naming both', async () => {
    const error = await failureOf(await issuer.mintDevToken('alice', { audience: 'other-api' }));
    expect(error.description).toBe('The token is meant for audience "other-api", but this API is "spe-api".');
  });

  it('refuses a token that is not valid yet', async () => {
    const error = await failureOf(await issuer.mintDevToken('alice', { notBefore: now() + 600 }));
    expect(error.description).toMatch(/not valid yet/);
  });

  describe('lifetime', () => {
    const idp = 'https://idp.example.org';
    async function ownIssuer(maxTokenLifetimeSeconds?: number) {
      const { privateKey, publicKey } = await generateKeyPair('ES256');
      const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'ES256' };
      const verifier = createAuthenticator({ issuer: idp, audience: 'spe-api', keySet: { keys: [jwk] }, ...(maxTokenLifetimeSeconds ? { maxTokenLifetimeSeconds } : {}) });
      const sign = (claims: { iat?: number; exp?: number }) => {
        const jwt = new SignJWT({ roles: ['admin'] }).setProtectedHeader({ alg: 'ES256', kid: 'k1' }).setIssuer(idp).setAudience('spe-api').setSubject('adam');
        if (claims.iat !== undefined) jwt.setIssuedAt(claims.iat);
        if (claims.exp !== undefined) jwt.setExpirationTime(claims.exp);
        return jwt.sign(privateKey);
      };
      const refusal = async (token: string) => {
        const error = await verifier.verify(token).then(() => undefined, (e: unknown) => e);
        expect(error).toBeInstanceOf(UnauthenticatedError);
        return (error as UnauthenticatedError).description;
      };
      return { verifier, sign, refusal };
    }

    it('refuses a token without exp or without iat, naming the claim', async () => {
      const { sign, refusal } = await ownIssuer();
      expect(await refusal(await sign({ iat: now() }))).toMatch(/has no exp claim/);
      expect(await refusal(await sign({ exp: now() + 600 }))).toMatch(/has no iat claim/);
    });

    it('refuses a token valid for longer than the maximum (default 24 h), and accepts one within it', async () => {
      const { verifier, sign, refusal } = await ownIssuer();
      expect(await refusal(await sign({ iat: now(), exp: now() + 100 * 365 * 86_400 }))).toMatch(/valid for \d+ s, longer than this API accepts \(86400 s, OIDC_MAX_TOKEN_LIFETIME\)/);
      await expect(verifier.verify(await sign({ iat: now(), exp: now() + 86_400 }))).resolves.toMatchObject({ userId: 'adam' });
      const short = await ownIssuer(3600);
      expect(await short.refusal(await short.sign({ iat: now(), exp: now() + 3601 }))).toMatch(/3600 s/);
    });

    it('refuses a token issued in the future (a lying iat cannot stretch the lifetime)', async () => {
      const { sign, refusal } = await ownIssuer();
      expect(await refusal(await sign({ iat: now() + 50 * 86_400, exp: now() + 50 * 86_400 + 600 }))).toMatch(/issued in the future/);
    });
  });

  it('refuses a token signed by a key the issuer does not publish', async () => {
    const error = await failureOf(await stranger.mintDevToken('adam'));
    expect(error.description).toMatch(/signed with a key that .* does not publish/);
  });

  it('refuses a token whose signature was tampered with', async () => {
    const [header, payload, signature] = (await issuer.mintDevToken('alice')).split('.') as [string, string, string];
    const flipped = (signature.startsWith('A') ? 'B' : 'A') + signature.slice(1);
    expect((await failureOf(`${header}.${payload}.${flipped}`)).description).toMatch(/signature does not verify/);
  });

  it('refuses a token whose claims were changed after signing', async () => {
    const [header, , signature] = (await issuer.mintDevToken('alice')).split('.') as [string, string, string];
    const forged = Buffer.from(JSON.stringify({ sub: 'adam', roles: ['admin'], iss: issuer.issuer, aud: 'spe-api', exp: now() + 60 })).toString('base64url');
    expect((await failureOf(`${header}.${forged}.${signature}`)).description).toMatch(/signature does not verify/);
  });

  it('refuses unsigned (alg none) and symmetric (HS256) tokens', async () => {
    const unsigned = new UnsecuredJWT({ roles: ['admin'] }).setSubject('adam').setIssuer(issuer.issuer).setAudience('spe-api').setExpirationTime('1h').encode();
    expect((await failureOf(unsigned)).code).toBe('invalid_token');
    const hs = await new SignJWT({ roles: ['admin'] })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('adam')
      .setIssuer(issuer.issuer)
      .setAudience('spe-api')
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode('a-shared-secret-that-is-long-enough-000'));
    expect((await failureOf(hs)).description).toMatch(/algorithm this API does not accept/);
  });

  it('refuses garbage', async () => {
    expect((await failureOf('not-a-jwt')).description).toMatch(/not a well-formed signed JWT/);
  });

  it('checks a token once: a repeat is answered without asking for its key again, a different token is checked', async () => {
    let keyLookups = 0;
    const counting = createAuthenticator({
      issuer: issuer.issuer,
      audience: 'spe-api',
      keySet: async (header, token) => {
        keyLookups++;
        const { createLocalJWKSet } = await import('jose');
        return createLocalJWKSet(issuer.jwks)(header, token);
      },
    });
    const token = await issuer.mintDevToken('rita');
    await counting.verify(token);
    expect((await counting.verify(token)).userId).toBe('rita');
    expect(keyLookups).toBe(1);
    expect((await counting.verify(await issuer.mintDevToken('alice'))).userId).toBe('alice');
    expect(keyLookups).toBe(2);
  });

  it('refuses a tampered copy of a token it has already accepted', async () => {
    const token = await issuer.mintDevToken('rita');
    await authenticator.verify(token);
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
    const forged = [header, Buffer.from(JSON.stringify({ ...claims, roles: ['admin'] })).toString('base64url'), signature].join('.');
    expect((await failureOf(forged)).description).toMatch(/signature does not verify/);
  });

  it('answers 503, not 401, when the issuer discovery document cannot be read', async () => {
    const offline = createAuthenticator({
      issuer: 'https://idp.example.org',
      audience: 'spe-api',
      fetch: () => Promise.reject(new TypeError('fetch failed')),
    });
    await expect(offline.verify(await issuer.mintDevToken('alice'))).rejects.toThrow(UnavailableError);
  });
});

describe('callerFromClaims', () => {
  it('refuses claims without a subject', () => {
    expect(() => callerFromClaims({ roles: [] })).toThrow(/no subject/);
  });

  it('keeps only known roles, from an array or a space-separated string', () => {
    expect(callerFromClaims({ sub: 'u', roles: ['admin', 'superuser', 'researcher'] }).roles).toEqual(['researcher', 'admin']);
    expect(callerFromClaims({ sub: 'u', roles: 'data-holder wizard' }).roles).toEqual(['data-holder']);
    expect(callerFromClaims({ sub: 'u' }).roles).toEqual([]);
  });

  it('takes the name from name, else preferred_username, else sub', () => {
    expect(callerFromClaims({ sub: 'u', name: 'Una', preferred_username: 'una' }).name).toBe('Una');
    expect(callerFromClaims({ sub: 'u', preferred_username: 'una' }).name).toBe('una');
    expect(callerFromClaims({ sub: 'u' }).name).toBe('u');
  });

  it('takes the email claim when there is one', () => {
    expect(callerFromClaims({ sub: 'u', email: 'u@example.org' }).email).toBe('u@example.org');
    expect(callerFromClaims({ sub: 'u', email: 42 })).not.toHaveProperty('email');
  });
});

describe('middleware', () => {
  const run = async (middleware: 'identify' | 'authenticate', authorization?: string) => {
    const req = { get: (name: string) => (name.toLowerCase() === 'authorization' ? authorization : undefined) } as unknown as Request;
    const res = { locals: {} } as Response;
    const passed = await new Promise<unknown>((resolve) => {
      void authenticator[middleware](req, res, resolve);
    });
    return { passed, locals: res.locals };
  };

  it('identify sets the caller for a valid token', async () => {
    const { passed, locals } = await run('identify', `Bearer ${await issuer.mintDevToken('dana')}`);
    expect(passed).toBeUndefined();
    expect(locals.caller).toEqual({ userId: 'dana', name: 'Dana Ruiz', roles: ['data-holder'], email: 'dana@registry.example.org' });
  });

  it('identify lets a request without a token through without a caller', async () => {
    const { passed, locals } = await run('identify');
    expect(passed).toBeUndefined();
    expect(locals.caller).toBeUndefined();
  });

  it('identify remembers why a token was refused, for routes that need a caller', async () => {
    const { passed, locals } = await run('identify', `Bearer ${await issuer.mintDevToken('alice', { audience: 'x' })}`);
    expect(passed).toBeUndefined();
    expect(locals.authError).toBeInstanceOf(UnauthenticatedError);
  });

  it('identify refuses other schemes with invalid_request', async () => {
    const { locals } = await run('identify', 'Basic YWxpY2U6cGFzcw==');
    expect(locals.authError).toMatchObject({ code: 'invalid_request' });
  });

  it('authenticate passes a 401 on when there is no valid token', async () => {
    expect((await run('authenticate')).passed).toBeInstanceOf(UnauthenticatedError);
    expect((await run('authenticate', 'Bearer nope')).passed).toMatchObject({ code: 'invalid_token' });
    expect((await run('authenticate', `Bearer ${await issuer.mintDevToken('adam')}`)).passed).toBeUndefined();
  });
});
