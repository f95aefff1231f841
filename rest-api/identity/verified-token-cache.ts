/**
 * Verified bearer tokens, remembered so a token is verified once rather than on every request (a signature check
 * is about a fifth of the CPU of a `GET /api/permits/{id}`). Bounded and least-recently-used first out; keyed by the
 * SHA-256 of the token, so the cache holds no usable token. An entry is forgotten at the token's `exp` (never
 * later, without the clock tolerance verification grants) and at most `maxAgeMs` after it was verified (default
 * 10 minutes, as long as jose keeps a fetched key set, so a key the issuer withdraws stops working as soon as
 * it would have without the cache). Concurrent requests with one token share one verification. Only successful
 * verifications are remembered: a refused token is verified (and refused) again each time.
 *
 *   const cache = createVerifiedTokenCache();
 *   const caller = await cache.verify(token, (t) => verifyWithJose(t)); // verifyWithJose answers { caller, exp }
 */
import { hash } from 'node:crypto';
import type { Caller } from './caller.js';

export interface VerifiedTokenCacheOptions {
  /** Tokens remembered at most (least recently used forgotten first). Default 10 000. */
  maxEntries?: number;
  /** Longest an entry is used after its verification, ms. Default 10 minutes. */
  maxAgeMs?: number;
  now?: () => number;
}

/** What a verification answers: the caller and the token's `exp` (seconds since the epoch). */
export interface Verified {
  caller: Caller;
  exp: number;
}

export interface VerifiedTokenCache {
  /** The caller of `token`: remembered, else from `verifyToken` (whose result is then remembered until it expires). */
  verify(token: string, verifyToken: (token: string) => Promise<Verified>): Promise<Caller>;
  /** Entries held now (for tests and metrics). */
  size(): number;
}

interface Entry {
  caller: Caller;
  /** Date.now() after which the entry is not used. */
  until: number;
}

export const DEFAULT_TOKEN_CACHE_ENTRIES = 10_000;
export const DEFAULT_TOKEN_CACHE_MAX_AGE_MS = 10 * 60_000;

export function createVerifiedTokenCache(options: VerifiedTokenCacheOptions = {}): VerifiedTokenCache {
  const maxEntries = options.maxEntries ?? DEFAULT_TOKEN_CACHE_ENTRIES;
  const maxAgeMs = options.maxAgeMs ?? DEFAULT_TOKEN_CACHE_MAX_AGE_MS;
  const now = options.now ?? Date.now;
  const entries = new Map<string, Entry>();
  const pending = new Map<string, Promise<Caller>>();

  // Each request gets its own copy: nothing a handler does to its caller reaches the next request.
  const copy = (caller: Caller): Caller => ({ ...caller, roles: [...caller.roles] });

  function remember(key: string, verified: Verified, verifiedAt: number): void {
    const until = Math.min(verified.exp * 1000, verifiedAt + maxAgeMs);
    if (until <= now()) return;
    entries.delete(key);
    entries.set(key, { caller: copy(verified.caller), until });
    while (entries.size > maxEntries) entries.delete(entries.keys().next().value as string);
  }

  return {
    async verify(token, verifyToken) {
      // One-shot hash: no Hash object per request.
      const key = hash('sha256', token, 'base64url');
      const entry = entries.get(key);
      if (entry) {
        if (now() < entry.until) {
          // Most recently used last: Map keeps insertion order.
          entries.delete(key);
          entries.set(key, entry);
          return copy(entry.caller);
        }
        entries.delete(key);
      }
      let running = pending.get(key);
      if (!running) {
        const verifiedAt = now();
        running = verifyToken(token).then((verified) => {
          remember(key, verified, verifiedAt);
          return verified.caller;
        });
        pending.set(key, running);
        const forget = (): void => void pending.delete(key);
        running.then(forget, forget);
      }
      return copy(await running);
    },
    size: () => entries.size,
  };
}
