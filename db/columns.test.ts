import { describe, expect, it } from 'vitest';
import { toIso, toIsoOrNull, toNumber } from './columns.js';

describe('column values', () => {
  it('turn bigint columns into numbers whether the driver gave a string (pg) or a number (PGlite)', () => {
    expect(toNumber('42')).toBe(42);
    expect(toNumber(42)).toBe(42);
    expect(() => toNumber('9223372036854775807')).toThrow('Not a safe integer');
  });

  it('turn timestamps into ISO 8601 strings, and refuse a value that is no timestamp', () => {
    expect(toIso(new Date('2026-04-01T08:30:00.123Z'))).toBe('2026-04-01T08:30:00.123Z');
    expect(toIso('2027-04-01 00:00:00+00')).toBe('2027-04-01T00:00:00.000Z');
    expect(toIsoOrNull(null)).toBeNull();
    expect(() => toIso('yesterday')).toThrow('Not a timestamp: yesterday');
  });
});
