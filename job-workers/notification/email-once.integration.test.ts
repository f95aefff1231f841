/**
 * Each email once at the mail server, counted by Message-ID on a real SMTP server on loopback (`smtp-server`):
 * a mail server slower than the delivery claim's lease does not get a copy twice when the job is delivered again
 * meanwhile (the claim is renewed while sending); a copy the server acknowledged but the ledger could not record
 * is recorded, not re-sent, by the next delivery. And, stated as what stays at-least-once: a process that dies
 * between the server's acknowledgement and the ledger write leaves the copy to be sent again after the lease, with
 * the same Message-ID, so the receiving side can recognise it (docs/notifications.md).
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PROCESS_IDS, TASK_TYPES } from '../../shared/index.js';
import { HoldJobError } from '../runtime/job-errors.js';
import type { WorkerJob } from '../runtime/worker-job.js';
import { makeWorkerJob, silentLogger } from '../testing/make-worker-job.js';
import { createEmailChannel, type EmailChannel } from './channels/email-channel.js';
import { createFakeNotificationStore, type FakeNotificationStore } from './fake-notification-store.js';
import { createNotificationHandler } from './index.js';
import { startLocalSmtpServer, type LocalSmtpServer } from './testing/local-smtp-server.js';

const PERMIT_ID = '5b1f3c0e-2a4d-4e8f-9b6a-7c8d9e0f1a2b';
const LEASE_MS = 300;

let smtp: LocalSmtpServer;
let store: FakeNotificationStore;
let email: EmailChannel;

beforeAll(async () => {
  smtp = await startLocalSmtpServer();
});
afterAll(() => smtp.close());

beforeEach(() => {
  smtp.received.length = 0;
  smtp.delayAcceptance(0);
  store = createFakeNotificationStore();
  store.addPermit({ id: PERMIT_ID, title: 'Diabetes outcomes', status: 'WORKSPACE_SETUP_PENDING' });
  store.addUser({ userId: 'alice', displayName: 'Alice Researcher', email: 'alice@uni.test' });
  store.addUser({ userId: 'bob', displayName: 'Bob Researcher', email: 'bob@uni.test' });
  store.addMember(PERMIT_ID, 'alice', 'RESEARCH_TEAM');
  store.addMember(PERMIT_ID, 'bob', 'RESEARCH_TEAM');
  email = createEmailChannel({ from: 'SPE platform <noreply@spe.test>', smtpUrl: smtp.url, logger: silentLogger });
});
afterEach(() => email.close());

/** A notification handler as one process has it (its own memory of acknowledged copies). */
const processHandler = (over: { store?: FakeNotificationStore } = {}) =>
  createNotificationHandler({ store: over.store ?? store, channels: [email], publicUrl: 'http://portal.spe.test', logger: silentLogger, strictTemplates: true, leaseMs: LEASE_MS, holdMs: 1_000 })[
    TASK_TYPES.notificationSend
  ];

const job = (): WorkerJob =>
  makeWorkerJob({
    type: TASK_TYPES.notificationSend,
    bpmnProcessId: PROCESS_IDS.setup,
    elementId: 'Notify_setup-rework-requested',
    headers: { template: 'setup-rework-requested', audience: 'research-team' },
    variables: { permitId: PERMIT_ID, setupReviewedBy: 'rita', setupComment: 'Remove the VPN client.' },
  });

/** Message-ID → how often the server received it. */
function receivedByMessageId(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const mail of smtp.received) counts.set(mail.parsed.messageId ?? '?', (counts.get(mail.parsed.messageId ?? '?') ?? 0) + 1);
  return counts;
}

describe('each email once at the mail server', () => {
  it('a mail server slower than the lease: a second delivery of the job meanwhile finds the claim alive and sends nothing', async () => {
    smtp.delayAcceptance(LEASE_MS * 4);
    const once = job();
    const first = processHandler()(once, silentLogger);
    await new Promise((resolve) => setTimeout(resolve, LEASE_MS * 2)); // the first copy is still waiting for its 250
    const second = processHandler()({ ...once, jobKey: 'redelivered-after-timeout' }, silentLogger);
    const settled = await Promise.allSettled([first, second]);
    // Where the two met on one copy, the later one held the job (the claim was alive) instead of sending it again.
    const held = settled.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(held.length).toBeGreaterThan(0);
    for (const r of held) expect(r.reason).toBeInstanceOf(HoldJobError);
    smtp.delayAcceptance(0);
    await processHandler()({ ...once, jobKey: 'after-the-hold' }, silentLogger); // completes: nothing left to send
    expect([...receivedByMessageId().values()]).toEqual([1, 1]);
    expect(smtp.received.map((m) => m.envelopeTo[0]).sort()).toEqual(['alice@uni.test', 'bob@uni.test']);
    expect(store.deliveries.map((d) => [d.recipient, d.status, d.attempts])).toEqual([
      ['alice', 'sent', 1],
      ['bob', 'sent', 1],
    ]);
  });

  it('the server acknowledged but the ledger write failed: the next delivery records the copy and does not send it again', async () => {
    const markSent = store.markSent.bind(store);
    let ledgerDown = true;
    store.markSent = async (key, details) => {
      if (ledgerDown) throw new Error('connection to the database lost (injected)');
      return markSent(key, details);
    };
    const handle = processHandler();
    const once = job();
    await expect(handle(once, silentLogger)).rejects.toThrow(/sent, but the delivery ledger could not record it/);
    expect(smtp.received).toHaveLength(2);
    expect(store.deliveries.map((d) => d.status)).toEqual(['claimed', 'claimed']); // not released

    ledgerDown = false;
    await handle({ ...once, jobKey: 'retry' }, silentLogger);
    expect([...receivedByMessageId().values()]).toEqual([1, 1]);
    expect(store.deliveries.map((d) => d.status)).toEqual(['sent', 'sent']);
  });

  it('stays at-least-once only where it must: a process dying between the 250 and the ledger write leaves the copy to be sent again after the lease, with the same Message-ID', async () => {
    const markSent = store.markSent.bind(store);
    let ledgerDown = true;
    store.markSent = async (key, details) => {
      if (ledgerDown) throw new Error('process killed before the ledger write (injected)');
      return markSent(key, details);
    };
    const once = job();
    await expect(processHandler()(once, silentLogger)).rejects.toThrow(/could not record/); // this process then dies
    ledgerDown = false;
    await new Promise((resolve) => setTimeout(resolve, LEASE_MS + 100)); // its claims run out

    await processHandler()({ ...once, jobKey: 'after-the-crash' }, silentLogger); // another process
    const counts = receivedByMessageId();
    expect([...counts.values()]).toEqual([2, 2]); // sent again ...
    expect(counts.size).toBe(2); // ... as the same two messages, recognisable by their Message-ID
    expect(store.deliveries.map((d) => d.status)).toEqual(['sent', 'sent']);
  });
});
