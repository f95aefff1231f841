import type { Request } from 'express';
import { describe, expect, it } from 'vitest';
import { PreconditionFailedError, ValidationError } from '../../shared/index.js';
import { etagOf, ifMatchVersion, parseIfMatch, requireIfMatch } from './etag.js';

const withIfMatch = (value?: string) => ({ get: (name: string) => (name.toLowerCase() === 'if-match' ? value : undefined) }) as unknown as Request;

describe('etagOf', () => {
  it('quotes the version', () => {
    expect(etagOf(7)).toBe('"7"');
  });
});

describe('parseIfMatch', () => {
  it('reads absent, any and tag lists', () => {
    expect(parseIfMatch(undefined)).toEqual({ kind: 'absent' });
    expect(parseIfMatch(' * ')).toEqual({ kind: 'any' });
    expect(parseIfMatch('"3", W/"4" ,"5"')).toEqual({
      kind: 'tags',
      tags: [
        { weak: false, value: '3' },
        { weak: true, value: '4' },
        { weak: false, value: '5' },
      ],
    });
  });

  it.each(['3', '"3" junk', 'W/3', '"3" "4"'])('refuses the malformed header %s with a 400', (header) => {
    expect(() => parseIfMatch(header)).toThrow(ValidationError);
  });
});

describe('requireIfMatch', () => {
  it('lets a request without If-Match through (If-Match is optional)', () => {
    expect(() => requireIfMatch(withIfMatch(undefined), 3)).not.toThrow();
  });

  it('lets the current version and * through', () => {
    expect(() => requireIfMatch(withIfMatch('"3"'), 3)).not.toThrow();
    expect(() => requireIfMatch(withIfMatch('"2", "3"'), 3)).not.toThrow();
    expect(() => requireIfMatch(withIfMatch('*'), 3)).not.toThrow();
  });

  it('answers 412 for a stale version, naming the current ETag', () => {
    let thrown: unknown;
    try {
      requireIfMatch(withIfMatch('"2"'), 3);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(PreconditionFailedError);
    expect((thrown as PreconditionFailedError).details).toEqual({ currentVersion: 3, currentETag: '"3"' });
  });

  it('never matches a weak tag', () => {
    expect(() => requireIfMatch(withIfMatch('W/"3"'), 3)).toThrow(PreconditionFailedError);
  });
});

describe('ifMatchVersion', () => {
  it('gives the version of a single strong tag', () => {
    expect(ifMatchVersion(withIfMatch('"12"'))).toBe(12);
  });

  it('gives undefined without If-Match or with *', () => {
    expect(ifMatchVersion(withIfMatch(undefined))).toBeUndefined();
    expect(ifMatchVersion(withIfMatch('*'))).toBeUndefined();
  });

  it.each(['"abc"', 'W/"3"', '"3", "4"', '"0"'])('answers 412 for %s, which names no version', (header) => {
    expect(() => ifMatchVersion(withIfMatch(header))).toThrow(PreconditionFailedError);
  });
});
