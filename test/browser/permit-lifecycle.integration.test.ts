/**
 * One permit through its whole life using only the browser, as the people the mission names: alice applies, rita
 * approves in her inbox through the rendered form, rita asks dana for the data and dana confirms her delivery,
 * rita signs off the prepared data, alice submits the workspace setup, rita asks for rework and then approves,
 * alice requests the release of outputs, rita and victor approve, alice closes. Every page on the way passes
 * axe-core (no serious or critical violations); the inbox, a form and a permit page with its diagram are
 * screenshot to test-results/screens. Skipped, saying why, when Debian's chromium is not installed.
 */
import { existsSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, startBrowserPlatform, type BrowserPlatform } from './support/browser-platform.js';
import { accessibilityProblems, launchChromium, screenshot, signIn, type SignedInUser } from './support/browser-users.js';
import { apiAs, eventually } from './support/api-as.js';
import { decideInInbox, findTask, open, pressUntilAccepted, pressUntilStatus, waitForStatus } from './support/web-steps.js';
import { TABLE1_FIRST } from '../../demo/demo-outputs.js';
import { createHash } from 'node:crypto';

/** A small generated extract the data holder uploads (real bytes, checked against her manifest). */
const COHORT_EXTRACT = ['patient_id,sex,age_band,mi_date', ...Array.from({ length: 40 }, (_, i) => `P${1000 + i},${i % 2 ? 'F' : 'M'},${['18-39', '40-64', '65+'][i % 3]},2019-0${(i % 9) + 1}-15`), ''].join('\n');

const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`browser tests skipped: ${CHROMIUM} is missing (apt-get install chromium; .ci/run installs it)`);

describe.skipIf(!hasChromium)('a permit from application to closure in the web app', () => {
  let platform: BrowserPlatform;
  let browser: Browser;
  const people: Record<string, SignedInUser> = {};
  const checked: string[] = [];

  async function as(userId: string, path = '/'): Promise<SignedInUser> {
    people[userId] ??= await signIn(browser, platform.baseUrl, userId, path);
    return people[userId];
  }

  /** axe-core on the page as the person sees it now; the page name goes into the failure message. */
  async function expectAccessible(user: SignedInUser, name: string): Promise<void> {
    checked.push(name);
    expect(await accessibilityProblems(user.page), `${name} (${user.userId})`).toEqual([]);
  }

  beforeAll(async () => {
    platform = await startBrowserPlatform();
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
  });

  it('runs every step through the pages, each page accessible', async () => {
    // 1. Alice applies: a draft, edited (a better title), then submitted from its page.
    const alice = await as('alice', '/permits/new');
    await open(alice, '/permits/new', 'Apply for a permit');
    await expectAccessible(alice, 'apply');
    await alice.page.getByLabel('Title').fill('Outcomes after MI (working title)');
    await alice.page.getByLabel('Purpose').fill('Estimate five-year cardiovascular outcomes after a first myocardial infarction, by age band and sex.');
    await alice.page.getByRole('button', { name: 'Create draft' }).click();
    await alice.page.getByRole('heading', { level: 1, name: 'Outcomes after MI (working title)' }).waitFor();
    const permitId = new URL(alice.page.url()).pathname.split('/')[2]!;
    await waitForStatus(alice, permitId, 'Draft');
    await alice.page.getByRole('link', { name: 'Edit application' }).click();
    await alice.page.getByRole('heading', { level: 1, name: 'Edit your application' }).waitFor();
    expect(await alice.page.getByLabel('Title').inputValue()).toBe('Outcomes after MI (working title)');
    expect(await alice.page.getByLabel('Purpose').inputValue()).toMatch(/^Estimate five-year cardiovascular outcomes/);
    await alice.page.getByLabel('Title').fill('Cardiovascular outcomes after myocardial infarction');
    await expectAccessible(alice, 'edit draft');
    await screenshot(alice.page, 'edit-draft');
    await alice.page.getByRole('button', { name: 'Save changes' }).click();
    await alice.page.getByRole('heading', { level: 1, name: 'Cardiovascular outcomes after myocardial infarction' }).waitFor();
    await waitForStatus(alice, permitId, 'Draft');
    await alice.page.getByRole('button', { name: 'Submit application' }).click();
    await waitForStatus(alice, permitId, 'Under assessment');
    await expectAccessible(alice, 'permit (researcher)');

    // 2. Rita approves in her inbox through the rendered form.
    const rita = await as('rita', `/tasks?permitId=${permitId}`);
    await findTask(rita, permitId, 'Assess permit application');
    const taskRow = rita.page.getByRole('row').filter({ hasText: 'Assess permit application' });
    await taskRow.getByRole('button', { name: 'Assign to me' }).click();
    await taskRow.getByRole('button', { name: 'Unassign' }).waitFor();
    expect(await taskRow.getByRole('cell', { name: 'you', exact: true }).count()).toBe(1);
    await expectAccessible(rita, 'inbox');
    await screenshot(rita.page, 'inbox');
    await rita.page.getByRole('link', { name: 'Assess permit application' }).click();
    await rita.page.locator('.fjs-form').waitFor();
    await rita.page.getByText('Cardiovascular outcomes after myocardial infarction').first().waitFor();
    // The rendered form shows the title as edited (the process was told at submission), not the working title.
    await rita.page.locator('.fjs-form').getByText('Cardiovascular outcomes after myocardial infarction').first().waitFor();
    expect(await rita.page.locator('.fjs-form').getByText('working title').count()).toBe(0);
    await rita.page.locator('.fjs-form').getByLabel('Approve and issue the permit', { exact: true }).check();
    for (const box of await rita.page.locator('.fjs-form input[type="checkbox"]').all()) await box.check();
    await expectAccessible(rita, 'task form');
    await screenshot(rita.page, 'task-form');
    await rita.page.getByRole('button', { name: 'Complete task' }).click();
    await rita.page.getByRole('status').filter({ hasText: 'Completed.' }).waitFor();
    await waitForStatus(rita, permitId, 'Approved');

    // 3. Rita asks dana for the data; dana confirms her delivery on the ingress page.
    await rita.page.getByLabel('Data holders (user ids, comma-separated)').fill('dana');
    await pressUntilStatus(rita, permitId, 'Request the data', 'Data ingress pending');
    const dana = await as('dana', '/deliveries');
    await open(dana, '/deliveries', 'Data deliveries');
    await expectAccessible(dana, 'deliveries');
    await dana.page.getByRole('link', { name: 'Cardiovascular outcomes after myocardial infarction' }).click();
    await dana.page.getByRole('heading', { level: 1, name: 'Data delivery' }).waitFor();
    // She uploads the file with tus from the page; the browser fills in its path, SHA-256 and size.
    await dana.page.getByLabel('File to upload').setInputFiles({ name: 'mi-cohort.csv', mimeType: 'text/csv', buffer: Buffer.from(COHORT_EXTRACT) });
    await dana.page.getByLabel("Path in the delivery (default: the file's name)").fill('cohort/mi-cohort-2015-2024.csv');
    await dana.page.getByRole('button', { name: 'Upload', exact: true }).click();
    await dana.page.getByRole('status').filter({ hasText: 'Uploaded cohort/mi-cohort-2015-2024.csv' }).waitFor();
    expect(await dana.page.getByLabel('SHA-256 (64 hex characters)').inputValue()).toBe(createHash('sha256').update(COHORT_EXTRACT).digest('hex'));
    expect(await dana.page.getByLabel('Size in bytes').inputValue()).toBe(String(Buffer.byteLength(COHORT_EXTRACT)));
    await expectAccessible(dana, 'ingress');
    await screenshot(dana.page, 'ingress-upload');
    await dana.page.getByRole('button', { name: 'Confirm upload' }).click();
    await dana.page.getByRole('status').filter({ hasText: 'Upload confirmed' }).waitFor();
    // No malware scanner in the test platform: the files are marked not scanned and the delivery is held for an
    // explicit HDAB decision, never promoted silently.
    const checkedStatus = await eventually(
      'the delivery checked',
      async () => (await apiAs(platform, 'rita')<{ status: string }>('GET', `/permits/${permitId}`)).body.status,
      (status) => status === 'DATA_INGRESS_BLOCKED' || status === 'DATA_PREPARATION_PENDING',
    );
    expect(checkedStatus, 'an unscanned delivery waits for the HDAB').toBe('DATA_INGRESS_BLOCKED');
    await decideInInbox(rita, permitId, 'Handle blocked data delivery', {
      choose: 'Release the files from quarantine',
      text: { Reason: 'Not scanned (no scanner in the test platform); generated test data, checksums match.' },
    });
    await waitForStatus(dana, permitId, 'Data preparation pending');

    // 4. Rita signs off the prepared data.
    await decideInInbox(rita, permitId, 'Prepare data and sign off', { choose: 'Data prepared', tickAll: true });
    await waitForStatus(rita, permitId, 'Workspace setup pending');

    // 5. Alice submits the setup; rita asks for rework, alice resubmits, rita approves.
    await open(alice, `/permits/${permitId}/workspace`, 'Workspace');
    await alice.page.getByLabel('What you installed and why (for the reviewer)').fill('R 4.4 with survival and data.table; a sync client for my notes.');
    await expectAccessible(alice, 'workspace');
    await screenshot(alice.page, 'workspace');
    await pressUntilAccepted(alice.page, 'Submit setup for review', 'Submitted');
    await waitForStatus(alice, permitId, 'Workspace setup review pending');
    await decideInInbox(rita, permitId, 'Review workspace setup', {
      choose: 'Request rework',
      text: { 'Comment for the research team': 'Please remove the file sync client: it could copy data out.' },
    });
    await waitForStatus(alice, permitId, 'Workspace setup pending');
    await alice.page.getByText('Please remove the file sync client: it could copy data out.').first().waitFor();
    await open(alice, `/permits/${permitId}/workspace`, 'Workspace');
    await alice.page.getByLabel('What you installed and why (for the reviewer)').fill('Sync client removed.');
    await pressUntilAccepted(alice.page, 'Submit setup for review', 'Submitted');
    await waitForStatus(alice, permitId, 'Workspace setup review pending');
    await decideInInbox(rita, permitId, 'Review workspace setup', { choose: 'Approve and start the analysis', tickAll: true });
    await waitForStatus(alice, permitId, 'Analysis active');

    // 6. Alice puts Table 1 into outputs and requests its release: the checks flag a cell of 7; rita previews the
    //    table with the cell marked, approves; victor approves; alice downloads the released file (audited).
    await open(alice, `/permits/${permitId}/outputs`, 'Output requests');
    await alice.page.getByLabel('Put a file into outputs').setInputFiles({ name: 'table1.csv', mimeType: 'text/csv', buffer: Buffer.from(TABLE1_FIRST) });
    await alice.page.getByLabel('Path under /outputs (default: the file\'s name)').fill('tables/table1-baseline.csv');
    await alice.page.getByRole('button', { name: 'Put into outputs' }).click();
    await alice.page.getByRole('checkbox', { name: 'tables/table1-baseline.csv' }).check();
    await alice.page.getByLabel('What these outputs are').fill('Table 1 for the manuscript');
    await alice.page.getByLabel('Description').fill('Baseline characteristics by age band and sex');
    await expectAccessible(alice, 'output request form');
    await screenshot(alice.page, 'outputs-picker');
    await alice.page.getByRole('button', { name: 'Submit output request' }).click();
    await alice.page.getByRole('heading', { level: 1, name: 'Table 1 for the manuscript' }).waitFor();
    await alice.page.getByText('fail: 6 rows × 5 columns, frequency table; 1 cell below the minimum count of 10.').waitFor();
    const outputRequestUrl = new URL(alice.page.url()).pathname;
    await waitForStatus(alice, permitId, 'Egress review pending');
    await open(rita, outputRequestUrl, 'Table 1 for the manuscript');
    // The HDAB's output release policy decided the two reviews (Table 1 fails the checks), and both sides read why.
    await rita.page.getByText(/Reviews needed: two independent reviewers .*At least one file failed the disclosure checks/).waitFor();
    await rita.page.getByRole('button', { name: 'Preview tables/table1-baseline.csv' }).click();
    await rita.page.getByRole('cell', { name: '7 (flagged: threshold)' }).waitFor();
    await rita.page.getByText('threshold at North / 18-39 / Female (7): count 7 is below the minimum of 10').waitFor();
    await expectAccessible(rita, 'output request with preview (reviewer)');
    await screenshot(rita.page, 'output-preview');
    await decideInInbox(rita, permitId, 'Review output request', { choose: 'Approve the release', tickAll: true });
    const victor = await as('victor', `/tasks?permitId=${permitId}`);
    await decideInInbox(victor, permitId, /Review output request|Second output review/, { choose: 'Approve the release', tickAll: true });
    await waitForStatus(alice, permitId, 'Analysis active');
    await open(alice, `/permits/${permitId}/outputs`, 'Output requests');
    await alice.page.getByText('Released').first().waitFor();
    await alice.page.getByRole('link', { name: 'Table 1 for the manuscript' }).click();
    await alice.page.getByText('Approve', { exact: false }).first().waitFor();
    await alice.page.getByRole('heading', { level: 2, name: 'Released files' }).waitFor();
    const download = alice.page.waitForEvent('download');
    await alice.page.getByRole('button', { name: 'Download tables/table1-baseline.csv' }).click();
    expect((await download).suggestedFilename()).toBe('table1-baseline.csv');
    const downloads = await eventually(
      'the download in the audit log',
      async () => (await apiAs(platform, 'adam')<{ items: Array<{ action: string; actor: string }> }>('GET', `/audit?permitId=${permitId}&limit=1000`)).body.items.filter((e) => e.action === 'egress.release-downloaded'),
      (entries) => entries.length > 0,
    );
    expect(downloads.map((e) => e.actor)).toEqual(['alice']);
    await expectAccessible(alice, 'output request');
    await screenshot(alice.page, 'output-request');

    // 7. Alice closes the permit.
    await open(alice, `/permits/${permitId}`, 'Cardiovascular outcomes after myocardial infarction');
    await alice.page.locator('summary', { hasText: 'Close the permit' }).click();
    await alice.page.getByLabel('Why close it now (optional)').fill('Analysis complete; manuscript submitted.');
    await alice.page.getByRole('button', { name: 'Close the permit' }).click();
    await waitForStatus(alice, permitId, 'Closing').catch(() => waitForStatus(alice, permitId, 'Data deletion pending'));

    // The permit page: timeline and the diagram with the active step highlighted.
    await open(rita, `/permits/${permitId}`, 'Cardiovascular outcomes after myocardial infarction');
    await rita.page.locator('.diagram .djs-element').first().waitFor();
    await rita.page.locator('.diagram .spe-completed').first().waitFor();
    // The path taken and the count badges, as Operate draws them, with the counts also in words.
    await rita.page.locator('.diagram .spe-taken').first().waitFor({ state: 'attached' });
    await rita.page.locator('.diagram .spe-badge-completed').first().waitFor();
    await rita.page.getByText(/Counts per step \(\d+ flows? taken\)/).waitFor();
    await expect.poll(() => rita.page.locator('.timeline li').count()).toBeGreaterThan(10);
    await expectAccessible(rita, 'permit (reviewer) with diagram');
    await screenshot(rita.page, 'permit-with-diagram');
    // Drill into the process the lifecycle called last, and back.
    await rita.page.getByRole('button', { name: /Closure & data deletion \(active\)/ }).click();
    await rita.page.getByText('Process spe-permit-closure').waitFor();
    await rita.page.locator('.diagram .spe-active').first().waitFor();
    await rita.page.getByRole('button', { name: 'Permit lifecycle' }).click();
    await rita.page.getByText('Process spe-permit-lifecycle').waitFor();
    await open(alice, '/notifications', 'Notifications');
    await expectAccessible(alice, 'notifications');
    await screenshot(alice.page, 'notifications');
    await open(alice, '/', /Welcome/);
    await expectAccessible(alice, 'home');
    await open(alice, '/permits', 'Permits');
    await expectAccessible(alice, 'permits');

    for (const person of Object.values(people)) expect(person.consoleProblems.filter((p) => /Content Security Policy/.test(p) && !/form-action/.test(p)), person.userId).toEqual([]);
  }, 600_000);

  it("shows a stale edit's refusal as the API words it, and follows a reviewer's decision on the open permit page without a reload", async () => {
    const aliceApi = apiAs(platform, 'alice');
    const ritaApi = apiAs(platform, 'rita');
    const created = await aliceApi<{ id: string; version: number }>('POST', '/permits', {
      title: 'Live updates draft',
      purpose: 'A study of outcomes for the browser tests, with enough words.',
      validUntil: '2030-01-01T00:00:00Z',
    });
    expect(created.status).toBe(201);
    const permitId = created.body.id;

    // Alice opens the edit page; meanwhile the draft changes elsewhere (another tab): her save is refused, as worded.
    const alice = await as('alice', `/permits/${permitId}/edit`);
    await open(alice, `/permits/${permitId}/edit`, 'Edit your application');
    expect((await aliceApi('PATCH', `/permits/${permitId}`, { purpose: 'A study of outcomes for the browser tests, changed in another tab.' })).status).toBe(200);
    await alice.page.getByLabel('Title').fill('Live updates draft, edited');
    await alice.page.getByRole('button', { name: 'Save changes' }).click();
    await alice.page.getByRole('alert').filter({ hasText: /has changed.*Read it again and retry/ }).waitFor();
    await expectAccessible(alice, 'edit draft with a refusal');
    await alice.page.getByRole('link', { name: 'Cancel' }).click();
    await waitForStatus(alice, permitId, 'Draft');
    await alice.page.getByRole('button', { name: 'Submit application' }).click();
    await waitForStatus(alice, permitId, 'Under assessment');

    // From here on the page must not be reloaded: a marker on the window would not survive one.
    await alice.page.evaluate(() => Object.assign(globalThis, { speNoReload: true }));
    await eventually(
      "rita's approval",
      () => ritaApi('POST', `/permits/${permitId}/review`, { stage: 'APPLICATION', decision: 'APPROVED', checklist: ['LEGAL_BASIS_VERIFIED', 'DATA_MINIMISATION', 'APPLICANT_VETTED', 'ETHICS_APPROVAL_PRESENT'] }),
      (r) => r.status === 201,
    );
    await alice.page.locator('.summary .badge', { hasText: /^Approved$/ }).waitFor({ timeout: 45_000 });
    expect(await alice.page.evaluate(() => (globalThis as { speNoReload?: boolean }).speNoReload)).toBe(true);
  }, 180_000);
});
