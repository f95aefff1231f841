import { describe, expect, it } from 'vitest';
import { credentialCheck, parseBasicAuthorization } from './require-basic-auth.js';
import { allowedHostNames, normalizeHostName, parseHostHeader } from './refuse-foreign-requests.js';

const basic = (text: string): string => `Basic ${Buffer.from(text).toString('base64')}`;

describe('parseBasicAuthorization', () => {
  it('reads user and password (the password may contain colons)', () => {
    expect(parseBasicAuthorization(basic('ops:pa:ss'))).toEqual({ username: 'ops', password: 'pa:ss' });
    expect(parseBasicAuthorization(`basic ${Buffer.from('ops:x').toString('base64')}`)).toEqual({ username: 'ops', password: 'x' });
  });

  it('gives nothing for absent, other schemes and malformed values', () => {
    expect(parseBasicAuthorization(undefined)).toBeUndefined();
    expect(parseBasicAuthorization('Bearer abc')).toBeUndefined();
    expect(parseBasicAuthorization(basic('no-colon'))).toBeUndefined();
    expect(parseBasicAuthorization('Basic not base64!')).toBeUndefined();
  });
});

describe('credentialCheck', () => {
  it('accepts the credential in any header form, again once remembered, and never a wrong one', () => {
    const accepted = credentialCheck({ username: 'ops', password: 'pa:ss' });
    for (let round = 0; round < 2; round++) {
      expect(accepted(basic('ops:pa:ss'))).toBe(true);
      expect(accepted(`basic   ${Buffer.from('ops:pa:ss').toString('base64')}`)).toBe(true);
      expect(accepted(basic('ops:pa:sS'))).toBe(false);
      expect(accepted(basic('Ops:pa:ss'))).toBe(false);
      expect(accepted(undefined)).toBe(false);
    }
  });
});

describe('host names', () => {
  it('always allows loopback names, adds the bound host unless a wildcard, and the extra names', () => {
    expect(allowedHostNames('127.0.0.1')).toEqual(['localhost', '127.0.0.1', '[::1]']);
    expect(allowedHostNames('0.0.0.0', ['Engine.Internal'])).toEqual(['localhost', '127.0.0.1', '[::1]', 'engine.internal']);
    expect(allowedHostNames('::', [])).toEqual(['localhost', '127.0.0.1', '[::1]']);
    expect(allowedHostNames('10.0.0.5')).toContain('10.0.0.5');
    expect(normalizeHostName('FD00::1')).toBe('[fd00::1]');
  });

  it('parses Host with and without port, IPv6 in brackets, and refuses anything else', () => {
    expect(parseHostHeader('localhost:8080')).toEqual({ name: 'localhost', port: '8080' });
    expect(parseHostHeader('[::1]:8080')).toEqual({ name: '[::1]', port: '8080' });
    expect(parseHostHeader('Example.org')).toEqual({ name: 'example.org', port: undefined });
    for (const bad of [undefined, '', 'a b', 'evil.example@127.0.0.1', 'host:port', '::1']) expect(parseHostHeader(bad)).toBeUndefined();
  });
});
