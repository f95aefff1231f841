import { beforeEach, describe, expect, it } from 'vitest';
import { PROCESS_IDS, TASK_TYPES } from '../../shared/index.js';
import { HoldJobError, NonRetryableError, TransientError } from '../runtime/job-errors.js';
import type { WorkerJob } from '../runtime/worker-job.js';
import { makeWorkerJob, recordingLogger, silentLogger } from '../testing/make-worker-job.js';
import { createFakeNotificationStore, type FakeNotificationStore } from './fake-notification-store.js';
import { createSendNotificationHandler, type SendNotificationDeps } from './send-notification-handler.js';
import { createInMemoryTemplateStore } from './template-store.js';
import { createRecordingChannel, type RecordingChannel } from './testing/recording-channel.js';

const TEXTS = {
  subject: '[SPE] {{decision}}: {{permitTitle}} ({{permitId}})',
  text: '{{actor}} decided {{decision}} on {{permitTitle}}.{{#comment}} Comment: {{comment}}{{/comment}} {{link}}',
  html: '<p>{{actor}}: {{comment}}</p><a href="{{link}}">open</a>',
  slack: '{"text": "{{permitTitle}}", "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "{{actor}}"}}]}',
  inApp: '{{decision}} on {{permitTitle}} by {{actor}}',
};
const templates = createInMemoryTemplateStore({
  'setup-rework-requested': TEXTS,
  'permit-suspended': TEXTS,
  'upload-overdue': TEXTS,
  'provisioning-failed': TEXTS,
  'workspace-ready': { ...TEXTS, text: 'Hello {{nonsense}}' },
});

let store: FakeNotificationStore;
let email: RecordingChannel;
let slack: RecordingChannel;
let inApp: RecordingChannel;

beforeEach(() => {
  store = createFakeNotificationStore();
  store.addPermit({ id: 'P-1', title: 'Diabetes outcomes', status: 'WORKSPACE_SETUP_PENDING' });
  store.addUser({ userId: 'alice', displayName: 'Alice Researcher', email: 'alice@example.org', slackUserId: 'U-ALICE' });
  store.addUser({ userId: 'bob', displayName: 'Bob Researcher', email: 'bob@example.org' });
  store.addUser({ userId: 'rita', displayName: 'Rita Reviewer', email: 'rita@hdab.example.org' });
  store.addUser({ userId: 'dana', displayName: 'Dana Holder', email: 'dana@hospital.example.org' });
  store.addUser({ userId: 'adam', displayName: 'Adam Operator', email: 'adam@spe.example.org' });
  store.addMember('P-1', 'alice', 'RESEARCH_TEAM');
  store.addMember('P-1', 'bob', 'RESEARCH_TEAM');
  store.addMember('P-1', 'rita', 'HDAB_TEAM');
  store.addMember('P-1', 'dana', 'DATA_HOLDER');
  store.addMember('P-1', 'dan', 'DATA_HOLDER'); // not in the directory
  store.addMember('P-2', 'eve', 'RESEARCH_TEAM'); // another permit
  email = createRecordingChannel('email');
  slack = createRecordingChannel('slack');
  inApp = createRecordingChannel('in-app');
});

function handler(overrides: Partial<SendNotificationDeps> = {}) {
  return createSendNotificationHandler({ store, channels: [email, slack, inApp], templates, publicUrl: 'https://spe.example.org/', strictTemplates: true, ...overrides });
}

function job(headers: Record<string, string>, variables: Record<string, unknown> = {}, overrides: Partial<WorkerJob> = {}): WorkerJob {
  return makeWorkerJob({
    type: TASK_TYPES.notificationSend,
    bpmnProcessId: PROCESS_IDS.setup,
    elementId: 'Activity_NotifyReworkRequested',
    headers,
    variables: { permitId: 'P-1', ...variables },
    ...overrides,
  });
}

const rework = { template: 'setup-rework-requested', audience: 'research-team' };
const recipientsOf = (channel: RecordingChannel) => channel.sent.map((s) => s.target.recipient).sort();

describe('notification.send', () => {
  it('tells the members of the audience on every channel, with the actor, the decision, the comment and the link', async () => {
    await handler()(job(rework, { setupReviewedBy: 'rita', setupComment: 'Remove the crypto miner' }), silentLogger);

    expect(recipientsOf(email)).toEqual(['alice', 'bob']);
    expect(recipientsOf(slack)).toEqual(['alice', 'bob']);
    expect(recipientsOf(inApp)).toEqual(['alice', 'bob']);
    const { notification } = inApp.sent[0]!;
    expect(notification).toMatchObject({ permitId: 'P-1', template: 'setup-rework-requested', audience: 'research-team', critical: false });
    expect(notification.idempotencyKey).toMatch(/^notification\.send\/P-1\/\d+$/);
    expect(notification.content.subject).toBe('[SPE] rework requested: Diabetes outcomes (P-1)');
    expect(notification.content.text).toBe(
      'Rita Reviewer (rita) decided rework requested on Diabetes outcomes. Comment: Remove the crypto miner https://spe.example.org/permits/P-1/workspace',
    );
    expect(notification.content.link).toBe('https://spe.example.org/permits/P-1/workspace');
    expect(notification.content.inApp).toBe('rework requested on Diabetes outcomes by Rita Reviewer (rita)');
    expect(store.deliveries.every((d) => d.status === 'sent')).toBe(true);
    expect(store.deliveries).toHaveLength(6);
  });

  it('refuses, when built, a public base URL links cannot be built on', () => {
    expect(() => handler({ publicUrl: 'spe.example.org' })).toThrow(/public base URL .* is not an absolute URL/);
  });

  it('sends one message per recipient per channel when the same job is delivered twice', async () => {
    const once = job(rework, { setupReviewedBy: 'rita' });
    await handler()(once, silentLogger);
    await handler()({ ...once, jobKey: 'another-activation' }, silentLogger);

    expect(recipientsOf(email)).toEqual(['alice', 'bob']);
    expect(recipientsOf(slack)).toEqual(['alice', 'bob']);
    expect(recipientsOf(inApp)).toEqual(['alice', 'bob']);
  });

  it('tells again when the task runs again (a new element instance), e.g. the second rework', async () => {
    await handler()(job(rework), silentLogger);
    await handler()(job(rework), silentLogger);
    expect(recipientsOf(inApp)).toEqual(['alice', 'alice', 'bob', 'bob']);
  });

  it('fails the job for a retry when a channel fails, and the retry sends only what did not go out', async () => {
    const once = job(rework);
    slack.failAlways();
    const attempt = handler()(once, silentLogger);
    await expect(attempt).rejects.toBeInstanceOf(TransientError);
    await expect(attempt).rejects.toThrow(/2 deliveries failed \(slack to alice: slack is down; slack to bob: slack is down\); 4 went out/);
    expect(recipientsOf(email)).toEqual(['alice', 'bob']);
    expect(recipientsOf(inApp)).toEqual(['alice', 'bob']);
    expect(store.deliveries.filter((d) => d.status === 'failed').map((d) => d.lastError)).toEqual(['slack is down', 'slack is down']);

    slack.failAlways(false);
    await handler()(once, silentLogger);
    expect(recipientsOf(slack)).toEqual(['alice', 'bob']);
    expect(recipientsOf(email)).toEqual(['alice', 'bob']);
    expect(recipientsOf(inApp)).toEqual(['alice', 'bob']);
  });

  it('a failure for one recipient does not stop the others', async () => {
    email.failNext(1);
    await expect(handler()(job(rework), silentLogger)).rejects.toThrow(/1 deliveries failed \(email to alice/);
    expect(recipientsOf(email)).toEqual(['bob']);
  });

  it('holds the job (without using a retry) while another delivery of it is still sending a copy', async () => {
    const once = job(rework);
    const key = `notification.send/P-1/${once.elementInstanceKey}`;
    await store.claimDelivery({ idempotencyKey: key, channel: 'email', recipient: 'alice', permitId: 'P-1', template: rework.template, leaseMs: 60_000 });

    const attempt = handler({ holdMs: 5_000 })(once, silentLogger);
    await expect(attempt).rejects.toBeInstanceOf(HoldJobError);
    await expect(attempt).rejects.toMatchObject({ backOffMs: 5_000 });
    expect(recipientsOf(email)).toEqual(['bob']);
  });

  it('takes a claim over once its lease has run out (a delivery that died half-way)', async () => {
    let now = 1_000;
    store = createFakeNotificationStore({ now: () => now });
    store.addPermit({ id: 'P-1', title: 'T', status: 'ANALYSIS_ACTIVE' });
    store.addMember('P-1', 'alice', 'RESEARCH_TEAM');
    const once = job(rework);
    await store.claimDelivery({ idempotencyKey: `notification.send/P-1/${once.elementInstanceKey}`, channel: 'in-app', recipient: 'alice', permitId: 'P-1', template: rework.template, leaseMs: 1 });
    now += 10_000;
    await handler({ leaseMs: 5_000 })(once, silentLogger);
    expect(recipientsOf(inApp)).toEqual(['alice']);
  });

  it('leaves out email and Slack for people who turned them off, but not in-app', async () => {
    store.preferenceRows.push({ userId: 'alice', channel: 'email', enabled: false }, { userId: 'bob', channel: 'slack', enabled: false }, { userId: 'bob', channel: 'in-app', enabled: false });
    await handler()(job(rework), silentLogger);
    expect(recipientsOf(email)).toEqual(['bob']);
    expect(recipientsOf(slack)).toEqual(['alice']);
    expect(recipientsOf(inApp)).toEqual(['alice', 'bob']);
  });

  it('sends critical messages whatever the preferences', async () => {
    store.preferenceRows.push({ userId: 'alice', channel: 'email', enabled: false }, { userId: 'rita', channel: 'slack', enabled: false });
    await handler()(job({ template: 'permit-suspended', audience: 'everyone', critical: 'true' }, { suspendedBy: 'rita', suspensionReason: 'Data breach' }), silentLogger);
    expect(recipientsOf(email)).toEqual(['alice', 'bob', 'dan', 'dana', 'rita']);
    expect(recipientsOf(slack)).toEqual(['alice', 'bob', 'dan', 'dana', 'rita']);
    expect(email.sent[0]!.notification.critical).toBe(true);
  });

  it('narrows a data-holder audience to the holder of the branch, when that holder is on the team', async () => {
    await handler()(job({ template: 'upload-overdue', audience: 'data-holders' }, { dataHolder: 'dana' }), silentLogger);
    expect(recipientsOf(inApp)).toEqual(['dana']);
  });

  it('ignores a dataHolder variable that names someone who is not a data holder of the permit', async () => {
    const { logger, lines } = recordingLogger();
    await handler()(job({ template: 'upload-overdue', audience: 'data-holders' }, { dataHolder: 'mallory' }), logger);
    expect(recipientsOf(inApp)).toEqual(['dan', 'dana']);
    expect(lines.some((l) => l.level === 40 && String(l.msg).includes('"mallory" is not a DATA_HOLDER member'))).toBe(true);
  });

  it('tells the configured operators for the operators audience', async () => {
    await handler({ operatorUserIds: ['adam'] })(job({ template: 'provisioning-failed', audience: 'operators' }), silentLogger);
    expect(recipientsOf(inApp)).toEqual(['adam']);
  });

  it('completes with a warning when no one is in the audience', async () => {
    const { logger, lines } = recordingLogger();
    await handler()(job({ template: 'provisioning-failed', audience: 'operators' }), logger);
    expect(inApp.sent).toEqual([]);
    expect(lines.some((l) => l.level === 40 && String(l.msg).includes('no one on permit P-1 is in audience operators'))).toBe(true);
  });

  it('raises an incident for an unknown template, audience or permit', async () => {
    await expect(handler()(job({ template: 'no-such-template', audience: 'research-team' }), silentLogger)).rejects.toThrow(
      new NonRetryableError('template "no-such-template" is unknown (known: see docs/notifications.md); fix the task header'),
    );
    await expect(handler()(job({ template: 'setup-approved', audience: 'the-world' }), silentLogger)).rejects.toBeInstanceOf(NonRetryableError);
    await expect(handler()(job({ audience: 'research-team' }), silentLogger)).rejects.toThrow(/task header "template" is missing/);
    await expect(handler()(job(rework, { permitId: 'P-404' }), silentLogger)).rejects.toThrow(new NonRetryableError('permit P-404 does not exist, so there is no one to tell'));
  });

  it('raises an incident when a template file is missing (the catalog knows it, the store does not)', async () => {
    await expect(handler()(job({ template: 'setup-approved', audience: 'research-team' }), silentLogger)).rejects.toThrow(new NonRetryableError('template "setup-approved" does not exist'));
  });

  it('fails loudly on a template variable the context does not have in strict mode, and renders it empty otherwise', async () => {
    const ready = { template: 'workspace-ready', audience: 'research-team' };
    await expect(handler()(job(ready), silentLogger)).rejects.toThrow('template workspace-ready/text.txt uses {{nonsense}}, which the notification context does not have');
    expect(email.sent).toEqual([]);

    const { logger, lines } = recordingLogger();
    await handler({ strictTemplates: false })(job(ready), logger);
    expect(email.sent[0]!.notification.content.text).toBe('Hello ');
    expect(lines.some((l) => l.level === 50 && l.variable === 'nonsense')).toBe(true);
  });
});
