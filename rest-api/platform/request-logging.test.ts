import { EventEmitter } from 'node:events';
import type { Request, Response } from 'express';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { CORRELATION_HEADER, correlationIdOf, createRequestLogging, loggerOf } from './request-logging.js';

function run(offered?: string, level = 'info') {
  const lines: Record<string, unknown>[] = [];
  const logger = pino({ level }, { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) });
  const headers: Record<string, string> = {};
  const req = { method: 'GET', originalUrl: '/api/permits?status=DRAFT', get: (name: string) => (name === CORRELATION_HEADER ? offered : undefined) } as unknown as Request;
  const res = Object.assign(new EventEmitter(), {
    locals: {} as Record<string, unknown>,
    statusCode: 200,
    setHeader: (name: string, value: string) => {
      headers[name] = value;
    },
  }) as unknown as Response;
  let nextCalled = false;
  createRequestLogging(logger)(req, res, () => {
    nextCalled = true;
  });
  return { lines, headers, res, nextCalled };
}

describe('createRequestLogging', () => {
  it('keeps a sane correlation id the caller sent and echoes it', () => {
    const { headers, res, nextCalled } = run('portal-42.abc');
    expect(nextCalled).toBe(true);
    expect(headers[CORRELATION_HEADER]).toBe('portal-42.abc');
    expect(correlationIdOf(res)).toBe('portal-42.abc');
  });

  it.each([undefined, '', 'has spaces', 'x'.repeat(129), 'evil\nnewline'])('generates a UUID instead of %j', (offered) => {
    const { headers } = run(offered);
    expect(headers[CORRELATION_HEADER]).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('binds the correlation id to the request logger', () => {
    const { lines, res } = run('corr-1');
    loggerOf(res).info({ permitId: 'p1' }, 'something happened');
    expect(lines).toEqual([expect.objectContaining({ correlationId: 'corr-1', permitId: 'p1', msg: 'something happened' })]);
  });

  it('logs one line per finished request with method, path (no query), status, duration and user', () => {
    const { lines, res } = run('corr-2');
    res.locals.caller = { userId: 'alice' };
    res.statusCode = 201;
    res.emit('finish');
    expect(lines).toEqual([
      expect.objectContaining({ level: 30, correlationId: 'corr-2', method: 'GET', path: '/api/permits', status: 201, durationMs: expect.any(Number), userId: 'alice', msg: 'request completed' }),
    ]);
  });

  it('makes the request logger on first use only, and the same one after', () => {
    const { res } = run('corr-3');
    expect(res.locals.log).toBeUndefined();
    const log = loggerOf(res);
    expect(loggerOf(res)).toBe(log);
  });

  it('writes nothing for a finished request when its level is off, and still logs its server error', () => {
    const ok = run('corr-4', 'warn');
    ok.res.emit('finish');
    expect(ok.lines).toEqual([]);
    const failed = run('corr-5', 'warn');
    failed.res.statusCode = 500;
    failed.res.emit('finish');
    expect(failed.lines).toEqual([expect.objectContaining({ level: 50, correlationId: 'corr-5', status: 500, msg: 'request completed' })]);
  });

  it('logs server errors at error level', () => {
    const { lines, res } = run();
    res.statusCode = 500;
    res.emit('finish');
    expect(lines[0]?.level).toBe(50);
  });
});

describe('loggerOf', () => {
  it('gives a silent logger when the middleware did not run', () => {
    expect(() => loggerOf({ locals: {} } as Response).info('nothing')).not.toThrow();
  });
});
