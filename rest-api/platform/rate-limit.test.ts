import type { Request, Response } from 'express';
import type { ClientRateLimitInfo, Store } from 'express-rate-limit';
import { describe, expect, it } from 'vitest';
import type { Caller } from '../identity/caller.js';
import { createMemoryRateLimitStore } from './memory-rate-limit-store.js';
import { HttpProblemError } from './problem.js';
import { createRateLimit } from './rate-limit.js';

const alice: Caller = { userId: 'alice', name: 'Alice', roles: ['researcher'] };

function request(options: { caller?: Caller; path?: string; ip?: string } = {}) {
  const headers: Record<string, string> = {};
  const req = { path: options.path ?? '/permits', ip: options.ip ?? '127.0.0.1' } as Request;
  const res = {
    locals: options.caller ? { caller: options.caller } : {},
    headersSent: false,
    setHeader: (name: string, value: string) => void (headers[name] = value),
  } as unknown as Response;
  return { req, res, headers };
}

/** Runs the limiter once; `sync` says whether it passed on in the same turn. */
async function pass(limiter: ReturnType<typeof createRateLimit>, options: Parameters<typeof request>[0] = {}) {
  const { req, res, headers } = request(options);
  let sync = false;
  const error = await new Promise<unknown>((resolve) => {
    let called = false;
    void limiter(req, res, (passed?: unknown) => {
      called = true;
      resolve(passed);
    });
    sync = called;
  });
  return { error, headers, sync };
}

describe('createRateLimit', () => {
  it('passes a caller under the limit in the same turn, with the draft-8 headers express-rate-limit wrote', async () => {
    const limiter = createRateLimit({ perMinute: 3 });
    const first = await pass(limiter, { caller: alice });
    expect(first.error).toBeUndefined();
    expect(first.sync).toBe(true);
    expect(first.headers.RateLimit).toBe('"per-caller"; r=2; t=60');
    // pk: base64 of the first 12 hex digits of sha256('user:alice').
    expect(first.headers['RateLimit-Policy']).toBe('"per-caller"; q=3; w=60; pk=:ZGFiZDFkYjhkMzVh:');
    expect((await pass(limiter, { caller: alice })).headers.RateLimit).toBe('"per-caller"; r=1; t=60');
  });

  it('answers 429 rate-limited with Retry-After once a caller is over the limit; others keep their own budget', async () => {
    const limiter = createRateLimit({ perMinute: 2 });
    await pass(limiter, { caller: alice });
    await pass(limiter, { caller: alice });
    const over = await pass(limiter, { caller: alice });
    expect(over.error).toBeInstanceOf(HttpProblemError);
    expect((over.error as Error).message).toMatch(/Too many requests from user alice: the limit is 2 per minute\. Retry after 60 seconds\./);
    expect(over.headers['Retry-After']).toBe('60');
    expect(over.headers.RateLimit).toBe('"per-caller"; r=0; t=60');
    expect((await pass(limiter, { caller: { ...alice, userId: 'rita' } })).error).toBeUndefined();
    // Anonymous requests count by address.
    await pass(limiter, { ip: '10.0.0.1' });
    await pass(limiter, { ip: '10.0.0.1' });
    expect(((await pass(limiter, { ip: '10.0.0.1' })).error as Error).message).toMatch(/from address 10\.0\.0\.1/);
  });

  it('never limits the exempt paths', async () => {
    const limiter = createRateLimit({ perMinute: 1, exempt: ['/health'] });
    for (let i = 0; i < 3; i += 1) expect((await pass(limiter, { path: '/health' })).error).toBeUndefined();
  });

  it('waits for a store that answers later, and passes its failure on as the error', async () => {
    let fail = false;
    const store = {
      increment: (): Promise<ClientRateLimitInfo> => (fail ? Promise.reject(new Error('database away')) : Promise.resolve({ totalHits: 1, resetTime: new Date(Date.now() + 30_000) })),
    } as unknown as Store;
    const limiter = createRateLimit({ perMinute: 5, store });
    const later = await pass(limiter, { caller: alice });
    expect(later).toMatchObject({ error: undefined, sync: false });
    expect(later.headers.RateLimit).toBe('"per-caller"; r=4; t=30');
    fail = true;
    expect(((await pass(limiter, { caller: alice })).error as Error).message).toBe('database away');
  });
});

describe('createMemoryRateLimitStore', () => {
  it('counts a fixed window per key from its first hit, then starts again', () => {
    let clock = 1_000_000;
    const store = createMemoryRateLimitStore(() => clock);
    void store.init?.({ windowMs: 60_000 } as never);
    expect(store.increment('a')).toEqual({ totalHits: 1, resetTime: new Date(1_060_000) });
    clock += 59_999;
    expect(store.increment('a').totalHits).toBe(2);
    expect(store.increment('b').totalHits).toBe(1);
    clock += 1;
    expect(store.increment('a')).toEqual({ totalHits: 1, resetTime: new Date(1_120_000) });
    void store.shutdown?.();
  });
});
