/**
 * The development OpenID Provider: oidc-provider (a certified OpenID Provider library) configured for the seeded
 * users, mounted under the development issuer `<publicUrl>/api/dev-auth`. It serves
 *
 *   GET  /.well-known/openid-configuration       discovery
 *   GET  /jwks.json                              public keys (the development issuer's one ES256 key)
 *   GET  /auth                                   authorization endpoint (code + PKCE S256 only)
 *   GET  /interaction/{uid}                      sign-in page: pick a seeded user (no password)
 *   POST /interaction/{uid}/login | /abort       the choice, or cancel (the client gets access_denied)
 *   POST /oauth/token                            token endpoint (authorization_code, refresh_token)
 *   POST /oauth/revoke                           token revocation
 *   GET  /session/end                            end-session (sign-out), confirmation page
 *
 * One client is registered: the web app `spe-web`, public (token_endpoint_auth_method none), redirect URI
 * `<publicUrl>/signed-in`, post-logout redirect `<publicUrl>/`. On a developer machine (a loopback public URL:
 * localhost, 127.0.0.1, [::1]) the loopback twins are registered too and, as RFC 8252 §7.3 allows for loopback
 * redirects, any port matches (the client is registered as `native` for that), so `PORT=0` test platforms and a
 * second port work; any other public URL must match exactly. Consent is skipped (it is first party). Access tokens are JWTs for the API audience, signed with the development issuer's key and
 * carrying the claims the authenticator reads (sub, name, email, roles), so they verify exactly like the tokens
 * `mintDevToken` signs. Lifetimes: access and ID token 15 min, refresh token 8 h (rotated on each use), session
 * 8 h, sign-in page 10 min, authorization code 1 min.
 *
 * Sessions, grants and refresh tokens live in memory, one store per provider (dev-memory-store.ts): a restart signs
 * everyone out (development only). Cookies are signed with keys kept beside the development key; they are `Secure`
 * when the public URL is https. oidc-provider 8 (Node 18/20/22, Koa 2; types from @types/oidc-provider).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import type { JWK } from 'jose';
import Provider, { errors, interactionPolicy, type Configuration, type KoaContextWithOIDC } from 'oidc-provider';
import type { Logger } from 'pino';
import { createMemoryStore } from './dev-memory-store.js';
import { pageSecurityPolicy, renderErrorPage, renderSignedOutPage, renderSignInPage, renderSignOutPage } from './dev-sign-in-pages.js';
import { findSeededUser, SEEDED_USERS } from './seeded-users.js';

declare module 'oidc-provider' {
  interface OIDCContext {
    /** The requested scopes oidc-provider knows as OpenID scopes (v8 has it; @types/oidc-provider 8.8 omits it). */
    readonly requestParamOIDCScopes: Set<string>;
  }
}

export const WEB_CLIENT_ID = 'spe-web';
const WEB_CLIENT_NAME = 'the SPE platform';

export const LIFETIMES_SECONDS = {
  AccessToken: 15 * 60,
  IdToken: 15 * 60,
  RefreshToken: 8 * 3600,
  Session: 8 * 3600,
  Grant: 8 * 3600,
  Interaction: 10 * 60,
  AuthorizationCode: 60,
} as const;

/** oidc-provider's routes, relative to the issuer; the middleware hands only these paths to it. */
const ROUTES = {
  authorization: '/auth',
  token: '/oauth/token',
  revocation: '/oauth/revoke',
  jwks: '/jwks.json',
  end_session: '/session/end',
} as const;
const PROVIDER_PATHS = ['/.well-known/openid-configuration', ...Object.values(ROUTES)];
const INTERACTION = /^\/interaction\/([A-Za-z0-9_-]+)(?:\/(login|abort))?$/;

export interface DevOpenIdProviderOptions {
  /** `<publicUrl>/api/dev-auth`. */
  issuer: string;
  /** The API audience (`aud` of access tokens). */
  audience: string;
  publicUrl: string;
  /** The development issuer's private signing key (ES256, with `kid`). */
  signingKey: JWK;
  /** Keys that sign the provider's cookies (newest first). */
  cookieKeys: readonly string[];
  /** Behind a TLS-terminating proxy: trust X-Forwarded-Proto/Host (config.trustProxy). */
  trustProxy?: boolean;
  logger?: Logger;
}

export interface DevOpenIdProvider {
  /** Express middleware for the issuer's path (mount at `/dev-auth` under `/api`, before any body parser). */
  readonly handler: RequestHandler;
  /** The registered web client. */
  readonly webClient: { clientId: string; redirectUris: string[]; postLogoutRedirectUris: string[] };
  /** The resource indicator access tokens are issued for (`<publicUrl>/api`). */
  readonly resource: string;
}

const LOOPBACK_HOSTS = ['localhost', '127.0.0.1', '[::1]'];

/** An http URL on a loopback name (a developer machine). */
export function isLoopback(url: string): boolean {
  const parsed = URL.canParse(url) ? new URL(url) : undefined;
  return parsed?.protocol === 'http:' && LOOPBACK_HOSTS.includes(parsed.hostname);
}

/** `<publicUrl><path>` and, when the host is a loopback name, the same URL on the other loopback names. */
export function withLoopbackTwins(publicUrl: string, path: string): string[] {
  const base = new URL(publicUrl);
  const hosts = isLoopback(publicUrl) ? [base.hostname, ...LOOPBACK_HOSTS.filter((h) => h !== base.hostname)] : [base.hostname];
  const prefix = base.pathname.replace(/\/+$/, '');
  return hosts.map((host) => {
    const url = new URL(base.href);
    url.hostname = host;
    return `${url.origin}${prefix}${path}`;
  });
}

export function createDevOpenIdProvider(options: DevOpenIdProviderOptions): DevOpenIdProvider {
  const { issuer, audience } = options;
  const publicUrl = options.publicUrl.replace(/\/+$/, '');
  const resource = `${publicUrl}/api`;
  const secure = new URL(publicUrl).protocol === 'https:';
  const issuerPath = new URL(issuer).pathname.replace(/\/+$/, '');
  const webClient = {
    clientId: WEB_CLIENT_ID,
    redirectUris: withLoopbackTwins(publicUrl, '/signed-in'),
    postLogoutRedirectUris: withLoopbackTwins(publicUrl, '/'),
  };
  const loopback = isLoopback(publicUrl);
  const clientOrigins = [...new Set(webClient.redirectUris.map((uri) => new URL(uri).origin))];
  // Any port on a loopback name (see above); else exactly the registered origins. (CSP has no syntax for IPv6
  // literals: a browser at http://[::1] is covered by 'self' only.)
  const csp = pageSecurityPolicy(loopback ? LOOPBACK_HOSTS.filter((host) => !host.startsWith('[')).map((host) => `http://${host}:*`) : clientOrigins);
  const originAllowed = (origin: string, own: string): boolean =>
    origin === own || clientOrigins.includes(origin) || (loopback && isLoopback(origin));

  const claimsOf = (accountId: string | undefined) => {
    const user = accountId ? findSeededUser(accountId) : undefined;
    return user ? { name: user.name, email: user.email, roles: [...user.roles] } : undefined;
  };

  const configuration: Configuration = {
    adapter: createMemoryStore().adapter,
    clients: [
      {
        client_id: WEB_CLIENT_ID,
        client_name: WEB_CLIENT_NAME,
        application_type: loopback ? 'native' : 'web',
        token_endpoint_auth_method: 'none',
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        id_token_signed_response_alg: 'ES256',
        redirect_uris: webClient.redirectUris,
        post_logout_redirect_uris: webClient.postLogoutRedirectUris,
      },
    ],
    jwks: { keys: [{ ...options.signingKey, use: 'sig', alg: 'ES256' }] },
    cookies: {
      keys: [...options.cookieKeys],
      long: { signed: true, httpOnly: true, sameSite: 'lax', secure },
      short: { signed: true, httpOnly: true, sameSite: 'lax', secure },
    },
    claims: { openid: ['sub'], profile: ['name', 'roles'], email: ['email', 'email_verified'] },
    // The ID token carries name and email (the web app shows them without a userinfo call).
    conformIdTokenClaims: false,
    scopes: ['openid', 'offline_access'],
    pkce: { required: () => true },
    enabledJWA: { idTokenSigningAlgValues: ['ES256'] },
    responseTypes: ['code'],
    routes: ROUTES,
    ttl: LIFETIMES_SECONDS,
    features: {
      devInteractions: { enabled: false },
      pushedAuthorizationRequests: { enabled: false },
      // Access tokens are JWTs for the API; no userinfo endpoint that would need opaque tokens.
      userinfo: { enabled: false },
      revocation: { enabled: true },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: (ctx, form) => {
          ctx.type = 'html';
          ctx.body = renderSignOutPage({ form, host: ctx.host });
        },
        postLogoutSuccessSource: (ctx) => {
          ctx.type = 'html';
          ctx.body = renderSignedOutPage();
        },
      },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => resource,
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx, indicator) => {
          if (indicator !== resource) throw new errors.InvalidTarget(`The only resource here is ${resource}.`);
          return { scope: '', audience, accessTokenFormat: 'jwt', accessTokenTTL: LIFETIMES_SECONDS.AccessToken, jwt: { sign: { alg: 'ES256' } } };
        },
      },
    },
    findAccount: (_ctx, sub) => {
      const user = findSeededUser(sub);
      if (!user) return undefined;
      return {
        accountId: user.userId,
        claims: () => ({ sub: user.userId, name: user.name, roles: [...user.roles], email: user.email, email_verified: true }),
      };
    },
    // The roles/name/email claims the authenticator reads, as in tokens from mintDevToken.
    extraTokenClaims: (_ctx, token) => (token.kind === 'AccessToken' ? claimsOf(token.accountId) : undefined),
    // First-party client: no consent screen; the grant covers what it asks for.
    loadExistingGrant: async (ctx) => {
      const { client, session, provider: op } = ctx.oidc;
      if (!client || !session?.accountId) return undefined;
      const grantId = ctx.oidc.result?.consent?.grantId ?? session.grantIdFor(client.clientId);
      const grant = (grantId ? await op.Grant.find(grantId) : undefined) ?? new op.Grant({ clientId: client.clientId, accountId: session.accountId });
      grant.addOIDCScope([...ctx.oidc.requestParamOIDCScopes].join(' ') || 'openid');
      grant.addResourceScope(resource, '');
      await grant.save();
      return grant;
    },
    // Refresh tokens for the public web client (rotated on every use), so the browser renews without a page.
    issueRefreshToken: (_ctx, client) => client.clientId === WEB_CLIENT_ID,
    interactions: { policy: signInPolicy(), url: (_ctx, interaction) => `${issuerPath}/interaction/${interaction.uid}` },
    clientBasedCORS: (ctx, origin) => originAllowed(origin, ctx.origin),
    renderError: (ctx, out) => {
      ctx.type = 'html';
      ctx.body = renderErrorPage({ ...out });
    },
  };
  const provider = new Provider(issuer, configuration);
  provider.proxy = options.trustProxy ?? false;
  const log = options.logger;
  if (log) {
    provider.on('server_error', (_ctx, error) => log.error({ err: error }, 'development OpenID Provider error'));
    provider.on('grant.success', (ctx) => log.info({ client: (ctx as KoaContextWithOIDC).oidc.client?.clientId }, 'development sign-in: tokens issued'));
  }
  const callback = provider.callback();
  const form = express.urlencoded({ extended: false, limit: '2kb' });

  const showSignIn = async (req: Request, res: Response): Promise<void> => {
    const details = await provider.interactionDetails(req as IncomingMessage, res as ServerResponse);
    const base = `${issuerPath}/interaction/${encodeURIComponent(details.uid)}`;
    res.set({ 'Content-Security-Policy': csp, 'Cache-Control': 'no-store' }).type('html');
    res.send(renderSignInPage({ action: `${base}/login`, cancelAction: `${base}/abort`, users: SEEDED_USERS, clientName: WEB_CLIENT_NAME }));
  };

  const finish = async (req: Request, res: Response, step: 'login' | 'abort'): Promise<void> => {
    await provider.interactionDetails(req as IncomingMessage, res as ServerResponse);
    if (step === 'abort') {
      await provider.interactionFinished(req as IncomingMessage, res as ServerResponse, { error: 'access_denied', error_description: 'The user cancelled the sign-in.' }, { mergeWithLastSubmission: false });
      return;
    }
    const userId = typeof (req.body as Record<string, unknown> | undefined)?.userId === 'string' ? (req.body as { userId: string }).userId : '';
    if (!findSeededUser(userId)) {
      res.status(400).set({ 'Content-Security-Policy': csp, 'Cache-Control': 'no-store' }).type('html');
      res.send(renderErrorPage({ error: 'invalid_request', error_description: `Choose one of the seeded users (${SEEDED_USERS.map((u) => u.userId).join(', ')}).` }));
      return;
    }
    await provider.interactionFinished(req as IncomingMessage, res as ServerResponse, { login: { accountId: userId } }, { mergeWithLastSubmission: false });
  };

  const interaction = (req: Request, res: Response, next: NextFunction, uid: string, step: string | undefined): void => {
    const failed = (error: unknown) => {
      // An expired or unknown interaction (cookie missing, page kept open too long): say what to do.
      log?.warn({ err: error, uid }, 'development sign-in interaction failed');
      if (res.headersSent) return next(error);
      res.status(400).set({ 'Content-Security-Policy': csp, 'Cache-Control': 'no-store' }).type('html');
      res.send(renderErrorPage({ error: 'sign-in expired', error_description: 'This sign-in page is no longer valid (it expires after 10 minutes, or was already used). Go back to the SPE platform and sign in again.' }));
    };
    if (req.method === 'GET' && step === undefined) {
      showSignIn(req, res).catch(failed);
    } else if (req.method === 'POST' && (step === 'login' || step === 'abort')) {
      form(req, res, (error?: unknown) => {
        if (error) next(error);
        else finish(req, res, step).catch(failed);
      });
    } else next();
  };

  const handler: RequestHandler = (req, res, next) => {
    const path = req.path;
    const match = INTERACTION.exec(path);
    if (match?.[1]) {
      interaction(req, res, next, match[1], match[2]);
      return;
    }
    if (!PROVIDER_PATHS.some((p) => path === p || path.startsWith(`${p}/`))) {
      next();
      return;
    }
    // Pages the provider renders itself (sign-out confirmation, errors) get the same strict policy.
    res.setHeader('Content-Security-Policy', csp);
    // Koa's handler settles its own errors (server_error above); its promise never rejects.
    void callback(req, res);
  };

  return { handler, webClient, resource };
}

/**
 * oidc-provider's default prompts (login, consent) without the consent screen it forces on native clients: spe-web
 * is registered as native only to match loopback redirect URIs on any port; it is first party, so no consent.
 */
function signInPolicy(): interactionPolicy.DefaultPolicy {
  const policy = interactionPolicy.base();
  policy.get('consent')?.checks.remove('native_client_prompt');
  return policy;
}
