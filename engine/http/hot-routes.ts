/**
 * The three calls every process instance with a job makes (`POST /v2/process-instances`, `/v2/jobs/activation`,
 * `/v2/jobs/{key}/completion`), and the platform's calls on a review decision's path (`POST /v2/user-tasks/search`,
 * `GET /v2/user-tasks/{key}`, `POST /v2/user-tasks/{key}/completion`, `/v2/variables/search`,
 * `/v2/messages/publication`, `/v2/messages/correlation`), at those exact URLs, served straight from Node's HTTP server
 * instead of through Express: Express's request setup and router were the largest cost per request left on the
 * engine thread once the routes themselves were cheap (docs/engine.md, "Performance"). The routers still
 * register the same handlers.
 *
 * Only requests that every check lets through are served here: the right Host and no cross-site origin, the
 * engine's credential, and a body that is absent or JSON in UTF-8, uncompressed and within the limit. Anything
 * else, and every other URL, goes to the Express app untouched (nothing has been read yet), which refuses it
 * exactly as before. What can fail after the body is read (malformed JSON, text the database cannot store, an
 * invalid body, the engine's refusals) is answered as the Express error layer answers it (`answerError`).
 */
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { findUnstorableText } from '../../shared/storable-text.js';
import { unstorableTextError } from './unstorable-text-error.js';
import type { EngineCredentials } from '../auth/engine-credentials.js';
import type { EngineApi } from '../runtime/engine-api.js';
import { credentialCheck } from './guard/require-basic-auth.js';
import { foreignRequestCheck } from './guard/refuse-foreign-requests.js';
import { hasBody, isJsonContentType, jsonBodyProblem, parseByteLimit, parseJsonBody, readBodyText } from './json-body.js';
import { answerError } from './problem.js';
import { activateJobsRoute, completeJobRoute } from './routes/jobs-router.js';
import { createInstanceRoute } from './routes/process-instances-router.js';
import { completeUserTaskRoute, getUserTaskRoute, searchUserTasksRoute } from './routes/user-tasks-router.js';
import { correlateMessageRoute, publishMessageRoute } from './routes/messages-router.js';
import { searchVariablesRoute } from './routes/variables-router.js';
import type { RouteRequest } from './validation.js';

export interface HotRouteOptions {
  logger: Logger;
  credentials: EngineCredentials;
  allowedHosts: readonly string[];
  /** Largest JSON body accepted (default 16 MB), as the Express app's. */
  jsonLimit?: string;
}

type Route = (req: RouteRequest, res: ServerResponse) => Promise<void>;

const JOB_COMPLETION = /^\/v2\/jobs\/(\d{1,25})\/completion$/;
const USER_TASK_COMPLETION = /^\/v2\/user-tasks\/(\d{1,25})\/completion$/;
const USER_TASK = /^\/v2\/user-tasks\/(\d{1,25})$/;

/** `app` with the hot routes in front of it: what the engine's HTTP server runs. */
export function withHotRoutes(app: RequestListener, api: EngineApi, options: HotRouteOptions): RequestListener {
  const foreign = foreignRequestCheck(options.allowedHosts);
  const accepted = credentialCheck(options.credentials);
  const maxBytes = parseByteLimit(options.jsonLimit ?? '16mb');
  const create = createInstanceRoute(api);
  const activate = activateJobsRoute(api);
  const complete = completeJobRoute(api);
  const searchUserTasks = searchUserTasksRoute(api);
  const completeUserTask = completeUserTaskRoute(api);
  const getUserTask = getUserTaskRoute(api);
  const searchVariables = searchVariablesRoute(api);
  const publishMessage = publishMessageRoute(api);
  const correlateMessage = correlateMessageRoute(api);
  /** POST routes at a fixed URL. */
  const fixed = new Map<string, Route>([
    ['/v2/process-instances', create],
    ['/v2/jobs/activation', activate],
    ['/v2/user-tasks/search', searchUserTasks],
    ['/v2/variables/search', searchVariables],
    ['/v2/messages/publication', publishMessage],
    ['/v2/messages/correlation', correlateMessage],
  ]);

  /** The hot route of this request and its path parameters, or undefined for anything else. */
  const routeOf = (req: IncomingMessage): { route: Route; params: Record<string, string> } | undefined => {
    const url = req.url;
    if (url === undefined) return undefined;
    if (req.method === 'GET') {
      const task = USER_TASK.exec(url);
      return task ? { route: getUserTask, params: { userTaskKey: task[1]! } } : undefined;
    }
    if (req.method !== 'POST') return undefined;
    const route = fixed.get(url);
    if (route) return { route, params: {} };
    const completion = JOB_COMPLETION.exec(url);
    if (completion) return { route: complete, params: { jobKey: completion[1]! } };
    const userTaskCompletion = USER_TASK_COMPLETION.exec(url);
    return userTaskCompletion ? { route: completeUserTask, params: { userTaskKey: userTaskCompletion[1]! } } : undefined;
  };

  /** Whether every check the Express app runs first would let this request through. */
  const passesChecks = (req: IncomingMessage): boolean =>
    foreign(req) === undefined &&
    accepted(req.headers.authorization) &&
    (!hasBody(req) || (isJsonContentType(req.headers['content-type']) && jsonBodyProblem(req, maxBytes) === undefined));

  return (req, res) => {
    const hot = routeOf(req);
    if (!hot || !passesChecks(req)) {
      app(req, res);
      return;
    }
    const request = req as IncomingMessage & RouteRequest;
    request.params = hot.params;
    const run = (): void => {
      hot.route(request, res).catch((error: unknown) => answerError(options.logger, error, req, res));
    };
    if (!hasBody(req)) {
      run();
      return;
    }
    readBodyText(req, maxBytes, (error, text) => {
      try {
        if (error) throw error;
        request.body = parseJsonBody(text!);
        refuseUnstorableBody(text!, request.body);
      } catch (refusal) {
        answerError(options.logger, refusal, req, res);
        return;
      }
      run();
    });
  };
}

/**
 * As the Express app's check: text PostgreSQL cannot store is 400 naming the field. Decoded UTF-8 holds no
 * lone surrogate, so only a raw NUL or a `\u` escape can bring one in: a body without either is not walked.
 */
function refuseUnstorableBody(text: string, body: unknown): void {
  if (!text.includes('\\u') && !text.includes('\u0000')) return;
  const found = findUnstorableText(body, 'body');
  if (found.length === 0) return;
  throw unstorableTextError(found);
}
