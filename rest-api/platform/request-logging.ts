/**
 * Correlation ids and request logs. Every request gets a correlation id: the caller's `x-correlation-id` when it
 * is a sane token (letters, digits, `._:-`, up to 128 characters), else a fresh UUID. It is echoed on the response,
 * stored on `res.locals.correlationId`, and bound to a pino child logger on `res.locals.log` so every line logged
 * while handling the request carries it. One `request completed` line per request, when the response finishes.
 */
import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { pino, type Logger } from 'pino';

export const CORRELATION_HEADER = 'x-correlation-id';
const SAFE_ID = /^[A-Za-z0-9._:-]{1,128}$/;
const silent = pino({ level: 'silent' });

export function createRequestLogging(logger: Logger): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const offered = req.get(CORRELATION_HEADER);
    const correlationId = offered !== undefined && SAFE_ID.test(offered) ? offered : randomUUID();
    const log = logger.child({ correlationId });
    res.locals.correlationId = correlationId;
    res.locals.log = log;
    res.setHeader(CORRELATION_HEADER, correlationId);
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const durationMs = Number(process.hrtime.bigint() - started) / 1e6;
      const caller = res.locals.caller as { userId?: string } | undefined;
      const line = {
        method: req.method,
        path: req.originalUrl.split('?')[0],
        status: res.statusCode,
        durationMs: Math.round(durationMs * 10) / 10,
        userId: caller?.userId,
      };
      // 503 is a dependency being down (already logged by the error handler as a warning), not our bug.
      if (res.statusCode >= 500 && res.statusCode !== 503) log.error(line, 'request completed');
      else if (res.statusCode === 503) log.warn(line, 'request completed');
      else log.info(line, 'request completed');
    });
    next();
  };
}

/** The request's logger (a silent one when the logging middleware did not run, e.g. in unit tests). */
export function loggerOf(res: Response): Logger {
  return (res.locals.log as Logger | undefined) ?? silent;
}

export function correlationIdOf(res: Response): string | undefined {
  return res.locals.correlationId as string | undefined;
}
