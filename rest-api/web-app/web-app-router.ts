/**
 * The web app (web/, built into dist/web by `npm run build:web`) served at `/` on the same origin as `/api`:
 *
 * - hashed files under /assets/ are immutable for a year; index.html (and every app route) is `no-cache`, so a new
 *   build shows up on the next load;
 * - app routes (any GET that is not /api and not a file) answer index.html (history-API fallback), so links from
 *   emails (/permits/{id}, /tasks?permitId=…) open the right page;
 * - every answer carries a strict Content-Security-Policy: only this origin, plus the identity provider's origin
 *   for the sign-in calls; no inline scripts; the app cannot be framed (`frame-ancestors 'none'`).
 *
 * Without a build the routes answer a short page saying how to build it (the API keeps working).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';

export interface WebAppOptions {
  /** The built app (index.html and assets/). */
  distDir: string;
  /** The OIDC issuer the browser signs in with; its origin is allowed for connect, frames and form posts. */
  issuer?: string | undefined;
  /** Paths left to the other handlers (the API). */
  apiPrefix: string;
}

const YEAR_S = 365 * 24 * 3600;

/** The policy: this origin only, the identity provider's origin where sign-in needs it. */
export function contentSecurityPolicy(issuer: string | undefined): string {
  const idp = issuer ? ` ${new URL(issuer).origin}` : '';
  return [
    "default-src 'self'",
    "script-src 'self'",
    // bpmn-js and form-js set style attributes on the elements they draw; no style sheets from elsewhere.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src 'self'${idp}`,
    `frame-src 'self'${idp}`,
    `form-action 'self'${idp}`,
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

function setSecurityHeaders(res: Response, csp: string): void {
  res.setHeader('Content-Security-Policy', csp);
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Referrer-Policy', 'same-origin');
}

const NOT_BUILT = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>SPE web app not built</title></head>
<body><main><h1>The web app is not built yet</h1>
<p>Build it with <code>npm run build:web</code> (it runs by itself during <code>npm ci</code>), then reload this page.</p>
<p>The REST API works without it: <a href="/api/docs">/api/docs</a>.</p></main></body></html>
`;

export function createWebApp(options: WebAppOptions): RequestHandler {
  const distDir = resolve(options.distDir);
  const indexFile = join(distDir, 'index.html');
  const csp = contentSecurityPolicy(options.issuer);
  const assets = express.static(distDir, {
    index: false,
    redirect: false,
    fallthrough: true,
    setHeaders: (res, path) => {
      setSecurityHeaders(res, csp);
      res.setHeader('Cache-Control', path.startsWith(join(distDir, 'assets')) ? `public, max-age=${YEAR_S}, immutable` : 'no-cache');
    },
  });
  let index: string | undefined;
  const readIndex = (): string | undefined => {
    // Read once it exists (a build made while the platform runs is picked up on the next request).
    if (index === undefined && existsSync(indexFile)) index = readFileSync(indexFile, 'utf8');
    return index;
  };

  return (req: Request, res: Response, next: NextFunction) => {
    if (req.path === options.apiPrefix || req.path.startsWith(`${options.apiPrefix}/`)) return next();
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    assets(req, res, () => {
      // A missing file under /assets/ is a 404, not the app (a stale page asking for an old chunk).
      if (req.path.startsWith('/assets/')) return next();
      const html = readIndex();
      setSecurityHeaders(res, csp);
      res.setHeader('Cache-Control', 'no-cache');
      res.type('html');
      if (html === undefined) res.status(503).send(NOT_BUILT);
      else res.send(html);
    });
  };
}
