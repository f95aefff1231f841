import type { Response } from 'express';

/**
 * Answers `status` with `body` as JSON: what `res.status(status).json(body)` does, without Express's send path
 * (content negotiation helpers, freshness check, header helpers), for the routes every instance passes through.
 */
export function sendJson(res: Response, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}
