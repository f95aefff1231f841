import { describe, expect, it } from 'vitest';
import { checkPublicBaseUrl, createNotificationLinks, WEB_ROUTES } from './notification-links.js';
import { TEMPLATE_CATALOG } from './template-catalog.js';

describe('createNotificationLinks', () => {
  const links = createNotificationLinks('https://spe.example.org/');

  it('builds every web app route on the base URL, absolute', () => {
    const input = { permitId: 'P-1', egressRequestId: 'E-2' };
    expect(links.link('permit', input)).toBe('https://spe.example.org/permits/P-1');
    expect(links.link('tasks', input)).toBe('https://spe.example.org/tasks?permitId=P-1');
    expect(links.link('ingress', input)).toBe('https://spe.example.org/permits/P-1/ingress');
    expect(links.link('workspace', input)).toBe('https://spe.example.org/permits/P-1/workspace');
    expect(links.link('egress-request', input)).toBe('https://spe.example.org/permits/P-1/outputs/E-2');
    expect(links.permit('P-1')).toBe('https://spe.example.org/permits/P-1');
  });

  it('gives every template a link with a route', () => {
    for (const spec of Object.values(TEMPLATE_CATALOG)) {
      expect(Object.keys(WEB_ROUTES)).toContain(spec.link);
      expect(new URL(links.link(spec.link, { permitId: 'P-1' })).origin).toBe('https://spe.example.org');
    }
  });

  it('encodes ids in paths and query values', () => {
    expect(links.link('egress-request', { permitId: 'a/b c', egressRequestId: '?#&' })).toBe('https://spe.example.org/permits/a%2Fb%20c/outputs/%3F%23%26');
    expect(links.link('tasks', { permitId: 'x&y=z' })).toBe('https://spe.example.org/tasks?permitId=x%26y%3Dz');
  });

  it('keeps a path in the base URL and drops trailing slashes', () => {
    expect(createNotificationLinks('https://x.org/spe//').permit('P')).toBe('https://x.org/spe/permits/P');
    expect(createNotificationLinks('http://127.0.0.1:3000').permit('P')).toBe('http://127.0.0.1:3000/permits/P');
  });

  it('links an output request without its id to the permit', () => {
    expect(links.link('egress-request', { permitId: 'P-1' })).toBe('https://spe.example.org/permits/P-1');
  });

  it('refuses a base URL links cannot be built on, saying why', () => {
    expect(() => createNotificationLinks('/relative')).toThrow(/not an absolute URL/);
    expect(() => createNotificationLinks('ftp://x.org')).toThrow(/http:\/\/ or https:\/\//);
    expect(() => createNotificationLinks('https://x.org/?a=1')).toThrow(/query/);
    expect(() => createNotificationLinks('https://u:p@x.org')).toThrow(/user name or password/);
    expect(checkPublicBaseUrl('https://x.org/spe')).toBeUndefined();
  });
});
