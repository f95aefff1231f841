/**
 * The last middleware: every error thrown or passed to `next` becomes a problem+json answer. Expected refusals
 * are logged at `info` (4xx) / `warn` (503), unexpected ones at `error` with the stack.
 */
import type { ErrorRequestHandler, NextFunction, Request, RequestHandler, Response } from 'express';
import { loggerOf } from './request-logging.js';
import { HttpProblemError, sendProblem } from './problem.js';
import { toProblem } from './to-problem.js';

export function createErrorHandler(options: { realm?: string } = {}): ErrorRequestHandler {
  return (err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const { problem, headers, unexpected } = toProblem(err, { instance: req.originalUrl.split('?')[0], realm: options.realm });
    const log = loggerOf(res);
    if (unexpected) log.error({ err }, 'unexpected error');
    else if (problem.status >= 500) log.warn({ problem: problem.type, detail: problem.detail }, 'dependency unavailable');
    else log.debug({ problem: problem.type, detail: problem.detail }, 'request refused');
    if (res.headersSent) {
      // Too late for a problem document (e.g. an SSE stream already started): end the response.
      res.end();
      return;
    }
    sendProblem(res, problem, headers);
  };
}

/** After every route: an unknown path or method is a 404 problem. */
export function notFoundHandler(): RequestHandler {
  return (req: Request, _res: Response, next: NextFunction) => {
    next(new HttpProblemError('not-found', `No route ${req.method} ${req.originalUrl.split('?')[0]}. See /api/docs for the operations this API offers.`));
  };
}
