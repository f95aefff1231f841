/** Setting the scene over the REST API (tokens from the development issuer), for steps a test is not about. */
import type { BrowserPlatform } from './browser-platform.js';

export type ApiAs = <T = unknown>(method: string, path: string, body?: unknown) => Promise<{ status: number; body: T }>;

export function apiAs(platform: BrowserPlatform, userId: string): ApiAs {
  const issuer = platform.platform.identity.devIssuer;
  if (!issuer) throw new Error('the development issuer should be on in browser tests');
  return async <T>(method: string, path: string, body?: unknown) => {
    const token = await issuer.mintDevToken(userId);
    const res = await fetch(`${platform.baseUrl}/api${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
  };
}

/** Polls until `check` holds (the processes move on their own). */
export async function eventually<T>(what: string, read: () => Promise<T>, check: (value: T) => boolean, timeoutMs = 45_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (check(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${timeoutMs} ms; last seen: ${JSON.stringify(value).slice(0, 500)}`);
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
}

/** alice applies and submits, rita approves (over the API): a permit in APPROVED. */
export async function approvedPermit(platform: BrowserPlatform, title: string): Promise<string> {
  const alice = apiAs(platform, 'alice');
  const rita = apiAs(platform, 'rita');
  const created = await alice<{ id: string }>('POST', '/permits', { title, purpose: 'A study of outcomes for the browser tests, with enough words.', validUntil: '2030-01-01T00:00:00Z' });
  if (created.status !== 201) throw new Error(`creating the permit answered ${created.status}: ${JSON.stringify(created.body)}`);
  const id = created.body.id;
  await eventually('the submission', () => alice('POST', `/permits/${id}/submit`), (r) => r.status === 202);
  await eventually(
    'the approval',
    () => rita('POST', `/permits/${id}/review`, { stage: 'APPLICATION', decision: 'APPROVED', checklist: ['LEGAL_BASIS_VERIFIED', 'DATA_MINIMISATION', 'APPLICANT_VETTED', 'ETHICS_APPROVAL_PRESENT'] }),
    (r) => r.status === 201,
  );
  await eventually('status APPROVED', () => alice<{ status: string }>('GET', `/permits/${id}`), (r) => r.body.status === 'APPROVED');
  return id;
}
