/**
 * The HTML pages of the development OpenID Provider (dev-openid-provider.ts): choose a seeded user, confirm
 * sign-out, signed out, and errors. Plain server-rendered HTML, no script, no third-party assets; the one inline
 * stylesheet is allowed by its hash in the Content-Security-Policy (`pageSecurityPolicy`).
 */
import { createHash } from 'node:crypto';
import type { SeededUser } from './seeded-users.js';

// Colours: text #1b1f24 on white 16:1, secondary #4a5361 7.6:1, link/accent #1a4fb4 on white 7.1:1,
// focus ring #b34700 (3:1 against white and against the button border).
const PAGE_CSS = `
:root{color-scheme:light}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:#1b1f24;background:#f4f5f7}
main{max-width:40rem;margin:3rem auto;padding:2rem;background:#fff;border:1px solid #c9ced6;border-radius:8px}
h1{font-size:1.5rem;margin:0 0 .5rem}
p{margin:.5rem 0}
.note{color:#4a5361}
.dev{display:inline-block;margin:0 0 1rem;padding:.125rem .5rem;border:1px solid #8a4b00;border-radius:4px;color:#6b3a00;background:#fff6e5;font-weight:600}
ul{list-style:none;margin:1.5rem 0;padding:0}
li{margin:0 0 .75rem}
button{font:inherit;color:inherit;cursor:pointer}
.user{display:block;width:100%;text-align:left;padding:.75rem 1rem;background:#fff;border:2px solid #1a4fb4;border-radius:6px}
.user:hover{background:#eef3fc}
.name{display:block;font-weight:600}
.role{display:inline-block;margin:.125rem 0;padding:0 .375rem;border-radius:4px;background:#e6edf9;color:#163f8f;font-size:.875rem}
.line{display:block;color:#4a5361;font-size:.9375rem}
.actions{display:flex;gap:1rem;margin-top:1.5rem}
.secondary,.primary{padding:.5rem 1rem;border-radius:6px;border:2px solid #1a4fb4}
.primary{background:#1a4fb4;color:#fff}
.secondary{background:#fff;color:#1a4fb4}
button:focus-visible{outline:3px solid #b34700;outline-offset:3px}
dl{margin:1rem 0}dt{font-weight:600}dd{margin:0 0 .5rem;word-break:break-word}
`.trim();

const STYLE_HASH = `sha256-${createHash('sha256').update(PAGE_CSS).digest('base64')}`;

/**
 * The Content-Security-Policy of every page: nothing but the one inline stylesheet; forms may post to this
 * origin and (after the redirects that end a sign-in or sign-out) to the registered client origins.
 */
export function pageSecurityPolicy(formTargets: readonly string[]): string {
  const formAction = ["'self'", ...new Set(formTargets)].join(' ');
  return [
    "default-src 'none'",
    `style-src '${STYLE_HASH}'`,
    `form-action ${formAction}`,
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ].join('; ');
}

export function escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(title)}</title>
<style>${PAGE_CSS}</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`;
}

export interface SignInPageInput {
  /** Where the chosen user is posted (form field `userId`). */
  action: string;
  /** Where "Cancel" posts: the client receives `access_denied`. */
  cancelAction: string;
  users: readonly SeededUser[];
  /** The application asking, e.g. "SPE web app". */
  clientName: string;
}

/** Choose a seeded user: one button per user (name, role, one line), and Cancel. */
export function renderSignInPage(input: SignInPageInput): string {
  const users = input.users
    .map(
      (user) => `<li><button class="user" type="submit" name="userId" value="${escapeHtml(user.userId)}">` +
        `<span class="name">${escapeHtml(user.name)}</span>` +
        `<span class="role">${escapeHtml(user.roles.join(', '))}</span>` +
        `<span class="line">${escapeHtml(user.description)}</span>` +
        `</button></li>`,
    )
    .join('\n');
  return page('Sign in (development) – SPE platform', `<p class="dev">Development sign-in: no passwords</p>
<h1 id="title">Sign in to ${escapeHtml(input.clientName)}</h1>
<p class="note">Choose who you are. These are the platform's seeded users; this page exists only on a development
platform (DEV_AUTH) and never with NODE_ENV=production.</p>
<form method="post" action="${escapeHtml(input.action)}" aria-labelledby="title">
<ul>
${users}
</ul>
</form>
<form method="post" action="${escapeHtml(input.cancelAction)}">
<button class="secondary" type="submit">Cancel sign-in</button>
</form>`);
}

/**
 * Confirm sign-out. `form` is oidc-provider's hidden form (`id="op.logoutForm"`, its xsrf token); the buttons
 * submit it, "Sign out" with `logout=yes`.
 */
export function renderSignOutPage(input: { form: string; host: string }): string {
  return page('Sign out – SPE platform', `<h1>Sign out of the SPE platform?</h1>
<p class="note">You are signed in at ${escapeHtml(input.host)} (development sign-in).</p>
${input.form}
<div class="actions">
<button class="primary" type="submit" form="op.logoutForm" name="logout" value="yes">Sign out</button>
<button class="secondary" type="submit" form="op.logoutForm">Stay signed in</button>
</div>`);
}

export function renderSignedOutPage(): string {
  return page('Signed out – SPE platform', `<h1>You are signed out</h1>
<p class="note">Open the SPE platform again to sign in as someone else.</p>`);
}

/** An error the browser lands on (bad request to the authorization endpoint, unknown client...). */
export function renderErrorPage(out: Record<string, unknown>): string {
  const rows = Object.entries(out)
    .map(([key, value]) => `<dt>${escapeHtml(key)}</dt><dd>${escapeHtml(value)}</dd>`)
    .join('');
  return page('Sign-in failed – SPE platform', `<h1>Sign-in did not work</h1>
<p class="note">The sign-in request was refused. Go back to the SPE platform and sign in again; if this repeats,
the details below say what the development issuer objected to.</p>
<dl>${rows}</dl>`);
}
