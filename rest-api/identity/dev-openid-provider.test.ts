import { describe, expect, it } from 'vitest';
import { withLoopbackTwins } from './dev-openid-provider.js';

describe('withLoopbackTwins', () => {
  it('adds the other loopback names for a loopback public URL, keeping port and base path', () => {
    expect(withLoopbackTwins('http://127.0.0.1:3000', '/signed-in')).toEqual([
      'http://127.0.0.1:3000/signed-in',
      'http://localhost:3000/signed-in',
      'http://[::1]:3000/signed-in',
    ]);
    expect(withLoopbackTwins('http://localhost:4000/spe/', '/')).toEqual(['http://localhost:4000/spe/', 'http://127.0.0.1:4000/spe/', 'http://[::1]:4000/spe/']);
  });

  it('registers exactly the public URL for any other host', () => {
    expect(withLoopbackTwins('https://spe.example.org', '/signed-in')).toEqual(['https://spe.example.org/signed-in']);
    expect(withLoopbackTwins('https://example.org/spe', '/signed-in')).toEqual(['https://example.org/spe/signed-in']);
  });
});
