/**
 * What a person does in the web app, step by step, in words a test reads like a script: open a page and wait for
 * its heading, wait for a permit's status (the page follows live events; a reload is the fallback), complete a
 * task from the inbox through its rendered Camunda form.
 */
import type { Page } from 'playwright-core';
import type { SignedInUser } from './browser-users.js';

const STEP_TIMEOUT_MS = 45_000;

export async function open(user: SignedInUser, path: string, heading: string | RegExp): Promise<Page> {
  await user.page.goto(path);
  await user.page.getByRole('heading', { level: 1, name: heading }).waitFor({ timeout: STEP_TIMEOUT_MS });
  return user.page;
}

/** Waits until the permit page shows `status` (words, e.g. "Under assessment"). */
export async function waitForStatus(user: SignedInUser, permitId: string, status: string): Promise<void> {
  const page = user.page;
  if (!page.url().endsWith(`/permits/${permitId}`)) await open(user, `/permits/${permitId}`, /.+/);
  const badge = page.locator('.summary .badge');
  await badge.waitFor({ state: 'attached', timeout: STEP_TIMEOUT_MS });
  const shown = badge.filter({ hasText: exactly(status) });
  const deadline = Date.now() + STEP_TIMEOUT_MS;
  for (;;) {
    // Live events update the page, and the badge is seen the moment it changes (no fixed pause between looks);
    // a reload every 5 s covers an event the stream has not delivered yet.
    if (await shown.waitFor({ state: 'attached', timeout: 5_000 }).then(() => true, () => false)) return;
    if (Date.now() > deadline) throw new Error(`permit ${permitId} did not reach "${status}" for ${user.userId}; it shows "${await badge.textContent()}"`);
    await page.reload();
  }
}

/** Opens the inbox filtered to the permit and waits for a task of that name; returns its row. */
export async function findTask(user: SignedInUser, permitId: string, taskName: string | RegExp) {
  const page = await open(user, `/tasks?permitId=${permitId}`, 'Inbox');
  const link = page.getByRole('link', typeof taskName === 'string' ? { name: taskName, exact: true } : { name: taskName }).first();
  const deadline = Date.now() + STEP_TIMEOUT_MS;
  for (;;) {
    // The inbox loads its tasks after its heading shows, so the task is seen the moment it is listed, not at a
    // fixed pause after the heading (which nearly always came before the list). Live events reload the list, but
    // none says a task was created (it follows the status change), so a reload every 2 s is what finds a new one.
    if (await link.waitFor({ state: 'visible', timeout: 2_000 }).then(() => true, () => false)) return link;
    if (Date.now() > deadline) throw new Error(`no "${taskName}" task for ${user.userId} on permit ${permitId}`);
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Inbox' }).waitFor({ timeout: STEP_TIMEOUT_MS });
  }
}

export interface FormFill {
  /** The label of the radio option to choose. */
  choose?: string;
  /** Tick every checkbox of the form (checklists must be complete to approve). */
  tickAll?: boolean;
  /** Field label → text. */
  text?: Record<string, string>;
}

/** Fills the rendered Camunda form of the task page (form-js) and presses "Complete task". */
export async function fillAndComplete(page: Page, fill: FormFill): Promise<void> {
  const form = page.locator('.fjs-form');
  await form.waitFor({ timeout: STEP_TIMEOUT_MS });
  if (fill.choose) await form.getByLabel(fill.choose, { exact: true }).check();
  if (fill.tickAll) {
    for (const box of await form.locator('input[type="checkbox"]').all()) if (!(await box.isChecked())) await box.check();
  }
  for (const [label, value] of Object.entries(fill.text ?? {})) await form.getByLabel(label).fill(value);
  await page.getByRole('button', { name: 'Complete task' }).click();
}

/** Completes the named task of the permit from the inbox through its form, and waits until the app says so. */
export async function decideInInbox(user: SignedInUser, permitId: string, taskName: string | RegExp, fill: FormFill): Promise<void> {
  await (await findTask(user, permitId, taskName)).click();
  await user.page.getByRole('heading', { level: 1, name: taskName }).first().waitFor({ timeout: STEP_TIMEOUT_MS });
  await fillAndComplete(user.page, fill);
  await user.page.getByRole('status').filter({ hasText: 'Completed.' }).waitFor({ timeout: STEP_TIMEOUT_MS });
}

/**
 * Presses a button until the app confirms (`confirmation`, a status message): a step the process is not ready for
 * yet is refused with a message that says so, and a person tries again a moment later.
 */
export async function pressUntilAccepted(page: Page, button: string, confirmation: string): Promise<void> {
  const deadline = Date.now() + STEP_TIMEOUT_MS;
  for (;;) {
    await page.getByRole('button', { name: button }).click();
    const confirmed = page.getByRole('status').filter({ hasText: confirmation });
    const refused = page.getByRole('alert');
    await confirmed.or(refused).first().waitFor({ timeout: STEP_TIMEOUT_MS });
    if (await confirmed.isVisible()) return;
    if (Date.now() > deadline) throw new Error(`"${button}" was refused until the end: ${await refused.first().textContent()}`);
    await page.waitForTimeout(1000);
  }
}

/**
 * Presses a button of the permit page until the permit shows `status`: on a busy machine the process may not wait
 * for the action yet when the status already shows the step before it, and the page then says the action was
 * refused (an alert); a person reads that and presses again a moment later.
 */
export async function pressUntilStatus(user: SignedInUser, permitId: string, button: string, status: string): Promise<void> {
  const page = user.page;
  const shown = page.locator('.summary .badge').filter({ hasText: exactly(status) });
  const refused = page.getByRole('alert').filter({ hasText: /refused/ });
  const deadline = Date.now() + STEP_TIMEOUT_MS;
  await page.getByRole('button', { name: button }).click();
  for (;;) {
    await shown.or(refused).first().waitFor({ state: 'attached', timeout: 5_000 }).catch(() => undefined);
    if ((await shown.count()) > 0) return;
    if (Date.now() > deadline) throw new Error(`permit ${permitId} did not reach "${status}" after "${button}" for ${user.userId}: ${(await refused.count()) > 0 ? await refused.first().textContent() : 'no answer'}`);
    if ((await refused.count()) > 0) {
      await page.waitForTimeout(1000);
      await page.getByRole('button', { name: button }).click();
    } else {
      // Live events update the page; a reload covers an event the stream has not delivered yet.
      await page.reload();
    }
  }
}

/** A pattern matching `text` exactly (the whole of an element's text, spaces around it aside). */
function exactly(text: string): RegExp {
  return new RegExp(`^\\s*${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`);
}
