import type { Transporter } from 'nodemailer';
import { beforeEach, describe, expect, it } from 'vitest';
import { PROCESS_IDS, TASK_TYPES } from '../../shared/index.js';
import { classifyJobError } from '../runtime/classify-job-error.js';
import { HoldJobError, TransientError } from '../runtime/job-errors.js';
import { makeWorkerJob, silentLogger } from '../testing/make-worker-job.js';
import { createEmailChannel } from './channels/email-channel.js';
import { DEFAULT_OUTAGE_RETRY, isDeliveryOutage, outageBackOffMs, outageBudgetMs } from './delivery-outage.js';
import { createFakeNotificationStore, type FakeNotificationStore } from './fake-notification-store.js';
import { createSendNotificationHandler } from './send-notification-handler.js';
import { createInMemoryTemplateStore } from './template-store.js';
import { createRecordingChannel } from './testing/recording-channel.js';

/** An SMTP error as nodemailer raises it: `code` and, when the server answered, `responseCode`. */
function smtpError(message: string, code: string, responseCode?: number): Error {
  return Object.assign(new Error(message), { code, ...(responseCode ? { responseCode } : {}) });
}

/** A nodemailer transport that throws the queued errors first, then accepts every message. */
function fakeTransport() {
  const failures: Error[] = [];
  const accepted: string[] = [];
  const transport = {
    async sendMail(mail: { to: { address: string } | string }) {
      const failure = failures.shift();
      if (failure) throw failure;
      const to = typeof mail.to === 'string' ? mail.to : mail.to.address;
      accepted.push(to);
      return { messageId: `<${accepted.length}@fake>` };
    },
    close() {},
  };
  return { transport: transport as unknown as Transporter, failures, accepted };
}

const TEXTS = { subject: '{{permitTitle}}', text: '{{permitTitle}} {{link}}', html: '<p>{{permitTitle}}</p>', slack: JSON.stringify({ text: '{{permitTitle}}', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'x' } }] }), inApp: '{{permitTitle}}' };
const templates = createInMemoryTemplateStore({ 'permit-suspended': TEXTS });
const job = makeWorkerJob({
  type: TASK_TYPES.notificationSend,
  bpmnProcessId: PROCESS_IDS.setup,
  elementId: 'Activity_NotifySuspended',
  retries: 3,
  headers: { template: 'permit-suspended', audience: 'research-team' },
  variables: { permitId: 'P-1' },
});

let store: FakeNotificationStore;
let smtp: ReturnType<typeof fakeTransport>;
let handle: ReturnType<typeof createSendNotificationHandler>;

beforeEach(() => {
  store = createFakeNotificationStore();
  store.addPermit({ id: 'P-1', title: 'Diabetes outcomes', status: 'ACTIVE' });
  store.addUser({ userId: 'alice', displayName: 'Alice', email: 'alice@example.org' });
  store.addMember('P-1', 'alice', 'RESEARCH_TEAM');
  smtp = fakeTransport();
  const inApp = createRecordingChannel('in-app');
  handle = createSendNotificationHandler({ store, channels: [createEmailChannel({ transport: smtp.transport }), inApp], templates, publicUrl: 'https://spe.example.org/' });
});

async function attempt(): Promise<unknown> {
  try {
    await handle(job, silentLogger);
    return undefined;
  } catch (error) {
    return error;
  }
}

describe('isDeliveryOutage', () => {
  it.each([
    ['connection refused', smtpError('connect ECONNREFUSED 127.0.0.1:25', 'ECONNECTION'), true],
    ['connection timeout', smtpError('Connection timeout', 'ETIMEDOUT'), true],
    ['greeting never received', smtpError('Greeting never received', 'ETIMEDOUT'), true],
    ['421 service not available', smtpError('421 4.3.2 try later', 'EPROTOCOL', 421), true],
    ['451 local error', smtpError('451 4.3.0 temporary', 'EENVELOPE', 451), true],
    ['a bare socket error', Object.assign(new Error('reset'), { code: 'ECONNRESET' }), true],
    ['550 recipient refused', smtpError('550 5.1.1 no such user', 'EENVELOPE', 550), false],
    ['554 at the greeting', smtpError('554 no service', 'EPROTOCOL', 554), false],
    ['no usable address', smtpError('No recipients defined', 'EENVELOPE'), false],
    ['failed login', smtpError('535 auth failed', 'EAUTH', 535), false],
    ['a plain error', new Error('boom'), false],
  ])('%s → %s', (_name, error, expected) => {
    expect(isDeliveryOutage(error)).toBe(expected);
  });

  it('backs off 5 s doubling to 5 min and waits out about half an hour before retries count', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 11].map((n) => outageBackOffMs(n))).toEqual([5_000, 10_000, 20_000, 40_000, 80_000, 160_000, 300_000, 300_000]);
    expect(outageBudgetMs()).toBeGreaterThanOrEqual(30 * 60_000);
    expect(outageBudgetMs()).toBeLessThan(40 * 60_000);
  });
});

describe('notification.send while the mail server is away', () => {
  it('holds the job with a growing back-off and the same retries, then sends the email once when the server is back', async () => {
    smtp.failures.push(...Array.from({ length: 5 }, () => smtpError('connect ECONNREFUSED 127.0.0.1:2525', 'ECONNECTION')));
    const backOffs: number[] = [];
    for (let i = 0; i < 5; i += 1) {
      const error = await attempt();
      expect(error).toBeInstanceOf(HoldJobError);
      const ack = classifyJobError(error, { label: 'notification.send', retries: job.retries });
      expect(ack).toMatchObject({ kind: 'fail', retries: 3 }); // no retry used up: no incident however long it takes
      backOffs.push((error as HoldJobError).backOffMs);
    }
    expect(backOffs).toEqual([5_000, 10_000, 20_000, 40_000, 80_000]);

    expect(await attempt()).toBeUndefined();
    expect(smtp.accepted).toEqual(['alice@example.org']);
    expect(await attempt()).toBeUndefined(); // a repeat delivery of the job sends nothing again (the ledger)
    expect(smtp.accepted).toEqual(['alice@example.org']);
    expect(store.deliveries.filter((d) => d.channel === 'email')).toMatchObject([{ status: 'sent', attempts: 6 }]);
    expect(store.deliveries.filter((d) => d.channel === 'in-app')).toMatchObject([{ status: 'sent', attempts: 1 }]);
  });

  it('spends the modelled retries once the outage outlasts its budget', async () => {
    smtp.failures.push(...Array.from({ length: DEFAULT_OUTAGE_RETRY.attempts }, () => smtpError('421 4.3.2 shutting down', 'EPROTOCOL', 421)));
    for (let i = 1; i < DEFAULT_OUTAGE_RETRY.attempts; i += 1) expect(await attempt()).toBeInstanceOf(HoldJobError);
    const last = await attempt();
    expect(last).toBeInstanceOf(TransientError);
    expect(classifyJobError(last, { label: 'notification.send', retries: 3 })).toMatchObject({ kind: 'fail', retries: 2 });
  });

  it('treats a refused recipient as today: a retry fewer, no waiting', async () => {
    smtp.failures.push(smtpError('550 5.1.1 <alice@example.org>: no such user', 'EENVELOPE', 550));
    const error = await attempt();
    expect(error).toBeInstanceOf(TransientError);
    expect((error as Error).message).toContain('550 5.1.1');
    expect(classifyJobError(error, { label: 'notification.send', retries: 3 })).toMatchObject({ kind: 'fail', retries: 2 });
  });
});
