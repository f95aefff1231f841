/**
 * The Permit Manager HTTP app (Express 5), assembled from its parts. Order matters:
 *
 *   correlation id + request log → identify caller (bearer token, if any) → rate limit (per caller, else per IP)
 *   → JSON body (size limit) → routes: health, API docs, dev issuer (only when handed in), feature routers
 *   → 405 for known paths with another method → 404 → problem+json error handler.
 *
 * Every route comes from `defineRoute` and so validates its input and appears in `/api/openapi.json`. Routes with
 * `auth: 'bearer'` answer 401 without a valid token; public ones are health, readiness, docs and dev-auth.
 */
import express, { type Express, type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import type { Logger } from 'pino';
import type { Config } from './config.js';
import type { Authenticator } from './identity/authenticator.js';
import { DEV_AUTH_PATH } from './identity/dev-auth-path.js';
import type { DevIssuer } from './identity/dev-issuer.js';
import { createWebConfigRoutes, type WebConfig } from './identity/web-config.js';
import { createApiDocsRoutes } from './platform/api-docs-routes.js';
import type { FeatureRouter, Route } from './platform/define-route.js';
import { createErrorHandler, notFoundHandler } from './platform/error-handler.js';
import { createHealthRoutes, type Readiness } from './platform/health-routes.js';
import { buildOpenApiDocument, type OpenApiDocument } from './platform/openapi-document.js';
import { HttpProblemError } from './platform/problem.js';
import { createRateLimit } from './platform/rate-limit.js';
import type { Store } from 'express-rate-limit';
import { createRequestLogging } from './platform/request-logging.js';
import { skipWithoutBody } from './platform/skip-without-body.js';

export const API_PREFIX = '/api';
const REALM = 'spe-api';

export interface AppDeps {
  config: Pick<Config, 'publicUrl' | 'rateLimitPerMinute' | 'bodyLimitBytes' | 'trustProxy'>;
  logger: Logger;
  routers: readonly FeatureRouter[];
  readiness: Readiness;
  authenticator: Pick<Authenticator, 'identify'>;
  /** Mounted at /api/dev-auth when given; the wiring hands it in only when config.devAuth is on. */
  devIssuer?: Pick<DevIssuer, 'routes'> & Partial<Pick<DevIssuer, 'openIdProvider'>>;
  /** `GET /api/web-config`: how the web app signs in (rest-api/identity/web-config.ts). */
  webConfig?: WebConfig;
  /** The web app at `/` (static files, app routes), after the API and before the 404 (rest-api/web-app/). */
  webApp?: RequestHandler;
  /** API version shown in the OpenAPI document. */
  version?: string;
  /** Rate-limit counters shared by every instance (PostgreSQL); default: in this process. */
  rateLimitStore?: Store;
  /** `Idempotency-Key` on the creating POSTs (platform/idempotency-key.ts); without it the header is ignored. */
  idempotency?: RequestHandler;
}

export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  // ETags are resource versions set by the features, not hashes of bodies.
  app.set('etag', false);
  app.set('trust proxy', deps.config.trustProxy);

  const platformRouters: FeatureRouter[] = [
    createHealthRoutes(deps.readiness),
    // Called per request, after `document` below is built from every route (this one included).
    createApiDocsRoutes(() => document),
    ...(deps.devIssuer ? [deps.devIssuer.routes] : []),
    ...(deps.webConfig ? [createWebConfigRoutes(deps.webConfig)] : []),
  ];
  const routes = [...platformRouters, ...deps.routers].flatMap((router) => router.routes);
  const document: OpenApiDocument = buildOpenApiDocument(routes, {
    title: 'SPE Permit Manager API',
    version: deps.version ?? '0.1.0',
    description:
      'Data permits of the Secure Processing Environment: applications, teams, reviews, data ingress, output requests and the lifecycle actions around them. ' +
      'Send `x-correlation-id` to trace a request (it is echoed and logged); responses carrying a version have an `ETag`, and changes honour `If-Match`.',
  }, deps.config.publicUrl);

  app.use(createRequestLogging(deps.logger));
  app.use((_req: Request, res: Response, next: NextFunction) => {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    next();
  });

  const api = express.Router();
  api.use(apiResponseHeaders);
  api.use(deps.authenticator.identify);
  api.use(createRateLimit({ perMinute: deps.config.rateLimitPerMinute, exempt: ['/health', '/ready'], ...(deps.rateLimitStore ? { store: deps.rateLimitStore } : {}) }));
  // oidc-provider reads its own (form) bodies: before the JSON parser.
  if (deps.devIssuer?.openIdProvider) api.use(DEV_AUTH_PATH, deps.devIssuer.openIdProvider);
  api.use(skipWithoutBody(express.json({ limit: deps.config.bodyLimitBytes, type: ['application/json', 'application/*+json'] })));
  if (deps.idempotency) api.use(deps.idempotency);
  mountRoutes(api, routes);
  app.use(API_PREFIX, api);
  if (deps.webApp) app.use(deps.webApp);

  app.use(notFoundHandler());
  app.use(createErrorHandler({ realm: REALM }));
  return app;
}

/**
 * Every /api answer: never stored by a browser or a shared cache (answers carry permit data; routes that may be
 * cached, like the event stream, set their own Cache-Control later), and no Referer leaks API URLs (permit ids)
 * to other sites.
 */
function apiResponseHeaders(_req: Request, res: Response, next: NextFunction): void {
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Referrer-Policy', 'no-referrer');
  next();
}

function mountRoutes(router: express.Router, routes: readonly Route[]): void {
  const methodsByPath = new Map<string, string[]>();
  for (const route of routes) {
    router[route.spec.method](route.expressPath, route.handle);
    const methods = methodsByPath.get(route.expressPath) ?? [];
    methods.push(route.spec.method.toUpperCase());
    methodsByPath.set(route.expressPath, methods);
  }
  for (const [path, methods] of methodsByPath) {
    const allow = [...methods, ...(methods.includes('GET') ? ['HEAD'] : [])].join(', ');
    router.all(path, (req: Request, _res: Response, next: NextFunction) => {
      next(new HttpProblemError('method-not-allowed', `${req.method} is not supported on ${req.originalUrl.split('?')[0]}; use ${allow}.`, {}, { Allow: allow }));
    });
  }
}
