import { describe, expect, it } from 'vitest';
import { demoLinks } from './demo-public-url.js';

describe('demoLinks', () => {
  it('builds on PUBLIC_URL when it is set: the permit page the emails link to and the API under it', () => {
    const links = demoLinks({ PUBLIC_URL: 'https://spe.example.org/hdab/' }, 'http://localhost:3000');
    expect(links.base).toBe('https://spe.example.org/hdab');
    expect(links.permitPage('p 1')).toBe('https://spe.example.org/hdab/permits/p%201');
    expect(links.api('/audit?permitId=p1')).toBe('https://spe.example.org/hdab/api/audit?permitId=p1');
  });

  it("falls back to the URL the demo talks to when PUBLIC_URL is unset or not a base URL (the platform's own default)", () => {
    expect(demoLinks({}, 'http://localhost:3100').permitPage('p1')).toBe('http://localhost:3100/permits/p1');
    expect(demoLinks({ PUBLIC_URL: '  ' }, 'http://localhost:3100').base).toBe('http://localhost:3100');
    expect(demoLinks({ PUBLIC_URL: 'https://spe.example.org/?x=1' }, 'http://127.0.0.1:3000/').base).toBe('http://127.0.0.1:3000');
  });
});
