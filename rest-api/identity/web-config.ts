/**
 * `GET /api/web-config`: what the browser app needs to sign in (public, never cached). With the development
 * issuer it points at `<publicUrl>/api/dev-auth` and its client spe-web; in production at OIDC_ISSUER and the
 * client OIDC_WEB_CLIENT_ID (default spe-web). The app signs in with authorization code + PKCE (S256) and sends
 * the access token (audience `audience`) to the API.
 */
import { z } from 'zod';
import { defineRoute, type FeatureRouter } from '../platform/define-route.js';

export interface WebConfig {
  /** The OpenID Provider's issuer; its discovery document is at `<issuer>/.well-known/openid-configuration`. */
  issuer: string;
  /** The public OIDC client of the web app. */
  clientId: string;
  scope: string;
  /** The `aud` of access tokens the API accepts (OIDC_AUDIENCE). */
  audience: string;
  /**
   * Development issuer only: its discovery document as a path on the platform's own origin. The issuer names the
   * public URL, which a PORT=0 platform (tests) does not answer on; the browser reads discovery here instead.
   */
  metadataUrl?: string;
}

const WebConfigSchema = z
  .object({
    issuer: z.url(),
    clientId: z.string(),
    scope: z.string(),
    audience: z.string(),
    metadataUrl: z.string().optional().meta({ description: 'Development issuer only: the discovery document as a path on this origin (use it as oidc-client-ts metadataUrl).' }),
  })
  .meta({ id: 'WebConfig', description: 'How the web app signs in: OIDC authorization code + PKCE against issuer, as clientId, for audience.' });

export function createWebConfigRoutes(config: WebConfig): FeatureRouter {
  const answer = { issuer: config.issuer, clientId: config.clientId, scope: config.scope, audience: config.audience, ...(config.metadataUrl ? { metadataUrl: config.metadataUrl } : {}) };
  return {
    name: 'web-config',
    routes: [
      defineRoute({
        method: 'get',
        path: '/web-config',
        operationId: 'getWebConfig',
        summary: 'How the web app signs in (OIDC issuer, client id, scope, API audience)',
        description: 'Public. The browser signs in with authorization code + PKCE (S256) as the public client `clientId`, redirect URI `<PUBLIC_URL>/signed-in`.',
        tags: ['Sign-in'],
        auth: 'public',
        responses: { 200: { description: 'Sign-in settings', body: WebConfigSchema } },
        handler: (_input, { res }) => {
          res.set('Cache-Control', 'no-store');
          return answer;
        },
      }),
    ],
  };
}
