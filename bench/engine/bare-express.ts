/**
 * Context for the figures: a bare Express 5 JSON handler on this machine, in this process, hit over HTTP with
 * the same concurrency. The engine's instances/s cannot exceed this request rate divided by the HTTP calls
 * one instance needs (create, activate share, complete).
 */
import type { AddressInfo } from 'node:net';
import express from 'express';
import { runPool } from './run-pool.js';

export async function bareExpressRequestsPerSecond(opts: { requests: number; concurrency: number }): Promise<number> {
  const app = express();
  app.post('/v2/echo', express.json(), (req, res) => {
    res.json({ ok: true, echoed: req.body as unknown });
  });
  const server = await new Promise<ReturnType<typeof app.listen>>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v2/echo`;
  const call = async (): Promise<void> => {
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a":1}' });
    await response.json();
  };
  try {
    await runPool(Math.min(500, opts.requests), opts.concurrency, call);
    const started = performance.now();
    await runPool(opts.requests, opts.concurrency, call);
    return opts.requests / ((performance.now() - started) / 1000);
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
