import { describe, expect, it } from 'vitest';
import { fmt, percentile } from './report.js';

describe('percentile', () => {
  it('uses the nearest rank of a sorted sample', () => {
    const sorted = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(sorted, 50)).toBe(50);
    expect(percentile(sorted, 99)).toBe(99);
    expect(percentile(sorted, 100)).toBe(100);
  });

  it('returns the only value of a one-element sample and NaN for none', () => {
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([], 50)).toBeNaN();
  });
});

describe('fmt.bytes', () => {
  it('prints small sizes in bytes and larger ones in KB', () => {
    expect(fmt.bytes(512)).toBe('512 B');
    expect(fmt.bytes(20 * 1024)).toBe('20.0 KB');
  });
});
