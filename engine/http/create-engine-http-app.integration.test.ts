import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineError } from '../errors.js';
import { sdkError, startTestServer, type TestServer } from './testing/start-test-server.js';

describe('createEngineHttpApp errors', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  it('answers an unknown route with a 404 problem+json', async () => {
    const res = await server.fetchRaw('/v2/no-such-thing', { method: 'POST' });
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await res.json()).toMatchObject({ type: 'about:blank', title: 'NOT_FOUND', status: 404, instance: '/v2/no-such-thing' });
  });

  it('answers malformed JSON with a 400 INVALID_ARGUMENT problem and calls nothing', async () => {
    const before = server.api.calls.length;
    const res = await server.fetchRaw('/v2/messages/publication', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"name": "x",',
    });
    expect(res.status).toBe(400);
    const problem = (await res.json()) as { title: string; detail: string };
    expect(problem.title).toBe('INVALID_ARGUMENT');
    expect(problem.detail).toMatch(/not valid JSON/);
    expect(server.api.calls.length).toBe(before);
  });

  it('answers a NUL byte or a lone surrogate anywhere in a body, a query or the path with 400 INVALID_ARGUMENT and calls nothing', async () => {
    const before = server.api.calls.length;
    const bodies = ['{"name": "a\\u0000", "correlationKey": "k"}', '{"name": "n", "correlationKey": "k", "variables": {"x": ["\\udc00"]}}'];
    for (const body of bodies) {
      const res = await server.fetchRaw('/v2/messages/publication', { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ title: 'INVALID_ARGUMENT', detail: expect.stringMatching(/'body\.(name|variables\.x\.0)'/) });
    }
    const path = await server.fetchRaw('/v2/process-instances/1%00', { method: 'GET' });
    expect(path.status).toBe(400);
    // Bytes that are not UTF-8 (a lone surrogate's encoding) in a path parameter: 400, not 500 (found by npm run test:fuzz).
    for (const url of ['/v2/process-instances/%ED%A0%80', '/v2/jobs/x%ED%A0%80/completion']) {
      const res = await server.fetchRaw(url, { method: url.endsWith('completion') ? 'POST' : 'GET' });
      expect(res.status, url).toBe(400);
      expect(await res.json()).toMatchObject({ title: 'INVALID_ARGUMENT' });
    }
    expect(server.api.calls.length).toBe(before);
  });

  it('answers refusals on the directly dispatched routes (create, activate, complete) as problem+json too', async () => {
    const before = server.api.calls.length;
    const post = (path: string, body: string, type = 'application/json') =>
      server.fetchRaw(path, { method: 'POST', headers: { 'content-type': type }, body });
    for (const [path, body] of [
      ['/v2/process-instances', '{}'],
      ['/v2/jobs/activation', '{"type": "t"}'],
      ['/v2/jobs/123/completion', '{"unknown": 1}'],
    ] as const) {
      const res = await post(path, body);
      expect(res.status, path).toBe(400);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(await res.json()).toMatchObject({ title: 'INVALID_ARGUMENT', instance: path });
      expect((await post(path, 'x', 'text/plain')).status, path).toBe(415);
    }
    expect(server.api.calls.length).toBe(before);
  });

  it('answers the hot routes (served before Express, hot-routes.ts) as Express answers every other route', async () => {
    const before = server.api.calls.length;
    const post = (path: string, body: string, headers: Record<string, string> = {}) =>
      server.fetchRaw(path, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
    const problem = async (res: Response) => ({ status: res.status, contentType: res.headers.get('content-type'), ...((await res.json()) as object) });
    // Malformed JSON, text PostgreSQL cannot store (escaped NUL, lone surrogate in a key), a charset other than UTF-8.
    expect(await problem(await post('/v2/jobs/1/completion', '{"variables": '))).toMatchObject({ status: 400, title: 'INVALID_ARGUMENT', detail: expect.stringMatching(/not valid JSON/) });
    expect(await problem(await post('/v2/jobs/1/completion', '{"variables": {"x": "a\\u0000"}}'))).toMatchObject({
      status: 400,
      contentType: 'application/problem+json; charset=utf-8',
      instance: '/v2/jobs/1/completion',
      detail: expect.stringMatching(/'body\.variables\.x' must not contain the NUL character/),
    });
    expect(await problem(await post('/v2/process-instances', '{"processDefinitionId": "p", "variables": {"\\ud800": 1}}'))).toMatchObject({ status: 400, detail: expect.stringMatching(/field name must be valid Unicode/) });
    expect(await problem(await post('/v2/jobs/activation', '{}', { 'content-type': 'application/json; charset=latin1' }))).toMatchObject({ status: 415 });
    // The guard's refusals: no credential, a foreign Origin.
    const anonymous = await fetch(`${server.url}/v2/jobs/1/completion`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toMatch(/^Basic /);
    expect((await post('/v2/jobs/activation', '{}', { origin: 'http://evil.example' })).status).toBe(403);
    expect(server.api.calls.length).toBe(before);
    // The engine's refusal of a valid request; a completion without a body reaches the engine too.
    server.api.failNext('completeJob', new EngineError('INVALID_STATE', 'job 7 is not activated'));
    expect(await problem(await post('/v2/jobs/7/completion', '{}'))).toMatchObject({ status: 409, title: 'INVALID_STATE', detail: 'job 7 is not activated', instance: '/v2/jobs/7/completion' });
    await server.fetchRaw('/v2/jobs/8/completion', { method: 'POST' });
    expect(server.api.callsOf('completeJob')).toEqual([['7', undefined], ['8', undefined]]);
    // The review decision's user task calls.
    expect(await problem(await post('/v2/user-tasks/5/completion', '{"variables": {"x": "\\u0000"}}'))).toMatchObject({ status: 400, detail: expect.stringMatching(/'body\.variables\.x'/) });
    expect(await problem(await post('/v2/user-tasks/search', '{"filter": {"nope": 1}}'))).toMatchObject({ status: 400, title: 'INVALID_ARGUMENT', instance: '/v2/user-tasks/search' });
    const search = await post('/v2/user-tasks/search', '{"filter": {"state": "CREATED"}}');
    expect(search.status).toBe(200);
    expect(search.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(await search.json()).toMatchObject({ items: [], page: { totalItems: 0 } });
    const task = await server.fetchRaw('/v2/user-tasks/404404', { method: 'GET' });
    expect(await problem(task)).toMatchObject({ status: 404, title: 'NOT_FOUND', instance: '/v2/user-tasks/404404' });
    const variables = await post('/v2/variables/search', '{"filter": {"processInstanceKey": "1"}}');
    expect(variables.status).toBe(200);
    expect(await variables.json()).toMatchObject({ items: [], page: { totalItems: 0 } });
    expect(await problem(await post('/v2/messages/correlation', '{"correlationKey": "k"}'))).toMatchObject({ status: 400, detail: expect.stringMatching(/'name'/) });
    const published = await post('/v2/messages/publication', '{"name": "paid", "correlationKey": "k"}');
    expect(published.status).toBe(200);
    expect(await published.json()).toMatchObject({ tenantId: '<default>', messageKey: expect.any(String) });
    expect(server.api.callsOf('publishMessage')).toHaveLength(1);
  });

  it('answers a non-JSON body on a JSON endpoint with 415', async () => {
    const res = await server.fetchRaw('/v2/messages/publication', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'hello' });
    expect(res.status).toBe(415);
    expect(((await res.json()) as { title: string }).title).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('maps an EngineError to its status and title through the client', async () => {
    server.api.failNext('publishMessage', new EngineError('ALREADY_EXISTS', 'message with id m-1 already published'));
    const err = await sdkError(() => server.client.publishMessage({ name: 'paid', correlationKey: 'k', messageId: 'm-1' }));
    expect(err).toMatchObject({ name: 'HttpSdkError', status: 409, title: 'ALREADY_EXISTS', detail: 'message with id m-1 already published' });
  });

  it('answers an unexpected exception with a 500 problem that leaks no internals', async () => {
    const original = server.api.broadcastSignal.bind(server.api);
    server.api.broadcastSignal = () => Promise.reject(new Error('db password is hunter2'));
    try {
      const res = await server.fetchRaw('/v2/signals/broadcast', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ signalName: 's' }),
      });
      expect(res.status).toBe(500);
      const problem = (await res.json()) as { title: string; detail: string };
      expect(problem.title).toBe('INTERNAL');
      expect(problem.detail).not.toMatch(/hunter2/);
    } finally {
      server.api.broadcastSignal = original;
    }
  });

  it('refuses a key in the path that is not a digit string', async () => {
    const err = await sdkError(() => server.client.getProcessInstance({ processInstanceKey: 'abc' as never }, { consistency: { waitUpToMs: 0 } }));
    expect(err).toMatchObject({ status: 400, title: 'INVALID_ARGUMENT' });
    expect(err.detail).toMatch(/processInstanceKey/);
  });
});
