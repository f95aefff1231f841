import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { camundaFetch, camundaTransport } from './camunda-fetch.js';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

let server: Server | undefined;

afterEach(async () => {
  const running = server;
  server = undefined;
  if (!running) return;
  running.closeAllConnections();
  await new Promise((resolve) => running.close(resolve));
});

/** A server on a free port answering each request with `answer`; it records what it got and its connections. */
async function serve(answer: (seen: Seen, res: import('node:http').ServerResponse) => void): Promise<{ url: string; seen: Seen[]; connections: () => number }> {
  const seen: Seen[] = [];
  let connections = 0;
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const entry = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      seen.push(entry);
      answer(entry, res);
    });
  });
  server.on('connection', () => connections++);
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen, connections: () => connections };
}

describe('camundaTransport', () => {
  const basic = { ZEEBE_REST_ADDRESS: 'http://127.0.0.1:8080', CAMUNDA_AUTH_STRATEGY: 'BASIC', CAMUNDA_BASIC_AUTH_USERNAME: 'ops', CAMUNDA_BASIC_AUTH_PASSWORD: 'secret' };

  it('carries an HTTP Basic credential in its fetch, the client then running without its own auth', () => {
    const transport = camundaTransport(basic);
    expect(transport.fetch).toBeTypeOf('function');
    expect(transport.settings).toEqual({ ...basic, CAMUNDA_AUTH_STRATEGY: 'NONE' });
  });

  it('sends without a credential when there is none', () => {
    const settings = { ZEEBE_REST_ADDRESS: 'http://127.0.0.1:8080' };
    expect(camundaTransport(settings)).toEqual({ settings, fetch: expect.any(Function) });
  });

  it('leaves OAuth and https addresses to the SDK', () => {
    const oauth = { ZEEBE_REST_ADDRESS: 'http://127.0.0.1:8080', CAMUNDA_AUTH_STRATEGY: 'OAUTH' };
    expect(camundaTransport(oauth)).toEqual({ settings: oauth });
    const tls = { ...basic, ZEEBE_REST_ADDRESS: 'https://cluster.example' };
    expect(camundaTransport(tls)).toEqual({ settings: tls });
  });
});

describe('camundaFetch', () => {
  it('sends the request as built, with the credential, and answers with status, headers and body', async () => {
    const engine = await serve((_seen, res) => {
      res.writeHead(201, { 'content-type': 'application/json', 'x-trace': 'a' });
      res.end(JSON.stringify({ ok: true }));
    });
    const send = camundaFetch({ username: 'ops', password: 'secret' });
    const request = new Request(`${engine.url}/v2/user-tasks/search?x=1`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"filter":{}}' });

    const answer = await send(request);

    expect(answer.status).toBe(201);
    expect(answer.headers.get('content-type')).toBe('application/json');
    expect(answer.headers.get('x-trace')).toBe('a');
    expect(await answer.json()).toEqual({ ok: true });
    expect(engine.seen).toEqual([
      expect.objectContaining({ method: 'POST', url: '/v2/user-tasks/search?x=1', body: '{"filter":{}}' }),
    ]);
    expect(engine.seen[0]?.headers.authorization).toBe(`Basic ${Buffer.from('ops:secret').toString('base64')}`);
    expect(engine.seen[0]?.headers['content-type']).toBe('application/json');
  });

  it('keeps a credential the request already carries', async () => {
    const engine = await serve((_seen, res) => res.end('{}'));
    await camundaFetch({ username: 'ops', password: 'secret' })(engine.url, { headers: { authorization: 'Bearer t' } });
    expect(engine.seen[0]?.headers.authorization).toBe('Bearer t');
  });

  it('answers a 204 with no body, and an error status as it came', async () => {
    let status = 204;
    const engine = await serve((_seen, res) => {
      res.writeHead(status, status === 204 ? {} : { 'content-type': 'application/problem+json' });
      res.end(status === 204 ? undefined : JSON.stringify({ title: 'NOT_FOUND' }));
    });
    const send = camundaFetch();
    const empty = await send(`${engine.url}/v2/user-tasks/1/assignment`, { method: 'POST', body: '{}' });
    expect(empty.status).toBe(204);
    expect(empty.body).toBeNull();
    status = 404;
    const missing = await send(`${engine.url}/v2/user-tasks/1`);
    expect(missing.ok).toBe(false);
    expect(await missing.json()).toEqual({ title: 'NOT_FOUND' });
  });

  it('decodes a compressed answer, as fetch does', async () => {
    const engine = await serve((_seen, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
      res.end(gzipSync(JSON.stringify({ items: [1, 2] })));
    });
    const answer = await camundaFetch()(`${engine.url}/v2/user-tasks/search`, { method: 'POST', body: '{}' });
    expect(answer.headers.get('content-encoding')).toBeNull();
    expect(answer.headers.get('content-length')).toBe(String(JSON.stringify({ items: [1, 2] }).length));
    expect(await answer.json()).toEqual({ items: [1, 2] });
  });

  it('keeps the Content-Length of a plain answer (the SDK reads an empty 200 by it)', async () => {
    const engine = await serve((_seen, res) => {
      res.writeHead(200, { 'content-length': '0' });
      res.end();
    });
    const answer = await camundaFetch()(`${engine.url}/v2/user-tasks/1/assignment`, { method: 'POST', body: '{}' });
    expect(answer.headers.get('content-length')).toBe('0');
  });

  it('follows a redirect as fetch does', async () => {
    const engine = await serve((seen, res) => {
      if (seen.url === '/old/v2/topology') {
        res.writeHead(307, { location: '/v2/topology' });
        res.end();
      } else res.end(JSON.stringify({ at: seen.url, body: seen.body }));
    });
    const answer = await camundaFetch({ username: 'ops', password: 'secret' })(`${engine.url}/old/v2/topology`, { method: 'POST', body: '{"a":1}' });
    expect(await answer.json()).toEqual({ at: '/v2/topology', body: '{"a":1}' });
    expect(engine.seen.at(-1)?.headers.authorization).toBe(`Basic ${Buffer.from('ops:secret').toString('base64')}`);
  });

  it('reuses one connection for requests one after another', async () => {
    const engine = await serve((_seen, res) => res.end('{}'));
    const send = camundaFetch();
    for (let i = 0; i < 3; i++) await (await send(`${engine.url}/v2/topology`)).json();
    expect(engine.connections()).toBe(1);
  });

  it('fails on a network error as fetch does (TypeError "fetch failed" with the cause), so the SDK retries it', async () => {
    const engine = await serve((_seen, res) => res.end('{}'));
    const closed = engine.url;
    server?.close();
    server = undefined;
    await expect(camundaFetch()(`${closed}/v2/topology`)).rejects.toMatchObject({ name: 'TypeError', message: 'fetch failed', cause: expect.objectContaining({ code: 'ECONNREFUSED' }) });
  });

  it('gives up a request when its signal aborts (a long poll cancelled on stop)', async () => {
    const engine = await serve(() => undefined); // never answers
    const controller = new AbortController();
    const pending = camundaFetch()(`${engine.url}/v2/jobs/activation`, { method: 'POST', body: '{}', signal: controller.signal });
    await new Promise((resolve) => setTimeout(resolve, 50));
    controller.abort();
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
  });
});
