/**
 * Every request must carry the engine's credential as HTTP Basic (RFC 7617), as a Camunda 8.8 self-managed
 * cluster with basic authentication requires; anything else is 401 `UNAUTHORIZED` problem+json with a
 * `WWW-Authenticate` challenge. The comparison takes the same time whatever the input: both sides are hashed
 * to a fixed length first, then compared with `timingSafeEqual`.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import type { EngineCredentials } from '../../auth/engine-credentials.js';
import { sendProblem } from '../problem.js';

export const BASIC_REALM = 'SPE embedded engine';

const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();

/** Parses `Authorization: Basic base64(user:password)`; undefined when absent or malformed. */
export function parseBasicAuthorization(header: string | undefined): { username: string; password: string } | undefined {
  const match = /^basic\s+([A-Za-z0-9+/=_-]+)\s*$/i.exec(header ?? '');
  if (!match) return undefined;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/** Header values already found to carry the credential; a client sends the same one on every request. */
const KNOWN_GOOD_HEADERS = 8;

/**
 * Whether an `Authorization` header carries the engine's credential. A header value that passed once is
 * remembered (a few of them), so the next request with it costs a set lookup instead of a decode and a hash.
 * The lookup is by the value's hash, which tells an attacker nothing about how close a wrong value is.
 */
export function credentialCheck(credentials: EngineCredentials): (header: string | undefined) => boolean {
  const expected = digest(`${credentials.username}:${credentials.password}`);
  const knownGood = new Set<string>();
  return (header) => {
    if (header !== undefined && knownGood.has(header)) return true;
    const given = parseBasicAuthorization(header);
    // Compare user and password together, so neither part leaks through timing.
    const ok = given !== undefined && timingSafeEqual(digest(`${given.username}:${given.password}`), expected);
    if (ok && knownGood.size < KNOWN_GOOD_HEADERS) knownGood.add(header!);
    return ok;
  };
}

export function requireBasicAuth(credentials: EngineCredentials) {
  const accepted = credentialCheck(credentials);
  return (req: Request, res: Response, next: NextFunction): void => {
    if (accepted(req.headers.authorization)) {
      next();
      return;
    }
    const given = parseBasicAuthorization(req.headers.authorization);
    res.setHeader('WWW-Authenticate', `Basic realm="${BASIC_REALM}", charset="UTF-8"`);
    sendProblem(res, {
      type: 'about:blank',
      title: 'UNAUTHORIZED',
      status: 401,
      detail: given
        ? 'The user name or password is wrong. Send the engine\'s credential as HTTP Basic (CAMUNDA_AUTH_STRATEGY=BASIC with CAMUNDA_BASIC_AUTH_USERNAME / CAMUNDA_BASIC_AUTH_PASSWORD; see docs/engine.md, "Access").'
        : 'No credentials were sent. Send the engine\'s credential as HTTP Basic: Authorization: Basic base64(username:password) (the official client: CAMUNDA_AUTH_STRATEGY=BASIC with CAMUNDA_BASIC_AUTH_USERNAME / CAMUNDA_BASIC_AUTH_PASSWORD; see docs/engine.md, "Access").',
      instance: req.originalUrl.split('?')[0] ?? req.originalUrl,
    });
  };
}
