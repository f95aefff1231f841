/**
 * The development issuer: a tiny OIDC-shaped token issuer for the seeded users, so the API can be used and tested
 * on a fresh machine. It signs ES256 tokens with its own key pair (generated at start, or kept in
 * `<dataDir>/dev-issuer/es256-private-key.json` so tokens survive restarts) and publishes:
 *
 *   GET  /api/dev-auth/.well-known/openid-configuration   discovery document
 *   GET  /api/dev-auth/jwks.json                          public keys
 *   GET  /api/dev-auth/users                              the seeded users
 *   POST /api/dev-auth/token { "userId": "alice" }        a 1-hour access token
 *
 * The app mounts it only when config.devAuth is on, and config refuses DEV_AUTH with NODE_ENV=production.
 * `mintDevToken` also signs tokens with odd claims (expired, wrong audience...) for tests.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, SignJWT, type CryptoKey, type JSONWebKeySet, type JWK } from 'jose';
import { z } from 'zod';
import { ROLES, type Role } from '../../shared/index.js';
import { defineRoute, type FeatureRouter } from '../platform/define-route.js';
import { findSeededUser, SEEDED_USERS } from './seeded-users.js';

export const DEV_AUTH_PATH = '/dev-auth';
const ALG = 'ES256';
const TOKEN_LIFETIME_SECONDS = 3600;

export interface DevIssuerOptions {
  /** Base URL clients use; the issuer (`iss`) is `<publicUrl>/api/dev-auth`. */
  publicUrl: string;
  audience: string;
  /** Folder to keep the key pair in; omitted → a fresh key pair per start (tokens die with the process). */
  dataDir?: string;
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
  /** The `/api/dev-auth/*` routes. */
  readonly routes: FeatureRouter;
}

interface KeyPair {
  privateKey: CryptoKey;
  publicJwk: JWK;
}

export async function createDevIssuer(options: DevIssuerOptions): Promise<DevIssuer> {
  const issuer = `${options.publicUrl.replace(/\/+$/, '')}/api${DEV_AUTH_PATH}`;
  const { audience } = options;
  const { privateKey, publicJwk } = await loadOrCreateKeyPair(options.dataDir);
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

  return { issuer, audience, jwks, mintDevToken, routes: createDevAuthRoutes({ issuer, jwks, mintDevToken }) };
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

function createDevAuthRoutes(deps: { issuer: string; jwks: JSONWebKeySet; mintDevToken: DevIssuer['mintDevToken'] }): FeatureRouter {
  const tags = ['Development authentication'];
  return {
    name: 'dev-auth',
    routes: [
      defineRoute({
        method: 'get',
        path: `${DEV_AUTH_PATH}/.well-known/openid-configuration`,
        operationId: 'getDevAuthDiscovery',
        summary: 'OIDC discovery document of the development issuer',
        tags,
        auth: 'public',
        responses: { 200: { description: 'Discovery document (issuer, jwks_uri, token_endpoint)', body: z.record(z.string(), z.unknown()) } },
        handler: () => ({
          issuer: deps.issuer,
          jwks_uri: `${deps.issuer}/jwks.json`,
          token_endpoint: `${deps.issuer}/token`,
          response_types_supported: ['token'],
          subject_types_supported: ['public'],
          id_token_signing_alg_values_supported: [ALG],
          claims_supported: ['sub', 'name', 'email', 'roles'],
        }),
      }),
      defineRoute({
        method: 'get',
        path: `${DEV_AUTH_PATH}/jwks.json`,
        operationId: 'getDevAuthJwks',
        summary: 'Public keys of the development issuer (JWKS)',
        tags,
        auth: 'public',
        responses: { 200: { description: 'JSON Web Key Set', body: z.object({ keys: z.array(z.record(z.string(), z.unknown())) }) } },
        handler: () => deps.jwks,
      }),
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
      return { privateKey, publicJwk: await describePublicKey(publicPart) };
    }
  }
  const { privateKey, publicKey } = await generateKeyPair(ALG, { extractable: true });
  if (file) {
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, JSON.stringify(await exportJWK(privateKey)), { mode: 0o600 });
  }
  return { privateKey, publicJwk: await describePublicKey(await exportJWK(publicKey)) };
}

async function describePublicKey(jwk: JWK): Promise<JWK> {
  const { kty, crv, x, y } = jwk;
  const publicJwk: JWK = { kty, crv, x, y };
  return { ...publicJwk, kid: await calculateJwkThumbprint(publicJwk), alg: ALG, use: 'sig' };
}
