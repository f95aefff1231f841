import { describe, expect, it } from 'vitest';
import { canonicalJson } from './canonical-json.js';

describe('canonicalJson', () => {
  it('sorts object keys at every depth and writes no whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: true, y: null }], c: 'x' } })).toBe('{"a":{"c":"x","d":[3,{"y":null,"z":true}]},"b":1}');
  });

  it('gives the same text for objects that differ only in key order', () => {
    expect(canonicalJson({ x: 1, y: [1, 2], z: { q: 1, p: 2 } })).toBe(canonicalJson({ z: { p: 2, q: 1 }, y: [1, 2], x: 1 }));
  });

  it('keeps array order', () => {
    expect(canonicalJson([3, 1, 2])).toBe('[3,1,2]');
  });

  it('sorts keys by UTF-16 code units (upper case before lower case, digits first)', () => {
    expect(canonicalJson({ b: 0, B: 0, a: 0, '1': 0, é: 0 })).toBe('{"1":0,"B":0,"a":0,"b":0,"é":0}');
  });

  it('writes strings and numbers as JSON.stringify does', () => {
    expect(canonicalJson('line\n"quoted" \u2028')).toBe(JSON.stringify('line\n"quoted" \u2028'));
    expect(canonicalJson([0.1 + 0.2, 1e21, -0, 5e-324, 100])).toBe('[0.30000000000000004,1e+21,0,5e-324,100]');
  });

  it('leaves out undefined members, turns undefined array elements into null and honours toJSON', () => {
    expect(canonicalJson({ a: undefined, b: [undefined, () => 1], at: new Date('2026-01-02T03:04:05.006Z') })).toBe(
      '{"at":"2026-01-02T03:04:05.006Z","b":[null,null]}',
    );
  });

  it('writes empty containers and scalars at the top level', () => {
    expect(canonicalJson({})).toBe('{}');
    expect(canonicalJson([])).toBe('[]');
    expect(canonicalJson(null)).toBe('null');
    expect(canonicalJson('x')).toBe('"x"');
  });

  it('refuses values with no faithful JSON form', () => {
    expect(() => canonicalJson({ n: Number.NaN })).toThrow(/NaN has no JSON form/);
    expect(() => canonicalJson([Number.POSITIVE_INFINITY])).toThrow(/Infinity has no JSON form/);
    expect(() => canonicalJson({ n: 1n })).toThrow(/bigint/);
    expect(() => canonicalJson(undefined)).toThrow(/no JSON form/);
  });

  it('refuses cycles but accepts the same object twice side by side', () => {
    const shared = { v: 1 };
    expect(canonicalJson({ a: shared, b: shared })).toBe('{"a":{"v":1},"b":{"v":1}}');
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => canonicalJson(cyclic)).toThrow(/cycle/);
  });
});
