/**
 * Chromium (Debian's, through playwright-core) with one browser context per person, each signed in through the
 * web app's real sign-in: the app sends the browser to the development issuer, the person picks themselves on its
 * page, and the issuer sends them back to the page they asked for. Plus the page checks every test uses: axe-core
 * (no serious or critical violations) and screenshots for a person to look at.
 */
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { CHROMIUM, REPO } from './browser-platform.js';

export const SCREENS_DIR = join(REPO, 'test-results', 'screens');

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
}

export interface SignedInUser {
  userId: string;
  context: BrowserContext;
  page: Page;
  /** Problems the page logged (CSP violations, uncaught errors): a test expects none. */
  consoleProblems: string[];
}

/** Opens `path` as `userId`: the app sends the browser to the issuer's sign-in page, where the person picks themselves. */
export async function signIn(browser: Browser, baseUrl: string, userId: string, path = '/'): Promise<SignedInUser> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, baseURL: baseUrl });
  const page = await context.newPage();
  const consoleProblems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') consoleProblems.push(message.text());
  });
  page.on('pageerror', (error) => consoleProblems.push(error.message));
  await page.goto(path);
  await page.locator(`button[name="userId"][value="${userId}"]`).click();
  await page.waitForURL((url) => url.pathname === path.split('?')[0]);
  await page.getByText('Signed in as').waitFor();
  return { userId, context, page, consoleProblems };
}

let axeSource: string | undefined;

/** axe-core on the page as it is now: the serious and critical violations, in words (empty: none). */
export async function accessibilityProblems(page: Page): Promise<string[]> {
  axeSource ??= await readFile(join(REPO, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
  // Evaluated through the DevTools protocol, so the page's Content-Security-Policy stays as strict as it is.
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run: (context: unknown, options: unknown) => Promise<{ violations: Array<{ id: string; impact: string; help: string; nodes: Array<{ target: unknown }> }> }> } }).axe;
    const result = await axe.run((globalThis as unknown as { document: unknown }).document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.slice(0, 3).map((n) => JSON.stringify(n.target)) }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.impact} ${v.id}: ${v.help} at ${v.targets.join(', ')}`);
}

export async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(SCREENS_DIR, { recursive: true });
  const path = join(SCREENS_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}
