/**
 * A body parser entered only by requests that have a body: `Transfer-Encoding`, or a numeric `Content-Length`
 * (type-is's `hasBody`, the test the parser itself makes first). A GET goes straight on; entering the parser cost
 * it a few debug calls and a new `req.body` property per request (issue 17's profile of `GET /api/permits/{id}`).
 */
import type { RequestHandler } from 'express';

export function skipWithoutBody(parser: RequestHandler): RequestHandler {
  return (req, res, next) => {
    if (req.headers['transfer-encoding'] === undefined && Number.isNaN(Number(req.headers['content-length']))) next();
    else void parser(req, res, next);
  };
}
