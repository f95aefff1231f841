import { describe, expect, it } from 'vitest';
import { findUnstorableText, unstorableReason } from './storable-text.js';

describe('storable text', () => {
  it('accepts ordinary text, emoji (surrogate pairs), newlines and tabs', () => {
    for (const text of ['Diabetes outcomes', 'ü ß 日本', 'a 😀 b', 'line 1\nline 2\t.']) expect(unstorableReason(text)).toBeUndefined();
  });

  it('refuses NUL and lone surrogates, high or low', () => {
    expect(unstorableReason('a\u0000b')).toMatch(/NUL/);
    expect(unstorableReason('\ud800')).toMatch(/surrogate/);
    expect(unstorableReason('x\udc00y')).toMatch(/surrogate/);
    expect(unstorableReason('\ud83d\ude00\ud83d')).toMatch(/surrogate/);
  });

  it('names every offending value and key by its dotted path', () => {
    const found = findUnstorableText({ title: 'ok', manifest: { files: [{ path: 'a\u0000' }, { path: 'b' }] }, ['k\u0000']: 1 }, 'body');
    expect(found.map((f) => f.path)).toEqual(['body.manifest.files.0.path', 'body.k\\u0000']);
  });
});
