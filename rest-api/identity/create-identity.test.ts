import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config.js';
import { createIdentity } from './create-identity.js';

describe('createIdentity', () => {
  it('with an identity provider: the web app signs in at OIDC_ISSUER as OIDC_WEB_CLIENT_ID, no development issuer', async () => {
    const config = loadConfig({ NODE_ENV: 'production', OIDC_ISSUER: 'https://login.example.org/realms/spe', OIDC_AUDIENCE: 'spe-api', OIDC_WEB_CLIENT_ID: 'spe-portal' });
    const identity = await createIdentity(config);
    expect(identity.devIssuer).toBeUndefined();
    expect(identity.webConfig).toEqual({ issuer: 'https://login.example.org/realms/spe', clientId: 'spe-portal', scope: 'openid profile email', audience: 'spe-api' });
    expect(identity.authenticator.issuer).toBe('https://login.example.org/realms/spe');
  });

  it('with the development issuer: the web app signs in there as spe-web', async () => {
    const config = loadConfig({ NODE_ENV: 'development', PUBLIC_URL: 'http://localhost:3000', OIDC_WEB_CLIENT_ID: 'ignored-here' });
    const identity = await createIdentity(config, { persistDevKey: false });
    expect(identity.webConfig).toEqual({ issuer: 'http://localhost:3000/api/dev-auth', clientId: 'spe-web', scope: 'openid profile email', audience: 'spe-api', metadataUrl: '/api/dev-auth/.well-known/openid-configuration' });
    expect(identity.authenticator.issuer).toBe(identity.devIssuer?.issuer);
  });
});
