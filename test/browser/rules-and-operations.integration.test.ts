/**
 * The rules as people meet them in the web app: alice never sees a reviewer's task; rita, deciding on an amendment
 * she asked for herself, sees the refusal's reason as the platform words it; an operator sees an incident caused
 * here (the workspace folder is blocked by a file) with its failing step, error and what to do, and retries it
 * once the cause is gone. Every page passes axe-core; the incidents page is screenshot.
 */
import { existsSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiAs, approvedPermit, eventually } from './support/api-as.js';
import { CHROMIUM, startBrowserPlatform, type BrowserPlatform } from './support/browser-platform.js';
import { accessibilityProblems, launchChromium, screenshot, signIn } from './support/browser-users.js';
import { fillAndComplete, findTask, open } from './support/web-steps.js';

const hasChromium = existsSync(CHROMIUM);

describe.skipIf(!hasChromium)('rules and operations in the web app', () => {
  let platform: BrowserPlatform;
  let browser: Browser;
  let blocker: string;

  beforeAll(async () => {
    platform = await startBrowserPlatform({
      // The workspace manifests go under a path whose parent is a file: every workspace job fails until it is removed.
      configure: (config, scratch) => {
        blocker = join(scratch, 'blocked');
        return { ...config, workspaceManifestsDir: join(scratch, 'blocked', 'workspaces') };
      },
    });
    await writeFile(blocker, 'not a folder\n');
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
  });

  it("keeps reviewers' tasks from alice and shows rita why she may not decide on her own amendment", async () => {
    const permitId = await approvedPermit(platform, 'Amendment by a reviewer');
    const rita = await signIn(browser, platform.baseUrl, 'rita', `/permits/${permitId}`);
    await rita.page.getByRole('heading', { level: 1, name: 'Amendment by a reviewer' }).waitFor();
    await rita.page.getByText('Request an amendment').click();
    await rita.page.getByLabel('What should change and why').fill('Extend the permit by six months for the follow-up analysis.');
    await rita.page.getByLabel('New end date (optional)').fill('2030-06-30');
    await rita.page.getByRole('button', { name: 'Send amendment' }).click();
    await rita.page.getByRole('status').filter({ hasText: 'Amendment sent' }).waitFor();

    await (await findTask(rita, permitId, 'Assess permit amendment')).click();
    await fillAndComplete(rita.page, { choose: 'Approve the amendment', tickAll: true });
    const refusal = rita.page.getByRole('alert').filter({ hasText: 'The decision was not accepted' });
    await refusal.waitFor();
    expect(await refusal.textContent()).toMatch(/another (HDAB )?reviewer must decide/);
    expect(await accessibilityProblems(rita.page), 'task page with a refusal').toEqual([]);

    // alice: no inbox in her navigation, an empty inbox at its address, and the task itself refused.
    const taskKey = new URL(rita.page.url()).pathname.split('/')[2]!;
    const alice = await signIn(browser, platform.baseUrl, 'alice', '/');
    expect(await alice.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Inbox' }).count()).toBe(0);
    await open(alice, '/tasks', 'Inbox');
    await alice.page.getByText('No open tasks').waitFor();
    expect(await alice.page.getByRole('link', { name: 'Assess permit amendment' }).count()).toBe(0);
    await open(alice, `/tasks/${taskKey}`, 'Task');
    await alice.page.getByRole('alert').waitFor();
    expect(await alice.page.locator('.fjs-form').count()).toBe(0);
    expect(await accessibilityProblems(alice.page), 'refused task page').toEqual([]);
  }, 300_000);

  it('keeps a half-filled application when the session ends and restores it after signing in again', async () => {
    const alice = await signIn(browser, platform.baseUrl, 'alice', '/permits/new');
    await alice.page.getByRole('heading', { level: 1, name: 'Apply for a permit' }).waitFor();
    await alice.page.getByLabel('Title').fill('Half-filled before the session ended');
    await alice.page.getByLabel('Purpose').fill('Typed before the tokens were gone.');
    // The session ends: the tokens are gone (as when renewal fails); the next load has to sign in again.
    await alice.page.evaluate(() => {
      const store = (globalThis as unknown as { sessionStorage: { length: number; key(i: number): string | null; removeItem(k: string): void } }).sessionStorage;
      const keys = Array.from({ length: store.length }, (_, i) => store.key(i)).filter((k): k is string => k !== null && k.startsWith('oidc.'));
      for (const key of keys) store.removeItem(key);
    });
    await alice.page.reload();
    // The issuer asks who is signing in (or, with its own session still open, sends the browser straight back).
    const pick = alice.page.locator('button[name="userId"][value="alice"]');
    const form = alice.page.getByRole('heading', { level: 1, name: 'Apply for a permit' });
    await pick.or(form).first().waitFor();
    if (await pick.isVisible()) await pick.click();
    await form.waitFor();
    expect(await alice.page.getByLabel('Title').inputValue()).toBe('Half-filled before the session ended');
    expect(await alice.page.getByLabel('Purpose').inputValue()).toBe('Typed before the tokens were gone.');
    await alice.page.getByText('Your earlier, unsent input was restored.').waitFor();

    // Signing out ends the session at the issuer too: the next page asks who is signing in again.
    await alice.page.getByRole('button', { name: 'Sign out' }).click();
    await alice.page.waitForURL((url) => url.pathname.startsWith('/api/'));
    await alice.page.getByRole('button', { name: 'Sign out' }).click();
    await alice.page.locator('button[name="userId"][value="alice"]').waitFor();
    await alice.context.close();
  }, 120_000);

  it('shows an operator the incident with its step, error and what to do, and retries it once the cause is gone', async () => {
    const permitId = await approvedPermit(platform, 'Ingress with a blocked workspace folder');
    const rita = apiAs(platform, 'rita');
    await eventually('the data request', () => rita('POST', `/permits/${permitId}/ingress`, { dataHolders: ['dana'] }), (r) => r.status === 202);
    const adminApi = apiAs(platform, 'adam');
    await eventually('an incident on the permit', () => adminApi<{ items: Array<{ permitId: string }> }>('GET', '/operations/incidents'), (r) => r.body.items.some((i) => i.permitId === permitId), 60_000);

    const adam = await signIn(browser, platform.baseUrl, 'adam', '/operations');
    await adam.page.getByRole('heading', { level: 1, name: 'Operations' }).waitFor();
    const row = adam.page.getByRole('row').filter({ hasText: 'Ingress with a blocked workspace folder' });
    await row.waitFor();
    expect(await row.textContent()).toMatch(/fix its cause|Fix what its error names/);
    await adam.page.getByText('Ready').first().waitFor();
    expect(await accessibilityProblems(adam.page), 'operations').toEqual([]);
    await screenshot(adam.page, 'incidents');

    await rm(blocker);
    await row.getByRole('button', { name: 'Retry' }).click();
    await adam.page.getByText('No open incidents').waitFor({ timeout: 45_000 }).catch(async () => {
      // The retry ran but the relay is slower than the page: read the list again.
      await adam.page.reload();
      await adam.page.getByText('No open incidents').waitFor({ timeout: 30_000 });
    });
    await eventually('the ingress workspace', () => rita<{ items: Array<{ phase: string }> }>('GET', `/permits/${permitId}/workspaces`), (r) => r.body.items.some((w) => w.phase === 'ingress'));
    const audit = await adminApi<{ items: Array<{ action: string; actor: string }> }>('GET', `/audit?permitId=${permitId}&limit=1000`);
    expect(audit.body.items).toContainEqual(expect.objectContaining({ action: 'incident.retried', actor: 'adam' }));
  }, 300_000);
});
