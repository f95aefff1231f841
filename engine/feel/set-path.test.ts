import { describe, expect, it } from 'vitest';
import { setPath } from './index.js';

describe('setPath', () => {
  it('sets a top-level variable', () => {
    const target: Record<string, unknown> = {};
    setPath(target, 'a', 1);
    expect(target).toEqual({ a: 1 });
  });

  it('creates nested contexts for a dotted path', () => {
    const target: Record<string, unknown> = {};
    setPath(target, 'a.b.c', 'x');
    expect(target).toEqual({ a: { b: { c: 'x' } } });
  });

  it('keeps sibling entries and never mutates the existing nested value', () => {
    const original = { b: { c: 1, d: 2 }, e: 3 };
    const target: Record<string, unknown> = { a: original };
    setPath(target, 'a.b.c', 9);
    expect(target).toEqual({ a: { b: { c: 9, d: 2 }, e: 3 } });
    expect(original).toEqual({ b: { c: 1, d: 2 }, e: 3 });
  });

  it('replaces non-context values on the way', () => {
    const target: Record<string, unknown> = { a: 5 };
    setPath(target, 'a.b', 1);
    expect(target).toEqual({ a: { b: 1 } });
  });

  it('rejects empty path segments', () => {
    expect(() => setPath({}, 'a..b', 1)).toThrow(/invalid variable path/);
  });
});
