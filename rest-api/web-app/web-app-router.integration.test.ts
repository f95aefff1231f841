import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentSecurityPolicy, createWebApp } from './web-app-router.js';

async function serve(distDir: string, issuer?: string): Promise<{ url: string; server: Server }> {
  const app = express();
  app.get('/api/x', (_req, res) => void res.json({ api: true }));
  app.use(createWebApp({ distDir, issuer, apiPrefix: '/api' }));
  app.use((_req, res) => void res.status(404).json({ notFound: true }));
  const server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

describe('the web app served at /', () => {
  const dir = mkdtempSync(join(tmpdir(), 'spe-web-'));
  let built: { url: string; server: Server };
  let missing: { url: string; server: Server };

  beforeAll(async () => {
    mkdirSync(join(dir, 'dist', 'assets'), { recursive: true });
    writeFileSync(join(dir, 'dist', 'index.html'), '<!doctype html><title>app</title><div id="root"></div>');
    writeFileSync(join(dir, 'dist', 'assets', 'index-abc123.js'), 'console.log(1)');
    built = await serve(join(dir, 'dist'), 'https://id.example.org/realms/spe');
    missing = await serve(join(dir, 'nothing-here'));
  });
  afterAll(() => {
    built.server.close();
    missing.server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers app routes with index.html, not cached, under a strict policy that forbids framing', async () => {
    for (const path of ['/', '/permits/5b0c1f7e-1111-4222-8333-944445555666', '/tasks?permitId=x', '/permits/p/outputs/r']) {
      const res = await fetch(built.url + path);
      expect(res.status, path).toBe(200);
      expect(await res.text()).toContain('<div id="root">');
      expect(res.headers.get('cache-control')).toBe('no-cache');
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("connect-src 'self' https://id.example.org");
      expect(csp).not.toMatch(/\*|https:\/\/(?!id\.example\.org)/);
    }
  });

  it('serves hashed assets as immutable and a missing asset as a 404, not the app', async () => {
    const asset = await fetch(`${built.url}/assets/index-abc123.js`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toContain('immutable');
    const gone = await fetch(`${built.url}/assets/index-old999.js`);
    expect(gone.status).toBe(404);
  });

  it('leaves /api to the API (unknown API paths stay 404)', async () => {
    expect(await (await fetch(`${built.url}/api/x`)).json()).toEqual({ api: true });
    const unknown = await fetch(`${built.url}/api/nope`);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({ notFound: true });
  });

  it('says how to build the app when it is not built', async () => {
    const res = await fetch(`${missing.url}/permits`);
    expect(res.status).toBe(503);
    expect(await res.text()).toContain('npm run build:web');
  });

  it('allows only this origin without a separate identity provider', () => {
    expect(contentSecurityPolicy(undefined)).toContain("connect-src 'self';");
  });
});
