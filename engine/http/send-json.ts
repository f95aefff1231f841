import type { ServerResponse } from 'node:http';

/**
 * Answers `status` with `body` as JSON: what `res.status(status).json(body)` does, without Express's send path
 * (content negotiation helpers, freshness check, header helpers), for the routes every instance passes through (with or without Express: hot-routes.ts).
 */
export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}
