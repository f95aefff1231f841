import { describe, expect, it } from 'vitest';
import { retryBackOffMs } from './retry-back-off.js';

describe('retryBackOffMs', () => {
  it('doubles as the retries run down from the expected three', () => {
    expect([3, 2, 1].map((left) => retryBackOffMs(left))).toEqual([1000, 2000, 4000]);
  });

  it('starts at the base for tasks with more retries and never exceeds the cap', () => {
    expect(retryBackOffMs(10)).toBe(1000);
    expect(retryBackOffMs(0, { baseMs: 1000, maxMs: 5000, expectedRetries: 10 })).toBe(5000);
  });
});
