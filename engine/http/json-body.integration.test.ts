import type { AddressInfo } from 'node:net';
import express, { type NextFunction, type Request, type Response } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_JSON_DEPTH, isJsonContentType, nestsDeeperThan, parseByteLimit, parseJsonBody, readJsonBody } from './json-body.js';
import { sendProblem, toProblem } from './problem.js';

describe('json-body helpers', () => {
  it('reads limits as body-parser wrote them', () => {
    expect(parseByteLimit('16mb')).toBe(16 * 1024 * 1024);
    expect(parseByteLimit('100kb')).toBe(102_400);
    expect(parseByteLimit('512')).toBe(512);
    expect(parseByteLimit(64)).toBe(64);
    expect(() => parseByteLimit('lots')).toThrow(/not a size/);
  });

  it('knows JSON media types', () => {
    expect(isJsonContentType('application/json')).toBe(true);
    expect(isJsonContentType('Application/JSON; charset=utf-8')).toBe(true);
    expect(isJsonContentType('application/problem+json')).toBe(true);
    expect(isJsonContentType('text/plain')).toBe(false);
    expect(isJsonContentType('application/jsonx')).toBe(false);
    expect(isJsonContentType(undefined)).toBe(false);
  });

  it('takes objects and arrays only, an empty body as {}', () => {
    expect(parseJsonBody(' {"a":1}')).toEqual({ a: 1 });
    expect(parseJsonBody('[1]')).toEqual([1]);
    expect(parseJsonBody('  ')).toEqual({});
    expect(() => parseJsonBody('"x"')).toThrow(/not valid JSON: it must be an object or an array/);
    expect(() => parseJsonBody('{"a":')).toThrow(/not valid JSON/);
  });

  it('refuses a body nested deeper than 1000 levels before parsing it (10,000 levels overflowed the engine stack: a 500)', () => {
    const nested = (levels: number): string => `${'{"a":'.repeat(levels - 1)}{"a":1}${'}'.repeat(levels - 1)}`;
    expect(parseJsonBody(nested(MAX_JSON_DEPTH))).toBeTypeOf('object');
    expect(() => parseJsonBody(nested(MAX_JSON_DEPTH + 1))).toThrow(/more than 1000 levels deep/);
    expect(() => parseJsonBody(`{"v":${'['.repeat(10_000)}${']'.repeat(10_000)}}`)).toThrow(/more than 1000 levels deep/);
    // Brackets inside strings, escaped quotes included, are text, not nesting.
    expect(nestsDeeperThan(`{"s":"${'['.repeat(5000)}\\\\\\"${'{'.repeat(5000)}"}`, 2)).toBe(false);
    expect(nestsDeeperThan('[[[]]]', 2)).toBe(true);
  });
});

describe('readJsonBody over HTTP', () => {
  let url: string;
  let close: () => Promise<void>;
  beforeAll(async () => {
    const app = express();
    app.use(readJsonBody('64b'));
    app.post('/echo', (req: Request, res: Response) => {
      res.json({ body: req.body ?? null });
    });
    app.use((err: unknown, req: Request, res: Response, _next: NextFunction) => sendProblem(res, toProblem(err, req.path).problem));
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    close = () => new Promise((resolve) => server.close(() => resolve()));
  });
  afterAll(() => close());

  const post = (body: string, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
    fetch(`${url}/echo`, { method: 'POST', headers, body });

  it('parses a JSON body, in one chunk or streamed', async () => {
    expect(await (await post('{"a":[1,2]}')).json()).toEqual({ body: { a: [1, 2] } });
    const streamed = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{"b":'));
        controller.enqueue(new TextEncoder().encode('"é"}'));
        controller.close();
      },
    });
    const res = await fetch(`${url}/echo`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: streamed, duplex: 'half' } as RequestInit);
    expect(await res.json()).toEqual({ body: { b: 'é' } });
  });

  it('leaves bodies of other types unread', async () => {
    expect(await (await post('hello', { 'content-type': 'text/plain' })).json()).toEqual({ body: null });
  });

  it('answers 400 for broken JSON, 413 above the limit, 415 for compressed or non-UTF-8 bodies', async () => {
    const broken = await post('{"a":');
    expect(broken.status).toBe(400);
    expect(await broken.json()).toMatchObject({ title: 'INVALID_ARGUMENT', detail: expect.stringMatching(/not valid JSON/) });
    const large = await post(JSON.stringify({ a: 'x'.repeat(100) }));
    expect(large.status).toBe(413);
    expect(await large.json()).toMatchObject({ title: 'PAYLOAD_TOO_LARGE', detail: expect.stringMatching(/limit is 64 bytes/) });
    const gzip = await post('{}', { 'content-type': 'application/json', 'content-encoding': 'gzip' });
    expect(gzip.status).toBe(415);
    const latin1 = await post('{}', { 'content-type': 'application/json; charset=latin1' });
    expect(latin1.status).toBe(415);
    expect(await latin1.json()).toMatchObject({ title: 'UNSUPPORTED_MEDIA_TYPE', detail: expect.stringMatching(/UTF-8/) });
  });
});
