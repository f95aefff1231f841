import { describe, expect, it } from 'vitest';
import type { Caller } from './caller.js';
import { createVerifiedTokenCache, type Verified } from './verified-token-cache.js';

const rita: Caller = { userId: 'rita', name: 'Rita Hansen', roles: ['hdab-reviewer'] };

/** A clock the test moves, and a verifier that counts its calls and answers `exp` seconds from the clock's start. */
function setUp(options: { expInSeconds?: number; maxEntries?: number; maxAgeMs?: number } = {}) {
  let nowMs = 1_000_000_000_000;
  const calls: string[] = [];
  const cache = createVerifiedTokenCache({ now: () => nowMs, maxEntries: options.maxEntries ?? 10, maxAgeMs: options.maxAgeMs ?? 600_000 });
  const verifyToken = (token: string): Promise<Verified> => {
    calls.push(token);
    return Promise.resolve({ caller: { ...rita, userId: token }, exp: nowMs / 1000 + (options.expInSeconds ?? 300) });
  };
  return { cache, calls, verifyToken, advance: (ms: number) => void (nowMs += ms) };
}

describe('createVerifiedTokenCache', () => {
  it('verifies a token once and answers the same caller on the next requests', async () => {
    const { cache, calls, verifyToken } = setUp();
    expect(await cache.verify('t1', verifyToken)).toEqual({ ...rita, userId: 't1' });
    expect(await cache.verify('t1', verifyToken)).toEqual({ ...rita, userId: 't1' });
    expect(calls).toEqual(['t1']);
  });

  it("never answers from the cache at or past the token's exp", async () => {
    const { cache, calls, verifyToken, advance } = setUp({ expInSeconds: 60 });
    await cache.verify('t1', verifyToken);
    advance(59_999);
    await cache.verify('t1', verifyToken);
    expect(calls).toEqual(['t1']);
    advance(1);
    await cache.verify('t1', verifyToken);
    expect(calls).toEqual(['t1', 't1']);
  });

  it('verifies again after maxAgeMs even when the token lives longer', async () => {
    const { cache, calls, verifyToken, advance } = setUp({ expInSeconds: 3600, maxAgeMs: 1000 });
    await cache.verify('t1', verifyToken);
    advance(1000);
    await cache.verify('t1', verifyToken);
    expect(calls).toEqual(['t1', 't1']);
  });

  it('does not remember a token that has already expired when its verification answers', async () => {
    const { cache, calls, verifyToken } = setUp({ expInSeconds: 0 });
    await cache.verify('t1', verifyToken);
    await cache.verify('t1', verifyToken);
    expect(calls).toEqual(['t1', 't1']);
    expect(cache.size()).toBe(0);
  });

  it('holds at most maxEntries tokens, forgetting the least recently used first', async () => {
    const { cache, calls, verifyToken } = setUp({ maxEntries: 2 });
    await cache.verify('a', verifyToken);
    await cache.verify('b', verifyToken);
    await cache.verify('a', verifyToken); // a is now the most recently used
    await cache.verify('c', verifyToken); // b goes
    expect(cache.size()).toBe(2);
    await cache.verify('a', verifyToken);
    await cache.verify('b', verifyToken);
    expect(calls).toEqual(['a', 'b', 'c', 'b']);
  });

  it('remembers no refusal: a refused token is verified (and refused) every time', async () => {
    const cache = createVerifiedTokenCache();
    let calls = 0;
    const refuse = () => {
      calls++;
      return Promise.reject(new Error('The token signature does not verify'));
    };
    await expect(cache.verify('bad', refuse)).rejects.toThrow('does not verify');
    await expect(cache.verify('bad', refuse)).rejects.toThrow('does not verify');
    expect(calls).toBe(2);
    expect(cache.size()).toBe(0);
  });

  it('shares one verification between concurrent requests with the same token', async () => {
    const { cache, calls, verifyToken } = setUp();
    const callers = await Promise.all(Array.from({ length: 5 }, () => cache.verify('t1', verifyToken)));
    expect(calls).toEqual(['t1']);
    expect(new Set(callers.map((c) => c.userId))).toEqual(new Set(['t1']));
  });

  it('gives each request its own copy of the caller', async () => {
    const { cache, verifyToken } = setUp();
    const first = await cache.verify('t1', verifyToken);
    first.roles.push('admin');
    expect((await cache.verify('t1', verifyToken)).roles).toEqual(['hdab-reviewer']);
  });
});
