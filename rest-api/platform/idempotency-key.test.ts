import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../shared/errors.js';
import { IDEMPOTENT_ROUTES, parseIdempotencyKey, requestFingerprint } from './idempotency-key.js';

describe('parseIdempotencyKey', () => {
  it('takes a bare key or a structured-field string, and no header as no key', () => {
    expect(parseIdempotencyKey('8e03978e-40d5-43e8-bc93-6894a57f9324')).toBe('8e03978e-40d5-43e8-bc93-6894a57f9324');
    expect(parseIdempotencyKey('"8e03978e"')).toBe('8e03978e');
    expect(parseIdempotencyKey(undefined)).toBeUndefined();
  });

  it.each(['', '""', ' ', 'with space', 'x'.repeat(256), 'tab\there', 'nul\u0000', 'ümlaut', '"a"b"'])('refuses %j with a 400 naming the header', (raw) => {
    let thrown: unknown;
    try {
      parseIdempotencyKey(raw);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ValidationError);
    expect((thrown as ValidationError).details).toEqual({ errors: [{ path: 'header.Idempotency-Key', message: expect.any(String) }] });
  });
});

describe('requestFingerprint', () => {
  it('is the same for the same request whatever the order of the object keys', () => {
    expect(requestFingerprint('post', '/permits', { title: 'T', nested: { b: 1, a: [1, { y: 2, x: 1 }] } })).toBe(
      requestFingerprint('POST', '/permits', { nested: { a: [1, { x: 1, y: 2 }], b: 1 }, title: 'T' }),
    );
  });

  it('differs for another body, another path, another method or an array in another order', () => {
    const base = requestFingerprint('POST', '/permits', { title: 'T' });
    expect(requestFingerprint('POST', '/permits', { title: 'U' })).not.toBe(base);
    expect(requestFingerprint('POST', '/permits/1/amendments', { title: 'T' })).not.toBe(base);
    expect(requestFingerprint('PUT', '/permits', { title: 'T' })).not.toBe(base);
    expect(requestFingerprint('POST', '/x', [1, 2])).not.toBe(requestFingerprint('POST', '/x', [2, 1]));
  });
});

describe('IDEMPOTENT_ROUTES', () => {
  it('covers the creating POSTs and nothing else', () => {
    const covered = (path: string) => IDEMPOTENT_ROUTES.some((route) => route.test(path));
    expect(['/permits', '/permits/', '/permits/p1/egress-requests', '/permits/p1/amendments'].every(covered)).toBe(true);
    expect(['/permits/p1', '/permits/p1/submit', '/permits/p1/egress-requests/r1/submit', '/tasks/1/complete'].some(covered)).toBe(false);
  });
});
