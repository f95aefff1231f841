/**
 * The engine's Camunda 8.8 Orchestration Cluster REST subset (`/v2`) as an Express 5 app over `EngineApi`.
 * One router per resource (routes/*), JSON bodies read by json-body.ts and validated with zod, every error as problem+json
 * (problem.ts). Every request passes the guard first (guard/*): a configured Host and no cross-site origin,
 * then the engine's credential, before any body is read. The three calls every instance with a job makes are
 * served before Express by hot-routes.ts, with the same checks. Listening, ports and the engine's lifecycle
 * belong to the caller (engine/index.ts).
 */
import express, { type NextFunction, type Request, type Response } from 'express';
import type pino from 'pino';
import type { EngineApi } from '../runtime/engine-api.js';
import { notFound } from '../errors.js';
import { findUnstorableText, unstorableReason } from '../../shared/storable-text.js';
import { unstorableTextError } from './unstorable-text-error.js';
import type { EngineCredentials } from '../auth/engine-credentials.js';
import { requireBasicAuth } from './guard/require-basic-auth.js';
import { refuseForeignRequests } from './guard/refuse-foreign-requests.js';
import { hasBody, isJsonContentType, readJsonBody } from './json-body.js';
import { answerError, HttpProblemError } from './problem.js';
import { clockRouter } from './routes/clock-router.js';
import { decisionDefinitionsRouter } from './routes/decision-definitions-router.js';
import { decisionInstancesRouter } from './routes/decision-instances-router.js';
import { decisionRequirementsRouter } from './routes/decision-requirements-router.js';
import { deploymentsRouter } from './routes/deployments-router.js';
import { elementInstancesRouter } from './routes/element-instances-router.js';
import { incidentsRouter } from './routes/incidents-router.js';
import { jobsRouter } from './routes/jobs-router.js';
import { messageSubscriptionsRouter } from './routes/message-subscriptions-router.js';
import { messagesRouter } from './routes/messages-router.js';
import { liveDiagramRouter } from './routes/live-diagram-router.js';
import { processDefinitionsRouter } from './routes/process-definitions-router.js';
import { processInstanceChangesRouter } from './routes/process-instance-changes-router.js';
import { processInstancesRouter } from './routes/process-instances-router.js';
import { resourcesRouter } from './routes/resources-router.js';
import { signalsRouter } from './routes/signals-router.js';
import { topologyRouter } from './routes/topology-router.js';
import { userTasksRouter } from './routes/user-tasks-router.js';
import { variablesRouter } from './routes/variables-router.js';

export interface EngineHttpAppOptions {
  logger: pino.Logger;
  /** Largest JSON body accepted (default 16 MB). */
  jsonLimit?: string;
  /** The one credential accepted (HTTP Basic). */
  credentials: EngineCredentials;
  /** Names accepted in `Host` (`allowedHostNames()` in guard/refuse-foreign-requests.ts builds the list). */
  allowedHosts: readonly string[];
  /** `PUT /v2/clock` and `POST /v2/clock/reset` work (ZEEBE_CLOCK_CONTROLLED); default false. */
  clockControlled?: boolean;
}

/** JSON endpoints refuse a body that is not JSON instead of silently ignoring it. */
function requireJsonBodies(req: Request, _res: Response, next: NextFunction): void {
  if (req.method !== 'POST' && req.method !== 'PUT' && req.method !== 'PATCH') {
    next();
    return;
  }
  const isDeployment = req.path === '/v2/deployments' || req.path === '/v2/deployments/';
  if (hasBody(req) && !isDeployment && !isJsonContentType(req.headers['content-type'])) {
    next(new HttpProblemError(415, 'UNSUPPORTED_MEDIA_TYPE', `Content-Type '${req.headers['content-type'] ?? ''}' is not supported; send application/json.`));
    return;
  }
  next();
}

/**
 * Variables, message names and correlation keys end up in PostgreSQL/PGlite, which cannot store NUL or lone
 * surrogates: refuse them here, before any route acts, as a 400 INVALID_ARGUMENT naming the field.
 */
function refuseUnstorableText(req: Request, _res: Response, next: NextFunction): void {
  const found = [...findUnstorableText(req.body, 'body'), ...findUnstorableText(req.query, 'query')];
  let path = req.path;
  try {
    path = decodeURIComponent(req.path);
  } catch {
    // Not validly percent-encoded: the routes answer that themselves.
  }
  const pathReason = unstorableReason(path);
  if (pathReason) found.push({ path: 'path', message: pathReason });
  if (found.length === 0) {
    next();
    return;
  }
  next(unstorableTextError(found));
}

type Middleware = (req: Request, res: Response, next: NextFunction) => void;

/** Runs middlewares one after another as one: the first that answers or fails ends the sequence. */
export function inSequence(steps: readonly Middleware[]): Middleware {
  return (req, res, next) => {
    let i = 0;
    const step = (error?: unknown): void => {
      if (error !== undefined && error !== null) {
        next(error);
        return;
      }
      const current = steps[i++];
      if (!current) {
        next();
        return;
      }
      try {
        current(req, res, step);
      } catch (thrown) {
        next(thrown);
      }
    };
    step();
  };
}

export function createEngineHttpApp(api: EngineApi, options: EngineHttpAppOptions): express.Express {
  const { logger } = options;
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('query parser', 'simple');

  // The checks every request passes, in this order, as one layer: each Express layer costs a router step on
  // every request (measured: the router was the engine thread's largest single cost).
  app.use(
    inSequence([
      refuseForeignRequests(options.allowedHosts),
      requireBasicAuth(options.credentials),
      requireJsonBodies,
      readJsonBody(options.jsonLimit ?? '16mb'),
      refuseUnstorableText,
    ]),
  );

  const v2 = express.Router();
  // Express tries routers in order: the hot paths (job activation and completion, instance creation, user
  // tasks, messages) come first.
  v2.use(jobsRouter(api));
  v2.use(processInstancesRouter(api));
  v2.use(processInstanceChangesRouter(api));
  v2.use(userTasksRouter(api));
  v2.use(messagesRouter(api));
  v2.use(topologyRouter(api));
  v2.use(deploymentsRouter(api));
  v2.use(processDefinitionsRouter(api));
  v2.use(signalsRouter(api));
  v2.use(elementInstancesRouter(api));
  v2.use(variablesRouter(api));
  v2.use(incidentsRouter(api));
  v2.use(clockRouter(api, { controlled: options.clockControlled ?? false }));
  v2.use(messageSubscriptionsRouter(api));
  v2.use(liveDiagramRouter(api));
  v2.use(resourcesRouter(api));
  v2.use(decisionDefinitionsRouter(api));
  v2.use(decisionRequirementsRouter(api));
  v2.use(decisionInstancesRouter(api));
  app.use('/v2', v2);

  app.use((req: Request, _res: Response, next: NextFunction) => {
    next(notFound(`No endpoint ${req.method} ${req.path}; this engine serves the Camunda 8.8 REST subset under /v2 (see engine/http/README.md)`));
  });

  app.use((err: unknown, req: Request, res: Response, _next: NextFunction) => answerError(logger, err, req, res));

  return app;
}
