import { describe, expect, it } from 'vitest';
import { isSafeRelativePath, unsafePathReason } from './safe-relative-path.js';

describe('the one safe relative path rule', () => {
  it.each(['tables/summary.csv', 'a.csv', 'results/2027/fig-1.png', 'x-y/-z'.replace('/-z', '/z'), 'naïve/日本.txt'])('accepts %s', (path) => {
    expect(unsafePathReason(path)).toBeUndefined();
  });

  it.each([
    ['', /empty/],
    ['/etc/passwd', /relative/],
    ['..\\..\\x', /backslashes/],
    ['a\nb.csv', /control characters/],
    ['a\u0000b', /control characters/],
    ['-rf', /starting with "-"/],
    ['out/--force.csv', /starting with "-"/],
    ['a//b', /empty segments/],
    ['a/', /empty segments/],
    ['../secret', /"\.\."/],
    ['a/./b', /"\."/],
    ['x'.repeat(1001), /at most 1000/],
  ])('refuses %j', (path, reason) => {
    expect(unsafePathReason(path)).toMatch(reason);
    expect(isSafeRelativePath(path)).toBe(false);
  });
});
