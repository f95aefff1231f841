import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { escapeHtml, pageSecurityPolicy, renderErrorPage, renderSignInPage, renderSignOutPage } from './dev-sign-in-pages.js';
import { SEEDED_USERS } from './seeded-users.js';

const styleOf = (html: string): string => /<style>([\s\S]*?)<\/style>/.exec(html)?.[1] ?? '';

describe('development sign-in pages', () => {
  const page = renderSignInPage({ action: '/api/dev-auth/interaction/u1/login', cancelAction: '/api/dev-auth/interaction/u1/abort', users: SEEDED_USERS, clientName: 'the SPE platform' });

  it('allow exactly their own stylesheet by hash, and nothing else', () => {
    const policy = pageSecurityPolicy(['http://localhost:3000']);
    const hash = createHash('sha256').update(styleOf(page)).digest('base64');
    expect(policy).toBe(`default-src 'none'; style-src 'sha256-${hash}'; form-action 'self' http://localhost:3000; frame-ancestors 'none'; base-uri 'none'`);
    expect(page).not.toMatch(/<script|https?:\/\/(?!localhost)/);
  });

  it('offer one submit button per seeded user, in a form posting to the login action, plus cancel', () => {
    for (const user of SEEDED_USERS) expect(page).toContain(`name="userId" value="${user.userId}"`);
    expect(page.match(/type="submit" name="userId"/g)).toHaveLength(SEEDED_USERS.length);
    expect(page).toContain('<form method="post" action="/api/dev-auth/interaction/u1/login"');
    expect(page).toContain('<form method="post" action="/api/dev-auth/interaction/u1/abort">');
    expect(page).toContain('<html lang="en">');
  });

  it('escape everything they show', () => {
    expect(escapeHtml(`<a href="x">'&`)).toBe('&#60;a href=&#34;x&#34;&#62;&#39;&#38;');
    const error = renderErrorPage({ error: 'invalid_request', error_description: '<img src=x onerror=alert(1)>' });
    expect(error).not.toContain('<img');
    expect(error).toContain('&#60;img src=x onerror=alert(1)&#62;');
    expect(renderSignOutPage({ form: '<form id="op.logoutForm"></form>', host: '<evil>' })).toContain('&#60;evil&#62;');
  });
});
