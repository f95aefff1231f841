/**
 * Chooses how callers are authenticated, from config: the development issuer (its own keys, mounted routes and
 * OpenID Provider) when `devAuth` is on, else the configured OIDC issuer (JWKS from OIDC_JWKS_URL or the issuer's
 * discovery document). Also says how the web app signs in (`webConfig`, served at `GET /api/web-config`).
 * The development issuer's code is loaded only when it is on.
 */
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import { createAuthenticator, type Authenticator } from './authenticator.js';
import type { DevIssuer } from './dev-issuer.js';
import type { WebConfig } from './web-config.js';

export type IdentityConfig = Pick<Config, 'devAuth' | 'publicUrl' | 'oidcIssuer' | 'oidcAudience' | 'oidcJwksUrl' | 'oidcWebClientId' | 'permitDataDir' | 'trustProxy'> & Partial<Pick<Config, 'oidcMaxTokenLifetimeSeconds'>>;

/** The scope the web app asks for. */
export const WEB_SCOPE = 'openid profile email';

export interface Identity {
  authenticator: Authenticator;
  /** Present only when config.devAuth is on: hand it to createApp to mount /api/dev-auth. */
  devIssuer?: DevIssuer;
  /** How the web app signs in; hand it to createApp for `GET /api/web-config`. */
  webConfig: WebConfig;
}

export async function createIdentity(config: IdentityConfig, options: { persistDevKey?: boolean; logger?: Logger } = {}): Promise<Identity> {
  const maxLifetime = config.oidcMaxTokenLifetimeSeconds !== undefined ? { maxTokenLifetimeSeconds: config.oidcMaxTokenLifetimeSeconds } : {};
  if (config.devAuth) {
    const { createDevIssuer } = await import('./dev-issuer.js');
    const devIssuer = await createDevIssuer({
      publicUrl: config.publicUrl,
      audience: config.oidcAudience,
      trustProxy: config.trustProxy,
      ...(options.logger ? { logger: options.logger } : {}),
      ...(options.persistDevKey === false ? {} : { dataDir: config.permitDataDir }),
    });
    const authenticator = createAuthenticator({ issuer: devIssuer.issuer, audience: devIssuer.audience, keySet: devIssuer.jwks, ...maxLifetime });
    return {
      authenticator,
      devIssuer,
      webConfig: {
        issuer: devIssuer.issuer,
        clientId: devIssuer.webClient.clientId,
        scope: WEB_SCOPE,
        audience: devIssuer.audience,
        metadataUrl: `${new URL(devIssuer.issuer).pathname}/.well-known/openid-configuration`,
      },
    };
  }
  if (!config.oidcIssuer) throw new Error('OIDC_ISSUER is required when DEV_AUTH is off (loadConfig normally refuses this).');
  return {
    authenticator: createAuthenticator({
      issuer: config.oidcIssuer,
      audience: config.oidcAudience,
      ...maxLifetime,
      ...(config.oidcJwksUrl ? { jwksUrl: config.oidcJwksUrl } : {}),
    }),
    webConfig: { issuer: config.oidcIssuer, clientId: config.oidcWebClientId, scope: WEB_SCOPE, audience: config.oidcAudience },
  };
}
