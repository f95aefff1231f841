/**
 * The development sign-in page as a person sees it, in Debian's Chromium (playwright-core): reached through the
 * authorization endpoint, keyboard-usable, axe-core without serious or critical violations, no CSP violations
 * (no script, no third-party assets), screenshots in test-results/screens/ to look at (sign-in, sign-out
 * confirmation, signed out). Skipped when /usr/bin/chromium is missing.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { pino } from 'pino';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM } from '../../test/browser/support/browser-platform.js';
import { accessibilityProblems, launchChromium, screenshot } from '../../test/browser/support/browser-users.js';
import { createApp } from '../app.js';
import { loadConfig } from '../config.js';
import { createIdentity } from './create-identity.js';

let server: Server;
let base: string;
let browser: Browser;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) return;
  server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const config = loadConfig({ NODE_ENV: 'test', PUBLIC_URL: base, LOG_LEVEL: 'silent' });
  const identity = await createIdentity(config, { persistDevKey: false });
  const app = createApp({ config, logger: pino({ level: 'silent' }), routers: [], readiness: {}, authenticator: identity.authenticator, webConfig: identity.webConfig, ...(identity.devIssuer ? { devIssuer: identity.devIssuer } : {}) });
  // Stands in for the web app's redirect target (the browser lands here with the code, or after sign-out).
  const site = express();
  site.get(['/signed-in', '/'], (_req, res) => void res.type('html').send('<!DOCTYPE html><html lang="en"><title>Web app</title><main><h1>Web app</h1></main></html>'));
  site.use(app);
  server.on('request', site);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  if (server) await new Promise((resolve) => server.close(resolve));
});

function authorizeUrl(): string {
  const verifier = randomBytes(32).toString('base64url');
  const url = new URL(`${base}/api/dev-auth/auth`);
  const params = {
    client_id: 'spe-web',
    response_type: 'code',
    scope: 'openid profile email',
    redirect_uri: `${base}/signed-in`,
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
    state: 'st',
  };
  for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
  return url.href;
}

type BrowserSide = { document: { activeElement: unknown }; getComputedStyle(element: unknown): { outlineStyle: string } };

function watchProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (message) => {
    // Failed loads are judged by their response below (the browser's own favicon request may 404).
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) problems.push(message.text());
  });
  page.on('response', (response) => {
    if (response.status() >= 400 && !response.url().endsWith('/favicon.ico')) problems.push(`HTTP ${response.status()} ${response.url()}`);
  });
  page.on('pageerror', (error) => problems.push(error.message));
  page.on('request', (request) => {
    if (!request.url().startsWith(base)) problems.push(`request to another origin: ${request.url()}`);
  });
  return problems;
}

describe.skipIf(!existsSync(CHROMIUM))('the development sign-in page in Chromium', () => {
  it('lists the seeded users by name, role and purpose; passes axe; signs in by keyboard', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    const problems = watchProblems(page);
    await page.goto(authorizeUrl());
    await expect.poll(() => page.title()).toBe('Sign in (development) – SPE platform');

    const alice = page.getByRole('button', { name: /^Alice Okafor researcher Principal investigator/ });
    await alice.waitFor();
    for (const name of ['Rita Hansen', 'Victor Lindqvist', 'Dana Ruiz', 'Adam Weber']) {
      expect(await page.getByRole('button', { name: new RegExp(`^${name}`) }).count(), name).toBe(1);
    }
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Sign in to the SPE platform');
    expect(await accessibilityProblems(page)).toEqual([]);
    console.info(`sign-in page screenshot: ${await screenshot(page, 'dev-sign-in')}`);

    // Keyboard: the first Tab reaches Alice's button, with a visible focus ring; Enter chooses her.
    await page.keyboard.press('Tab');
    // (Run in the page: the browser's document and getComputedStyle, reached through globalThis.)
    expect(await alice.evaluate((element) => element === (globalThis as unknown as BrowserSide).document.activeElement)).toBe(true);
    const ring = await alice.evaluate((element) => (globalThis as unknown as BrowserSide).getComputedStyle(element).outlineStyle);
    expect(ring).toBe('solid');
    await page.keyboard.press('Enter');
    await page.waitForURL((url) => url.pathname === '/signed-in');
    const landed = new URL(page.url());
    expect(landed.searchParams.get('code')).toMatch(/.+/);
    expect(landed.searchParams.get('state')).toBe('st');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('confirms sign-out on an accessible page and lands back on the web app', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    const problems = watchProblems(page);
    await page.goto(authorizeUrl());
    await page.getByRole('button', { name: /^Rita Hansen/ }).click();
    await page.waitForURL((url) => url.pathname === '/signed-in');

    const end = new URL(`${base}/api/dev-auth/session/end`);
    end.searchParams.set('client_id', 'spe-web');
    end.searchParams.set('post_logout_redirect_uri', `${base}/`);
    await page.goto(end.href);
    await page.getByRole('heading', { name: 'Sign out of the SPE platform?' }).waitFor();
    expect(await accessibilityProblems(page)).toEqual([]);
    console.info(`sign-out page screenshot: ${await screenshot(page, 'dev-sign-out')}`);
    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await page.waitForURL(`${base}/`);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('shows a refused request (unregistered redirect URI) as a readable error page, not a redirect', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const problems = watchProblems(page);
    const url = new URL(authorizeUrl());
    url.searchParams.set('redirect_uri', 'https://attacker.example/signed-in');
    const response = await page.goto(url.href);
    expect(response?.status()).toBe(400);
    await page.getByRole('heading', { name: 'Sign-in did not work' }).waitFor();
    expect(await page.textContent('dl')).toMatch(/redirect_uri did not match/);
    expect(await accessibilityProblems(page)).toEqual([]);
    await screenshot(page, 'dev-sign-in-refused');
    expect(problems).toEqual([`HTTP 400 ${url.href}`]);
    await page.close();
  });
});
