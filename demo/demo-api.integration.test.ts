/**
 * The demo's client against a real HTTP server on loopback: a change answered 503 is reported as possibly done
 * (lost in flight) for the runner to check and redo, a read answered 503 is passed on as it is, and the
 * Idempotency-Key of a create goes out as the header.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDemoApi } from './demo-api.js';

let server: Server;
let baseUrl: string;
const seen: Array<{ method: string; url: string; headers: IncomingHttpHeaders }> = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
    if (req.url === '/api/dev-auth/token') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ access_token: 't', expires_in: 3600 }));
      return;
    }
    res.writeHead(503, { 'content-type': 'application/problem+json' }).end(JSON.stringify({ status: 503, detail: 'could not complete user task: DEADLINE_EXCEEDED' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('demo API client', () => {
  it('reports a change answered 503 as lost in flight, with the platform’s detail', async () => {
    const api = createDemoApi({ baseUrl });
    const answer = await api.call('alice', 'POST', '/tasks/1/complete', { variables: {} });
    expect(answer).toEqual({
      status: -1,
      lostInFlight: true,
      body: { detail: 'the platform answered 503 (could not complete user task: DEADLINE_EXCEEDED); it may or may not have taken effect' },
    });
  });

  it('passes a read answered 503 on as it is', async () => {
    const answer = await createDemoApi({ baseUrl }).call('alice', 'GET', '/permits');
    expect([answer.status, answer.lostInFlight]).toEqual([503, false]);
  });

  it('sends the Idempotency-Key of a create', async () => {
    await createDemoApi({ baseUrl }).call('alice', 'POST', '/permits', { title: 'x' }, { idempotencyKey: 'demo-create-abc' });
    const create = seen.filter((r) => r.method === 'POST' && r.url === '/api/permits').at(-1);
    expect(create?.headers['idempotency-key']).toBe('demo-create-abc');
  });
});
