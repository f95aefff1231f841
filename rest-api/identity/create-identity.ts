/**
 * Chooses how callers are authenticated, from config: the development issuer (its own keys, mounted routes) when
 * `devAuth` is on, else the configured OIDC issuer (JWKS from OIDC_JWKS_URL or the issuer's discovery document).
 */
import type { Config } from '../config.js';
import { createAuthenticator, type Authenticator } from './authenticator.js';
import { createDevIssuer, type DevIssuer } from './dev-issuer.js';

export type IdentityConfig = Pick<Config, 'devAuth' | 'publicUrl' | 'oidcIssuer' | 'oidcAudience' | 'oidcJwksUrl' | 'permitDataDir'> & Partial<Pick<Config, 'oidcMaxTokenLifetimeSeconds'>>;

export interface Identity {
  authenticator: Authenticator;
  /** Present only when config.devAuth is on: hand it to createApp to mount /api/dev-auth. */
  devIssuer?: DevIssuer;
}

export async function createIdentity(config: IdentityConfig, options: { persistDevKey?: boolean } = {}): Promise<Identity> {
  const maxLifetime = config.oidcMaxTokenLifetimeSeconds !== undefined ? { maxTokenLifetimeSeconds: config.oidcMaxTokenLifetimeSeconds } : {};
  if (config.devAuth) {
    const devIssuer = await createDevIssuer({
      publicUrl: config.publicUrl,
      audience: config.oidcAudience,
      ...(options.persistDevKey === false ? {} : { dataDir: config.permitDataDir }),
    });
    const authenticator = createAuthenticator({ issuer: devIssuer.issuer, audience: devIssuer.audience, keySet: devIssuer.jwks, ...maxLifetime });
    return { authenticator, devIssuer };
  }
  if (!config.oidcIssuer) throw new Error('OIDC_ISSUER is required when DEV_AUTH is off (loadConfig normally refuses this).');
  return {
    authenticator: createAuthenticator({
      issuer: config.oidcIssuer,
      audience: config.oidcAudience,
      ...maxLifetime,
      ...(config.oidcJwksUrl ? { jwksUrl: config.oidcJwksUrl } : {}),
    }),
  };
}
