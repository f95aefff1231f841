/** The reference: a bare Express 5 app answering a JSON GET, in this process, measured under the same load. */
import type { AddressInfo } from 'node:net';
import express from 'express';

export async function startBareJsonServer(): Promise<{ url: string; stop(): Promise<void> }> {
  const app = express();
  app.get('/api/thing', (_req, res) => {
    res.json({ id: '3f2b7c1e-0000-4000-8000-000000000000', status: 'ANALYSIS_ACTIVE', version: 7 });
  });
  const server = await new Promise<ReturnType<typeof app.listen>>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/thing`,
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
