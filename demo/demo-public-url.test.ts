import { describe, expect, it } from 'vitest';
import { demoLinks } from './demo-public-url.js';

describe('demoLinks', () => {
  it('builds on PUBLIC_URL when it is set: the permit page the emails link to and the API under it', () => {
    const links = demoLinks({ PUBLIC_URL: 'https://spe.example.org/hdab/' }, 'http://localhost:3000');
    expect(links.base).toBe('https://spe.example.org/hdab');
    expect(links.permitPage('p 1')).toBe('https://spe.example.org/hdab/permits/p%201');
    expect(links.api('/audit?permitId=p1')).toBe('https://spe.example.org/hdab/api/audit?permitId=p1');
  });

  it("without PUBLIC_URL, a platform on this machine is pointed at by its own default origin (HOST and the demo's port), as its emails are", () => {
    expect(demoLinks({}, 'http://localhost:3917').permitPage('p1')).toBe('http://127.0.0.1:3917/permits/p1');
    expect(demoLinks({ HOST: '0.0.0.0' }, 'http://127.0.0.1:4000').base).toBe('http://localhost:4000');
    expect(demoLinks({ PUBLIC_URL: '  ' }, 'http://localhost:3100').base).toBe('http://127.0.0.1:3100');
  });

  it('a platform elsewhere without PUBLIC_URL here, or a PUBLIC_URL that is no base URL, falls back to the URL the demo talks to', () => {
    expect(demoLinks({}, 'https://spe.example.org').base).toBe('https://spe.example.org');
    expect(demoLinks({ PUBLIC_URL: 'https://spe.example.org/?x=1' }, 'https://spe.test/').base).toBe('https://spe.test');
  });
});
