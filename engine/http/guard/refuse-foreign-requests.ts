/**
 * Only requests addressed to this engine by one of its names, and not sent by a web page of another site, get
 * through. A `Host` that is not a configured name means DNS rebinding (a web page whose domain now resolves to
 * 127.0.0.1) or a misrouted request; an `Origin` other than the engine's own means a browser sending on behalf of
 * some page (body-less POSTs need no CORS preflight, so CORS alone would not stop them). Both are refused with
 * 403 `FORBIDDEN` problem+json before authentication and before any body is read. 403 rather than 421: 421 invites
 * a client to retry on another connection, and there is no connection on which these requests would be served.
 */
import type { IncomingMessage } from 'node:http';
import type { NextFunction, Request, Response } from 'express';
import { sendProblem } from '../problem.js';

/** Names every engine answers to, whatever it binds. */
export const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '[::1]'] as const;

/** Wildcard addresses bind every interface but are no name a client uses. */
const WILDCARDS = new Set(['0.0.0.0', '::', '[::]']);

/** A host name as it appears in `Host`: lower case, IPv6 in brackets. */
export function normalizeHostName(name: string): string {
  const trimmed = name.trim().toLowerCase();
  return trimmed.includes(':') && !trimmed.startsWith('[') ? `[${trimmed}]` : trimmed;
}

/** The names the engine answers to: loopback, the bound host (unless a wildcard) and the extra ones configured. */
export function allowedHostNames(host: string, extra: readonly string[] = []): string[] {
  const names = new Set<string>(LOOPBACK_NAMES);
  if (!WILDCARDS.has(host.trim())) names.add(normalizeHostName(host));
  for (const name of extra) if (name.trim()) names.add(normalizeHostName(name));
  return [...names];
}

/** Splits `Host` into name and port; undefined when it is not a plausible host. */
export function parseHostHeader(value: string | undefined): { name: string; port: string | undefined } | undefined {
  const match = /^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(?::(\d{1,5}))?$/i.exec(value?.trim() ?? '');
  if (!match) return undefined;
  return { name: match[1]!.toLowerCase(), port: match[2] };
}

/** Why a request is not one for this engine (the detail of its 403), or undefined when it is. */
export function foreignRequestCheck(allowedNames: readonly string[]): (req: IncomingMessage) => string | undefined {
  const allowed = new Set(allowedNames.map(normalizeHostName));
  return (req) => {
    const host = parseHostHeader(req.headers.host);
    if (!host || !allowed.has(host.name)) {
      return (
        `Host '${req.headers.host ?? ''}' is not a name of this engine (${[...allowed].join(', ')}). ` +
        'Call it by one of those names, or add the name to ENGINE_ALLOWED_HOSTS.'
      );
    }
    const origin = req.headers.origin;
    if (origin !== undefined && origin !== `http://${req.headers.host}`) {
      return `Cross-site requests are refused: Origin '${origin}' is not this engine's origin (http://${req.headers.host}). The engine takes calls from programs, not from web pages.`;
    }
    // A browser that sends no Origin (a plain GET from another page) still says where the request comes from.
    const site = req.headers['sec-fetch-site'];
    if (site === 'cross-site' || site === 'same-site') {
      return `Cross-site requests are refused (Sec-Fetch-Site: ${site}). The engine takes calls from programs, not from web pages.`;
    }
    return undefined;
  };
}

export function refuseForeignRequests(allowedNames: readonly string[]) {
  const check = foreignRequestCheck(allowedNames);
  return (req: Request, res: Response, next: NextFunction): void => {
    const detail = check(req);
    if (detail === undefined) {
      next();
      return;
    }
    // Nothing of a refused request is read: the connection closes rather than waiting for a body.
    res.setHeader('Connection', 'close');
    sendProblem(res, { type: 'about:blank', title: 'FORBIDDEN', status: 403, detail, instance: req.originalUrl.split('?')[0] ?? req.originalUrl });
  };
}
