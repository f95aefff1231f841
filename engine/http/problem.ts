/**
 * RFC 9457 problem details, as Camunda 8.8 answers every error: `application/problem+json` with
 * `{ type: 'about:blank', title, status, detail, instance }`. `title` is Camunda's error name
 * (INVALID_ARGUMENT, NOT_FOUND, INVALID_STATE, ...). `toProblem` is the one place that turns any thrown
 * value into a problem; `answerError` sends it.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { EngineError } from '../errors.js';

export interface Problem {
  type: 'about:blank';
  title: string;
  status: number;
  detail: string;
  instance: string;
}

/** An HTTP-only failure (wrong media type, payload too large) that has no EngineError title. */
export class HttpProblemError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string,
  ) {
    super(detail);
    this.name = 'HttpProblemError';
  }
}

/** Answers with `problem` (headers set before, e.g. WWW-Authenticate, are kept); works without Express too. */
export function sendProblem(res: ServerResponse, problem: Problem): void {
  const text = JSON.stringify(problem);
  res.writeHead(problem.status, { 'Content-Type': 'application/problem+json; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

/** Errors raised by body-parser (express.json) carry `type` and `status`. */
interface BodyParserError {
  type: string;
  status: number;
  message: string;
}

function isBodyParserError(err: unknown): err is BodyParserError {
  return typeof err === 'object' && err !== null && 'type' in err && 'status' in err && typeof (err as { type: unknown }).type === 'string';
}

/** Maps a thrown value to a problem; `unexpected` is true when it was not a refusal we know (log it). */
export function toProblem(err: unknown, instance: string): { problem: Problem; unexpected: boolean } {
  const make = (status: number, title: string, detail: string): Problem => ({ type: 'about:blank', title, status, detail, instance });
  if (err instanceof EngineError) return { problem: make(err.status, err.title, err.detail), unexpected: false };
  if (err instanceof HttpProblemError) return { problem: make(err.status, err.title, err.detail), unexpected: false };
  if (isBodyParserError(err)) {
    if (err.type === 'entity.parse.failed') {
      return { problem: make(400, 'INVALID_ARGUMENT', `Request body is not valid JSON: ${err.message}. Send a JSON object.`), unexpected: false };
    }
    if (err.type === 'entity.too.large') {
      return { problem: make(413, 'PAYLOAD_TOO_LARGE', 'Request body is too large; send a smaller payload.'), unexpected: false };
    }
    if (err.status >= 400 && err.status < 500) {
      return { problem: make(err.status, 'INVALID_ARGUMENT', `Request body could not be read: ${err.message}`), unexpected: false };
    }
  }
  if (err instanceof URIError && (err as URIError & { status?: number }).status === 400) {
    // Express could not percent-decode a path parameter (e.g. %ED%A0%80, a lone surrogate's bytes).
    return { problem: make(400, 'INVALID_ARGUMENT', `${err.message}: the URL path is not validly percent-encoded UTF-8.`), unexpected: false };
  }
  return {
    problem: make(500, 'INTERNAL', 'Unexpected error while handling the request; see the engine log for details.'),
    unexpected: true,
  };
}

/**
 * Answers a request that failed with `err` as problem+json, logging what was not a refusal we know; the Express
 * error layer (create-engine-http-app.ts) and hot-routes.ts both end here.
 */
export function answerError(logger: Logger, err: unknown, req: IncomingMessage & { originalUrl?: string }, res: ServerResponse): void {
  // Express changes req.url inside mounted routers; its originalUrl is the URL the client sent.
  const url = req.originalUrl ?? req.url ?? '';
  const { problem, unexpected } = toProblem(err, url.split('?')[0] ?? url);
  if (unexpected) logger.error({ err, method: req.method, url }, 'unexpected error in REST handler');
  else logger.debug({ method: req.method, url, status: problem.status, detail: problem.detail }, 'request refused');
  if (res.headersSent) {
    res.end();
    return;
  }
  sendProblem(res, problem);
}
