/**
 * The development issuer: an OpenID Provider for the seeded users, so the API and the web app can be used and
 * tested on a fresh machine. Its one ES256 key pair is generated at start, or kept in
 * `<dataDir>/dev-issuer/es256-private-key.json` (with the cookie-signing keys beside it) so tokens and sessions'
 * cookies survive restarts. Under `<publicUrl>/api/dev-auth`:
 *
 *   oidc-provider (dev-openid-provider.ts): discovery, JWKS (/jwks.json), authorization code + PKCE with a page to
 *   pick a seeded user, token endpoint (/oauth/token), refresh, revocation, end-session, for the web client spe-web
 *   GET  /api/dev-auth/users                              the seeded users
 *   POST /api/dev-auth/token { "userId": "alice" }        shortcut for curl, demo and tests: a 1-hour access token
 *
 * Both kinds of access token have the same issuer, key, audience and claims, so they verify the same way.
 * The app mounts it only when config.devAuth is on, and config refuses DEV_AUTH with NODE_ENV=production.
 * `mintDevToken` also signs tokens with odd claims (expired, wrong audience...) for tests.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, SignJWT, type CryptoKey, type JSONWebKeySet, type JWK } from 'jose';
import type { RequestHandler } from 'express';
import type { Logger } from 'pino';
import { z } from 'zod';
import { ROLES, type Role } from '../../shared/index.js';
import { defineRoute, type FeatureRouter } from '../platform/define-route.js';
import { DEV_AUTH_PATH } from './dev-auth-path.js';
import { createDevOpenIdProvider, type DevOpenIdProvider } from './dev-openid-provider.js';
import { findSeededUser, SEEDED_USERS } from './seeded-users.js';

export { DEV_AUTH_PATH } from './dev-auth-path.js';
const ALG = 'ES256';
const TOKEN_LIFETIME_SECONDS = 3600;

export interface DevIssuerOptions {
  /** Base URL clients use; the issuer (`iss`) is `<publicUrl>/api/dev-auth`. */
  publicUrl: string;
  audience: string;
  /** Folder to keep the key pair in; omitted → a fresh key pair per start (tokens die with the process). */
  dataDir?: string;
  /** Behind a TLS-terminating proxy (config.trustProxy): the provider trusts X-Forwarded-Proto/Host. */
  trustProxy?: boolean;
  logger?: Logger;
}

/** Claims a test may bend. Times are seconds since the epoch. */
export interface DevTokenOverrides {
  name?: string;
  /** Required for users that are not seeded. */
  roles?: readonly string[];
  issuer?: string;
  audience?: string | string[];
  issuedAt?: number;
  expiresAt?: number;
  notBefore?: number;
  /** Extra claims. */
  claims?: Record<string, unknown>;
}

export interface DevIssuer {
  readonly issuer: string;
  readonly audience: string;
  /** Public keys, for `createAuthenticator({ keySet })`. */
  readonly jwks: JSONWebKeySet;
  mintDevToken(userId: string, overrides?: DevTokenOverrides): Promise<string>;
  /** The `/api/dev-auth/*` JSON routes (users, token shortcut). */
  readonly routes: FeatureRouter;
  /** oidc-provider's endpoints and the sign-in page: mount at `/api/dev-auth` before any body parser. */
  readonly openIdProvider: RequestHandler;
  /** The registered web client (spe-web). */
  readonly webClient: DevOpenIdProvider['webClient'];
}

interface KeyPair {
  privateKey: CryptoKey;
  /** The private key as a JWK with the public key's kid (oidc-provider signs with it). */
  privateJwk: JWK;
  publicJwk: JWK;
}

export async function createDevIssuer(options: DevIssuerOptions): Promise<DevIssuer> {
  const issuer = `${options.publicUrl.replace(/\/+$/, '')}/api${DEV_AUTH_PATH}`;
  const { audience } = options;
  const { privateKey, privateJwk, publicJwk } = await loadOrCreateKeyPair(options.dataDir);
  const jwks: JSONWebKeySet = { keys: [publicJwk] };

  const mintDevToken = async (userId: string, overrides: DevTokenOverrides = {}): Promise<string> => {
    const seeded = findSeededUser(userId);
    if (!seeded && !overrides.roles) {
      throw new Error(`"${userId}" is not a seeded user (${SEEDED_USERS.map((u) => u.userId).join(', ')}); pass overrides.roles to mint a token for someone else.`);
    }
    const now = Math.floor(Date.now() / 1000);
    const issuedAt = overrides.issuedAt ?? now;
    const jwt = new SignJWT({
      name: overrides.name ?? seeded?.name ?? userId,
      roles: [...(overrides.roles ?? seeded?.roles ?? [])],
      ...(seeded ? { email: seeded.email } : {}),
      ...overrides.claims,
    })
      .setProtectedHeader({ alg: ALG, kid: publicJwk.kid, typ: 'JWT' })
      .setIssuer(overrides.issuer ?? issuer)
      .setAudience(overrides.audience ?? audience)
      .setSubject(userId)
      .setJti(randomUUID())
      .setIssuedAt(issuedAt)
      .setExpirationTime(overrides.expiresAt ?? issuedAt + TOKEN_LIFETIME_SECONDS);
    if (overrides.notBefore !== undefined) jwt.setNotBefore(overrides.notBefore);
    return jwt.sign(privateKey);
  };

  const openId = createDevOpenIdProvider({
    issuer,
    audience,
    publicUrl: options.publicUrl,
    signingKey: privateJwk,
    cookieKeys: await loadOrCreateCookieKeys(options.dataDir),
    ...(options.trustProxy !== undefined ? { trustProxy: options.trustProxy } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
  });

  return { issuer, audience, jwks, mintDevToken, routes: createDevAuthRoutes({ mintDevToken }), openIdProvider: openId.handler, webClient: openId.webClient };
}

const SeededUserSchema = z
  .object({ userId: z.string(), name: z.string(), roles: z.array(z.enum(ROLES)), email: z.string(), description: z.string() })
  .meta({ id: 'DevUser', description: 'A seeded development user.' });

const userIds = SEEDED_USERS.map((u) => u.userId) as [string, ...string[]];

const TokenRequestSchema = z
  .object({ userId: z.enum(userIds, { error: `userId must be one of the seeded users: ${userIds.join(', ')}` }) })
  .meta({ id: 'DevTokenRequest' });

const TokenResponseSchema = z
  .object({
    access_token: z.string(),
    token_type: z.literal('Bearer'),
    expires_in: z.number().int(),
    user: SeededUserSchema,
  })
  .meta({ id: 'DevTokenResponse' });

function createDevAuthRoutes(deps: { mintDevToken: DevIssuer['mintDevToken'] }): FeatureRouter {
  const tags = ['Development authentication'];
  return {
    name: 'dev-auth',
    routes: [
      defineRoute({
        method: 'get',
        path: `${DEV_AUTH_PATH}/users`,
        operationId: 'listDevUsers',
        summary: 'The seeded users a development token can be minted for',
        tags,
        auth: 'public',
        responses: { 200: { description: 'Seeded users', body: z.array(SeededUserSchema) } },
        handler: () => SEEDED_USERS.map((u) => ({ ...u, roles: [...u.roles] })),
      }),
      defineRoute({
        method: 'post',
        path: `${DEV_AUTH_PATH}/token`,
        operationId: 'mintDevToken',
        summary: 'Mint a 1-hour access token for a seeded user',
        description: 'Development only: never mounted when DEV_AUTH is off. Send the token as `Authorization: Bearer <access_token>`.',
        tags,
        auth: 'public',
        request: { body: TokenRequestSchema },
        responses: { 200: { description: 'An access token', body: TokenResponseSchema } },
        handler: async ({ body }, { res }) => {
          const user = findSeededUser(body.userId);
          if (!user) throw new Error(`seeded user ${body.userId} vanished`); // the schema admits seeded ids only
          res.set('Cache-Control', 'no-store');
          return {
            access_token: await deps.mintDevToken(user.userId),
            token_type: 'Bearer' as const,
            expires_in: TOKEN_LIFETIME_SECONDS,
            user: { ...user, roles: [...user.roles] as Role[] },
          };
        },
      }),
    ],
  };
}

async function loadOrCreateKeyPair(dataDir: string | undefined): Promise<KeyPair> {
  const file = dataDir ? join(dataDir, 'dev-issuer', 'es256-private-key.json') : undefined;
  if (file) {
    const stored = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return undefined;
      throw error;
    });
    if (stored !== undefined) {
      let jwk: JWK;
      try {
        jwk = JSON.parse(stored) as JWK;
      } catch {
        throw new Error(`The development issuer key ${file} is not valid JSON; delete it to generate a new key pair.`);
      }
      const privateKey = (await importJWK(jwk, ALG)) as CryptoKey;
      const { d: _d, ...publicPart } = jwk;
      const publicJwk = await describePublicKey(publicPart);
      return { privateKey, privateJwk: { ...jwk, kid: publicJwk.kid }, publicJwk };
    }
  }
  const { privateKey, publicKey } = await generateKeyPair(ALG, { extractable: true });
  const exported = await exportJWK(privateKey);
  if (file) {
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, JSON.stringify(exported), { mode: 0o600 });
  }
  const publicJwk = await describePublicKey(await exportJWK(publicKey));
  return { privateKey, privateJwk: { ...exported, kid: publicJwk.kid }, publicJwk };
}

/** Keys that sign oidc-provider's cookies: kept beside the key pair (so sessions survive a restart), else fresh. */
async function loadOrCreateCookieKeys(dataDir: string | undefined): Promise<string[]> {
  const file = dataDir ? join(dataDir, 'dev-issuer', 'cookie-keys.json') : undefined;
  if (file) {
    const stored = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return undefined;
      throw error;
    });
    if (stored !== undefined) {
      const keys: unknown = (() => {
        try {
          return JSON.parse(stored);
        } catch {
          return undefined;
        }
      })();
      if (!Array.isArray(keys) || keys.length === 0 || !keys.every((k) => typeof k === 'string' && k.length >= 32)) {
        throw new Error(`The development issuer cookie keys ${file} are not a JSON list of keys; delete the file to generate new ones.`);
      }
      return keys as string[];
    }
  }
  const keys = [randomBytes(32).toString('base64url')];
  if (file) {
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, JSON.stringify(keys), { mode: 0o600 });
  }
  return keys;
}

async function describePublicKey(jwk: JWK): Promise<JWK> {
  const { kty, crv, x, y } = jwk;
  const publicJwk: JWK = { kty, crv, x, y };
  return { ...publicJwk, kid: await calculateJwkThumbprint(publicJwk), alg: ALG, use: 'sig' };
}
