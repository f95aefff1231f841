/**
 * The handler with the real channels: email over SMTP on loopback (`smtp-server` + `mailparser`), Slack through the
 * real WebClient against a local HTTP endpoint, the email outbox folder, and the job runtime's acknowledgements.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PROCESS_IDS, TASK_TYPES } from '../../shared/index.js';
import { createJobRunner } from '../runtime/run-job.js';
import { TransientError } from '../runtime/job-errors.js';
import type { WorkerJob } from '../runtime/worker-job.js';
import { makeActivatedJob, makeWorkerJob, silentLogger } from '../testing/make-worker-job.js';
import { createEmailChannel, type EmailChannel } from './channels/email-channel.js';
import { createSlackChannel } from './channels/slack-channel.js';
import { createFakeNotificationStore, type FakeNotificationStore } from './fake-notification-store.js';
import { createNotificationHandler } from './index.js';
import { createRecordingChannel, type RecordingChannel } from './testing/recording-channel.js';
import { startLocalSlackApi, type LocalSlackApi } from './testing/local-slack-api.js';
import { startTcpProxy } from '../../rest-api/events/testing/tcp-proxy.js';
import { startLocalSmtpServer, type LocalSmtpServer } from './testing/local-smtp-server.js';

const PUBLIC_URL = 'http://portal.spe.test';
const PERMIT_ID = '0f8c7a52-9d0e-4b6f-8a35-3c2d1e0f9a8b';
const FROM = 'SPE platform <noreply@spe.test>';

let smtp: LocalSmtpServer;
let slackApi: LocalSlackApi;
let store: FakeNotificationStore;
let email: EmailChannel;
let inApp: RecordingChannel;

beforeAll(async () => {
  smtp = await startLocalSmtpServer();
  slackApi = await startLocalSlackApi();
});
afterAll(async () => {
  await smtp.close();
  await slackApi.close();
});

beforeEach(() => {
  smtp.received.length = 0;
  slackApi.posts.length = 0;
  smtp.rejectRecipient(undefined);
  slackApi.failWith(undefined);
  store = createFakeNotificationStore();
  store.addPermit({ id: PERMIT_ID, title: 'Diabetes outcomes <2020-2024>', status: 'WORKSPACE_SETUP_PENDING' });
  store.addUser({ userId: 'alice', displayName: 'Alice Researcher', email: 'alice@uni.test', slackUserId: 'U0ALICE' });
  store.addUser({ userId: 'bob', displayName: 'Bob Researcher', email: 'bob@uni.test' });
  store.addUser({ userId: 'rita', displayName: 'Rita Reviewer', email: 'rita@hdab.test', slackUserId: 'U0RITA' });
  store.addUser({ userId: 'victor', displayName: 'Victor Reviewer', email: 'victor@hdab.test' });
  store.addMember(PERMIT_ID, 'alice', 'RESEARCH_TEAM');
  store.addMember(PERMIT_ID, 'bob', 'RESEARCH_TEAM');
  store.addMember(PERMIT_ID, 'rita', 'HDAB_TEAM');
  store.addMember(PERMIT_ID, 'victor', 'HDAB_TEAM');
  email = createEmailChannel({ from: FROM, smtpUrl: smtp.url, logger: silentLogger });
  inApp = createRecordingChannel('in-app');
});
afterEach(() => email.close());

function handler(channels = [email, createSlackChannel({ token: 'xoxb-test', channels: { 'hdab-reviewers': '#hdab-reviews' }, slackApiUrl: slackApi.url }), inApp]) {
  return createNotificationHandler({ store, channels, publicUrl: PUBLIC_URL, logger: silentLogger, strictTemplates: true })[TASK_TYPES.notificationSend];
}

function job(template: string, audience: string, variables: Record<string, unknown> = {}): WorkerJob {
  return makeWorkerJob({ type: TASK_TYPES.notificationSend, bpmnProcessId: PROCESS_IDS.setup, elementId: `Notify_${template}`, headers: { template, audience }, variables: { permitId: PERMIT_ID, ...variables } });
}

const reworkJob = () => job('setup-rework-requested', 'research-team', { setupReviewedBy: 'rita', setupComment: 'Please remove the <b>crypto miner</b> & the VPN client.' });

describe('email over SMTP', () => {
  it('sends each member of the audience their own message with subject, text and HTML bodies and the links', async () => {
    await handler()(reworkJob(), silentLogger);

    expect(smtp.received.map((m) => m.envelopeTo).sort()).toEqual([['alice@uni.test'], ['bob@uni.test']]);
    const mail = smtp.received.find((m) => m.envelopeTo[0] === 'alice@uni.test')!.parsed;
    expect(mail.from?.value).toEqual([{ address: 'noreply@spe.test', name: 'SPE platform' }]);
    expect(mail.to && !Array.isArray(mail.to) ? mail.to.value : []).toEqual([{ address: 'alice@uni.test', name: 'Alice Researcher' }]);
    expect(mail.subject).toBe(`[SPE] Rework requested on your workspace setup: Diabetes outcomes <2020-2024> (${PERMIT_ID})`);
    expect(mail.messageId).toMatch(/^<[0-9a-f-]{36}@spe\.notifications>$/);
    expect(mail.headers.get('x-spe-permit')).toBe(PERMIT_ID);
    expect(mail.headers.get('x-spe-template')).toBe('setup-rework-requested');

    const workspaceLink = `${PUBLIC_URL}/permits/${PERMIT_ID}/workspace`;
    expect(mail.text).toContain('Rita Reviewer (rita) reviewed the setup workspace of the permit "Diabetes outcomes <2020-2024>"');
    expect(mail.text).toContain('Decision: rework requested');
    expect(mail.text).toContain('What to change:\nPlease remove the <b>crypto miner</b> & the VPN client.');
    expect(mail.text).toContain(`Open the workspace: ${workspaceLink}`);
    expect(mail.text).toContain(`permit ${PUBLIC_URL}/permits/${PERMIT_ID}`);

    const html = String(mail.html);
    expect(html).toContain(`<a href="${workspaceLink}"`);
    expect(html).toContain('Please remove the &lt;b&gt;crypto miner&lt;/b&gt; &amp; the VPN client.');
    expect(html).toContain('Diabetes outcomes &lt;2020-2024&gt;');
    expect(html).not.toContain('<b>crypto miner</b>');
  });

  it('the same job delivered twice sends one email, one Slack message and one in-app entry per recipient', async () => {
    const once = reworkJob();
    await handler()(once, silentLogger);
    await handler()({ ...once, jobKey: 'second-activation' }, silentLogger);

    expect(smtp.received.map((m) => m.envelopeTo[0]).sort()).toEqual(['alice@uni.test', 'bob@uni.test']);
    expect(slackApi.posts.map((p) => p.channel)).toEqual(['U0ALICE']);
    expect(inApp.sent.map((s) => s.target.recipient).sort()).toEqual(['alice', 'bob']);
  });

  it('a refused recipient fails the job with a retry and back-off; the retry sends only that copy', async () => {
    const once = reworkJob();
    smtp.rejectRecipient('bob@uni.test');
    const run = createJobRunner(handler(), { logger: silentLogger });
    const first = makeActivatedJob(once);
    await run(first);
    expect(first.acks).toHaveLength(1);
    expect(first.acks[0]).toMatchObject({ kind: 'fail', body: { retries: 2 } });
    const body = first.acks[0]!.body as { retryBackOff: number; errorMessage: string };
    expect(body.retryBackOff).toBeGreaterThan(0);
    expect(body.errorMessage).toContain('email to bob');
    expect(body.errorMessage).toContain('mailbox bob@uni.test is full');
    expect(smtp.received.map((m) => m.envelopeTo[0])).toEqual(['alice@uni.test']);

    smtp.rejectRecipient(undefined);
    const second = makeActivatedJob({ ...once, retries: 2 });
    await run(second);
    expect(second.acks).toEqual([{ kind: 'complete', body: {} }]);
    expect(smtp.received.map((m) => m.envelopeTo[0])).toEqual(['alice@uni.test', 'bob@uni.test']);
    expect(slackApi.posts).toHaveLength(1);
    expect(inApp.sent).toHaveLength(2);
  });

  it('rides out a mail server that is down for a while: the job waits with a growing back-off, no retry is used, each email goes out once', async () => {
    const proxy = await startTcpProxy({ host: '127.0.0.1', port: Number(new URL(smtp.url).port) });
    const viaProxy = createEmailChannel({ from: FROM, smtpUrl: `smtp://127.0.0.1:${proxy.port}`, logger: silentLogger });
    try {
      const run = createJobRunner(createNotificationHandler({ store, channels: [viaProxy, inApp], publicUrl: PUBLIC_URL, logger: silentLogger, strictTemplates: true })['notification.send'], { logger: silentLogger });
      const once = reworkJob();
      await proxy.down(); // connection refused
      const backOffs: number[] = [];
      for (let attempt = 0; attempt < 4; attempt += 1) {
        const activated = makeActivatedJob(once);
        await run(activated);
        expect(activated.acks).toHaveLength(1);
        const ack = activated.acks[0]!;
        expect(ack).toMatchObject({ kind: 'fail', body: { retries: once.retries } }); // no retry used: never an incident
        const body = ack.body as { retryBackOff: number; errorMessage: string };
        expect(body.errorMessage).toContain('could not reach their service');
        backOffs.push(body.retryBackOff);
      }
      expect(backOffs).toEqual([5_000, 10_000, 20_000, 40_000]);
      expect(smtp.received).toHaveLength(0);
      expect(inApp.sent.map((s) => s.target.recipient).sort()).toEqual(['alice', 'bob']); // in-app went out at once

      await proxy.up();
      const activated = makeActivatedJob(once);
      await run(activated);
      expect(activated.acks).toEqual([{ kind: 'complete', body: {} }]);
      const again = makeActivatedJob({ ...once, jobKey: 'redelivered' });
      await run(again);
      expect(again.acks).toEqual([{ kind: 'complete', body: {} }]);
      expect(smtp.received.map((m) => m.envelopeTo[0]).sort()).toEqual(['alice@uni.test', 'bob@uni.test']);
      expect(inApp.sent).toHaveLength(2);
      expect(store.deliveries.filter((d) => d.channel === 'email').map((d) => [d.recipient, d.status, d.attempts])).toEqual([
        ['alice', 'sent', 5],
        ['bob', 'sent', 5],
      ]);
    } finally {
      viaProxy.close();
      await proxy.close();
    }
  });

  it('leaves out people who turned email off, unless the message is critical', async () => {
    store.preferenceRows.push({ userId: 'bob', channel: 'email', enabled: false });
    await handler()(reworkJob(), silentLogger);
    expect(smtp.received.map((m) => m.envelopeTo[0])).toEqual(['alice@uni.test']);

    smtp.received.length = 0;
    const revoked = job('permit-revoked', 'everyone', { revokedBy: 'rita', revocationReason: 'Breach confirmed' });
    await handler()({ ...revoked, headers: { ...revoked.headers, critical: 'true' } }, silentLogger);
    expect(smtp.received.map((m) => m.envelopeTo[0]).sort()).toEqual(['alice@uni.test', 'bob@uni.test', 'rita@hdab.test', 'victor@hdab.test']);
    expect(smtp.received[0]!.parsed.subject).toContain('[SPE] Permit revoked');
    expect(smtp.received[0]!.parsed.text).toContain('Reason:\nBreach confirmed');
  });
});

describe('email outbox (no SMTP_URL)', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'spe-outbox-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes one .eml file per recipient, and a second delivery of the job adds none', async () => {
    const outbox = createEmailChannel({ from: FROM, outboxDir: join(dir, 'outbox') });
    const once = reworkJob();
    await handler([outbox])(once, silentLogger);
    await handler([outbox])(once, silentLogger);

    const files = (await readdir(join(dir, 'outbox'))).sort();
    expect(files).toHaveLength(2);
    expect(files.every((f) => /^setup-rework-requested-[0-9a-f-]{36}\.eml$/.test(f))).toBe(true);
    const mails = await Promise.all(files.map(async (f) => simpleParser(await readFile(join(dir, 'outbox', f)))));
    expect(mails.flatMap((m) => (m.to && !Array.isArray(m.to) ? m.to.value : [])).sort((a, b) => String(a.address).localeCompare(String(b.address)))).toEqual([
      { address: 'alice@uni.test', name: 'Alice Researcher' },
      { address: 'bob@uni.test', name: 'Bob Researcher' },
    ]);
    expect(mails[0]!.text).toContain(`${PUBLIC_URL}/permits/${PERMIT_ID}/workspace`);
    expect(String(mails[0]!.html)).toContain('<h1');
    expect(outbox.describe).toBe(`outbox ${join(dir, 'outbox')}`);
  });
});

describe('Slack through the WebClient', () => {
  it('posts once in the channel mapped to the audience, with the Block Kit body and the bot token', async () => {
    await handler()(job('setup-review-requested', 'hdab-reviewers', { setupSubmittedBy: 'alice', setupSubmissionNote: 'R & Python ready' }), silentLogger);

    expect(slackApi.posts).toHaveLength(1);
    const post = slackApi.posts[0]!;
    expect(post).toMatchObject({ token: 'xoxb-test', channel: '#hdab-reviews' });
    expect(post.text).toBe(`Workspace setup to review: Diabetes outcomes &lt;2020-2024&gt; (${PERMIT_ID})`);
    const blocks = JSON.stringify(post.blocks);
    expect(blocks).toContain('Alice Researcher (alice) submitted the setup workspace');
    expect(blocks).toContain('R &amp; Python ready');
    expect(post.blocks).toContainEqual({
      type: 'actions',
      elements: [{ type: 'button', text: { type: 'plain_text', text: 'Open the review task' }, url: `${PUBLIC_URL}/tasks?permitId=${PERMIT_ID}` }],
    });
    expect(store.deliveries.find((d) => d.channel === 'slack')).toMatchObject({ recipient: '#hdab-reviews', status: 'sent', providerMessageId: expect.stringMatching(/^#hdab-reviews\/\d+\.\d+$/) });
    // and the reviewers by email
    expect(smtp.received.map((m) => m.envelopeTo[0]).sort()).toEqual(['rita@hdab.test', 'victor@hdab.test']);
  });

  it('sends direct messages to members with a Slack id when the audience has no channel', async () => {
    await handler()(reworkJob(), silentLogger);
    expect(slackApi.posts.map((p) => p.channel)).toEqual(['U0ALICE']);
  });

  for (const failure of ['http', 'channel_not_found'] as const) {
    it(`Slack failing (${failure}) fails the job; the retry posts once and does not re-send email or in-app`, async () => {
      const once = job('setup-review-requested', 'hdab-reviewers', { setupSubmittedBy: 'alice' });
      slackApi.failWith(failure);
      await expect(handler()(once, silentLogger)).rejects.toBeInstanceOf(TransientError);
      expect(slackApi.posts).toHaveLength(0);
      expect(smtp.received).toHaveLength(2);
      expect(inApp.sent).toHaveLength(2);

      slackApi.failWith(undefined);
      await handler()(once, silentLogger);
      expect(slackApi.posts).toHaveLength(1);
      expect(smtp.received).toHaveLength(2);
      expect(inApp.sent).toHaveLength(2);
    });
  }
});
