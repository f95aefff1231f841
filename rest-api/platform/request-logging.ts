/**
 * Correlation ids and request logs. Every request gets a correlation id: the caller's `x-correlation-id` when it
 * is a sane token (letters, digits, `._:-`, up to 128 characters), else a fresh UUID. It is echoed on the response,
 * stored on `res.locals.correlationId`, and bound to the request's logger (`loggerOf(res)`, a pino child made on
 * first use: most requests log nothing but their last line, and a child per request was a measurable part of a
 * `GET /api/permits/{id}`), so every line logged while handling the request carries it. One `request completed`
 * line per request, when the response finishes, built only when its level is on.
 */
import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { pino, type Logger } from 'pino';

export const CORRELATION_HEADER = 'x-correlation-id';
const SAFE_ID = /^[A-Za-z0-9._:-]{1,128}$/;
const silent = pino({ level: 'silent' });
/** Where the middleware leaves the app's logger for `loggerOf` to make the request's child from. */
const BASE_LOGGER = 'requestLoggingBase';

export function createRequestLogging(logger: Logger): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const offered = req.get(CORRELATION_HEADER);
    const correlationId = offered !== undefined && SAFE_ID.test(offered) ? offered : randomUUID();
    res.locals.correlationId = correlationId;
    res.locals[BASE_LOGGER] = logger;
    res.setHeader(CORRELATION_HEADER, correlationId);
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      // 503 is a dependency being down (already logged by the error handler as a warning), not our bug.
      const level = res.statusCode >= 500 && res.statusCode !== 503 ? 'error' : res.statusCode === 503 ? 'warn' : 'info';
      if (!logger.isLevelEnabled(level)) return;
      const durationMs = Number(process.hrtime.bigint() - started) / 1e6;
      const caller = res.locals.caller as { userId?: string } | undefined;
      const line = {
        method: req.method,
        path: req.originalUrl.split('?')[0],
        status: res.statusCode,
        durationMs: Math.round(durationMs * 10) / 10,
        userId: caller?.userId,
      };
      loggerOf(res)[level](line, 'request completed');
    });
    next();
  };
}

/** The request's logger (a silent one when the logging middleware did not run, e.g. in unit tests). */
export function loggerOf(res: Response): Logger {
  const made = res.locals.log as Logger | undefined;
  if (made) return made;
  const base = res.locals[BASE_LOGGER] as Logger | undefined;
  if (!base) return silent;
  const log = base.child({ correlationId: res.locals.correlationId as string });
  res.locals.log = log;
  return log;
}

export function correlationIdOf(res: Response): string | undefined {
  return res.locals.correlationId as string | undefined;
}
