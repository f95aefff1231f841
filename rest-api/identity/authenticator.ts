/**
 * Bearer-token authentication against an OIDC issuer's JWKS (jose). `createAuthenticator` verifies the signature
 * (asymmetric algorithms only), `iss`, `aud`, `exp`/`nbf` with 5 s clock tolerance, and turns the claims into a
 * `Caller`. Every token must carry `exp` and `iat` (a token without an end, or without a start to measure its
 * lifetime from, is refused), `iat` must not lie in the future, and `exp - iat` must not exceed
 * `maxTokenLifetimeSeconds` (OIDC_MAX_TOKEN_LIFETIME, default 24 h), so a stolen long-lived token is worthless. Each failure gets its own clear 401 detail; an unreachable JWKS is a 503, not a 401.
 * A token that verified is remembered until its `exp` (verified-token-cache.ts), so a caller's next requests skip
 * the signature check; a refused one is checked again every time.
 *
 * Middleware:
 * - `identify`: verifies a token when one is sent; sets `res.locals.caller`, or remembers the 401 on
 *   `res.locals.authError` (routes that need a caller throw it). Lets rate limiting key on the caller.
 * - `authenticate`: `identify`, then 401 unless there is a caller.
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { createLocalJWKSet, createRemoteJWKSet, errors as joseErrors, jwtVerify, type JSONWebKeySet, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { ROLES, UnavailableError, type Role } from '../../shared/index.js';
import { requireCaller, type Caller } from './caller.js';
import { UnauthenticatedError } from './unauthenticated-error.js';
import { createVerifiedTokenCache, type Verified, type VerifiedTokenCache } from './verified-token-cache.js';

export const ACCEPTED_ALGORITHMS = ['ES256', 'ES384', 'ES512', 'RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'EdDSA'];
const CLOCK_TOLERANCE_SECONDS = 5;
export const DEFAULT_MAX_TOKEN_LIFETIME_SECONDS = 86_400;

export interface AuthenticatorOptions {
  issuer: string;
  audience: string;
  /** The issuer's JWKS URL; when neither this nor `keySet` is given, it is read from the issuer's discovery document. */
  jwksUrl?: string;
  /** Keys to trust directly (the dev issuer hands in its own): a JWKS document or a jose key resolver. */
  keySet?: JSONWebKeySet | JWTVerifyGetKey;
  /** For discovery; defaults to global fetch. */
  fetch?: typeof fetch;
  /** Longest accepted `exp - iat`, seconds (default 24 h). */
  maxTokenLifetimeSeconds?: number;
  /** Where verified tokens are remembered; default a cache of 10 000 tokens, `false` verifies every time. */
  tokenCache?: VerifiedTokenCache | false;
}

export interface Authenticator {
  readonly issuer: string;
  readonly audience: string;
  /** Verifies a compact JWT; throws UnauthenticatedError (401) or UnavailableError (503). */
  verify(token: string): Promise<Caller>;
  identify: RequestHandler;
  authenticate: RequestHandler;
}

export function createAuthenticator(options: AuthenticatorOptions): Authenticator {
  const { issuer, audience } = options;
  let keys: Promise<JWTVerifyGetKey> | undefined;
  const resolveKeys = (): Promise<JWTVerifyGetKey> => {
    if (typeof options.keySet === 'function') return Promise.resolve(options.keySet);
    if (options.keySet) return Promise.resolve(createLocalJWKSet(options.keySet));
    if (options.jwksUrl) return Promise.resolve(createRemoteJWKSet(new URL(options.jwksUrl)));
    return discoverJwks(issuer, options.fetch ?? fetch).then((url) => createRemoteJWKSet(url));
  };
  const getKey = (): Promise<JWTVerifyGetKey> => {
    keys ??= resolveKeys().catch((error: unknown) => {
      keys = undefined; // try discovery again on the next request
      throw error;
    });
    return keys;
  };

  const verifySignedToken = async (token: string): Promise<Verified> => {
    const keyResolver = await getKey();
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, keyResolver, {
        issuer,
        audience,
        algorithms: ACCEPTED_ALGORITHMS,
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
        requiredClaims: ['exp', 'iat'],
      }));
    } catch (error) {
      throw describeVerificationFailure(error, { issuer, audience });
    }
    checkLifetime(payload, options.maxTokenLifetimeSeconds ?? DEFAULT_MAX_TOKEN_LIFETIME_SECONDS);
    // jwtVerify required `exp`.
    return { caller: callerFromClaims(payload), exp: payload.exp as number };
  };
  const cache = options.tokenCache === undefined ? createVerifiedTokenCache() : options.tokenCache;
  const verify = (token: string): Promise<Caller> =>
    cache ? cache.verify(token, verifySignedToken) : verifySignedToken(token).then((verified) => verified.caller);

  const identify: RequestHandler = (req: Request, res: Response, next: NextFunction) => {
    const header = req.get('authorization');
    if (header === undefined) {
      next();
      return;
    }
    const match = /^Bearer[ ]+([A-Za-z0-9\-._~+/]+=*)\s*$/i.exec(header);
    if (!match?.[1]) {
      res.locals.authError = new UnauthenticatedError('invalid_request', 'The Authorization header must be "Bearer <access token>".');
      next();
      return;
    }
    verify(match[1]).then(
      (caller) => {
        res.locals.caller = caller;
        next();
      },
      (error: unknown) => {
        if (error instanceof UnauthenticatedError) {
          res.locals.authError = error;
          next();
        } else next(error);
      },
    );
  };

  const authenticate: RequestHandler = (req, res, next) => {
    identify(req, res, (error?: unknown) => {
      if (error) next(error);
      else {
        try {
          requireCaller(res);
          next();
        } catch (unauthenticated) {
          next(unauthenticated);
        }
      }
    });
  };

  return { issuer, audience, verify, identify, authenticate };
}

/** `iat` not in the future and `exp - iat` within the maximum (both claims are present: jwtVerify required them). */
export function checkLifetime(payload: JWTPayload, maxSeconds: number, nowSeconds = Date.now() / 1000): void {
  const iat = payload.iat as number;
  const exp = payload.exp as number;
  if (iat > nowSeconds + CLOCK_TOLERANCE_SECONDS) {
    throw new UnauthenticatedError('invalid_token', `The token claims to be issued in the future (iat ${new Date(iat * 1000).toISOString()}); check the identity provider's clock.`);
  }
  if (exp - iat > maxSeconds) {
    throw new UnauthenticatedError(
      'invalid_token',
      `The token is valid for ${Math.round(exp - iat)} s, longer than this API accepts (${maxSeconds} s, OIDC_MAX_TOKEN_LIFETIME); configure the identity provider to issue shorter-lived access tokens.`,
    );
  }
}

/** Claims → Caller: `sub` is the user id, `name` (else `preferred_username`, else `sub`), known `roles` only, `email` if any. */
export function callerFromClaims(payload: JWTPayload): Caller {
  if (typeof payload.sub !== 'string' || payload.sub === '') {
    throw new UnauthenticatedError('invalid_token', 'The token has no subject (sub claim); it does not identify a user.');
  }
  const name = [payload.name, payload.preferred_username].find((v): v is string => typeof v === 'string' && v !== '') ?? payload.sub;
  const claimed = Array.isArray(payload.roles) ? payload.roles : typeof payload.roles === 'string' ? payload.roles.split(/\s+/) : [];
  const roles = ROLES.filter((role: Role) => claimed.includes(role));
  const email = typeof payload.email === 'string' && payload.email !== '' ? { email: payload.email } : {};
  return { userId: payload.sub, name, roles, ...email };
}

function describeVerificationFailure(error: unknown, expected: { issuer: string; audience: string }): Error {
  const invalid = (description: string) => new UnauthenticatedError('invalid_token', description);
  if (error instanceof joseErrors.JWTExpired) {
    const exp = typeof error.payload.exp === 'number' ? new Date(error.payload.exp * 1000).toISOString() : 'an unknown time';
    return invalid(`The token expired at ${exp}; get a new one.`);
  }
  if (error instanceof joseErrors.JWTClaimValidationFailed) {
    const { claim, payload } = error;
    if (claim === 'iss') return invalid(`The token was issued by ${JSON.stringify(payload.iss ?? null)}, but this API accepts tokens from ${expected.issuer}.`);
    if (claim === 'aud') return invalid(`The token is meant for audience ${JSON.stringify(payload.aud ?? null)}, but this API is ${JSON.stringify(expected.audience)}.`);
    if (claim === 'nbf') return invalid('The token is not valid yet (nbf is in the future); check the clocks.');
    if ((claim === 'exp' || claim === 'iat') && error.reason === 'missing') {
      return invalid(`The token has no ${claim} claim; this API accepts only tokens that say when they were issued (iat) and when they expire (exp).`);
    }
    return invalid(`The token's ${claim} claim is invalid: ${error.message}.`);
  }
  if (error instanceof joseErrors.JWKSNoMatchingKey) {
    return invalid(`The token was signed with a key that ${expected.issuer} does not publish; it was not issued by the trusted issuer.`);
  }
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) {
    return invalid('The token signature does not verify; the token was altered or signed by someone else.');
  }
  if (error instanceof joseErrors.JOSEAlgNotAllowed) {
    return invalid(`The token is signed with an algorithm this API does not accept; accepted: ${ACCEPTED_ALGORITHMS.join(', ')}.`);
  }
  if (error instanceof joseErrors.JWSInvalid || error instanceof joseErrors.JWTInvalid || error instanceof joseErrors.JOSENotSupported) {
    return invalid(`The bearer token is not a well-formed signed JWT (${error.message}).`);
  }
  const jwksUnreachable =
    error instanceof joseErrors.JWKSTimeout ||
    error instanceof joseErrors.JWKSInvalid ||
    (error instanceof joseErrors.JOSEError && error.code === 'ERR_JOSE_GENERIC') || // non-200 JWKS response
    (error instanceof TypeError && /fetch/i.test(error.message));
  if (jwksUnreachable) {
    return new UnavailableError(`The identity provider's keys could not be fetched (${(error as Error).message}); retry later.`, { retryAfterSeconds: 5 });
  }
  return error instanceof Error ? error : new Error(String(error));
}

async function discoverJwks(issuer: string, fetchImpl: typeof fetch): Promise<URL> {
  const discoveryUrl = `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;
  let document: unknown;
  try {
    const response = await fetchImpl(discoveryUrl, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(5000) });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    document = await response.json();
  } catch (error) {
    throw new UnavailableError(`The identity provider's discovery document ${discoveryUrl} could not be read (${(error as Error).message}); retry later or set OIDC_JWKS_URL.`, { retryAfterSeconds: 5 });
  }
  const jwksUri = (document as { jwks_uri?: unknown }).jwks_uri;
  if (typeof jwksUri !== 'string') {
    throw new UnavailableError(`The discovery document ${discoveryUrl} has no jwks_uri; set OIDC_JWKS_URL.`);
  }
  return new URL(jwksUri);
}
