/**
 * Rate-limit counters in this process (one instance, or PGlite): a fixed window per key that starts with the key's
 * first hit, as express-rate-limit's MemoryStore counts. `increment` answers at once (no promise), so a request
 * passes the limiter without a turn of the event loop. Expired keys are swept once per window.
 */
import type { ClientRateLimitInfo, Options, Store } from 'express-rate-limit';

interface Counter {
  hits: number;
  resetTime: Date;
}

/** A `Store` whose `increment` answers at once. */
export interface MemoryRateLimitStore extends Store {
  increment(key: string): ClientRateLimitInfo;
}

export function createMemoryRateLimitStore(now: () => number = Date.now): MemoryRateLimitStore {
  let windowMs = 60_000;
  let sweeper: NodeJS.Timeout | undefined;
  const counters = new Map<string, Counter>();
  const current = (key: string): Counter | undefined => {
    const counter = counters.get(key);
    return counter && counter.resetTime.getTime() > now() ? counter : undefined;
  };

  return {
    localKeys: true,
    init(options: Options) {
      windowMs = options.windowMs;
      sweeper = setInterval(() => {
        for (const [key, counter] of counters) if (counter.resetTime.getTime() <= now()) counters.delete(key);
      }, windowMs);
      sweeper.unref();
    },
    get(key) {
      const counter = current(key);
      return counter ? { totalHits: counter.hits, resetTime: counter.resetTime } : undefined;
    },
    increment(key) {
      let counter = current(key);
      if (!counter) {
        counter = { hits: 0, resetTime: new Date(now() + windowMs) };
        counters.set(key, counter);
      }
      counter.hits += 1;
      return { totalHits: counter.hits, resetTime: counter.resetTime };
    },
    decrement(key) {
      const counter = current(key);
      if (counter && counter.hits > 0) counter.hits -= 1;
    },
    resetKey(key) {
      counters.delete(key);
    },
    resetAll() {
      counters.clear();
    },
    shutdown() {
      clearInterval(sweeper);
    },
  };
}
