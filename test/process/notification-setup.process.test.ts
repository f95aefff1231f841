/**
 * BPMN 3 "Environment Setup & Review" on the embedded engine with the REAL `notification.send` worker (fakes for
 * every other task type): recipients come from the permit's team in the Permit Manager database (the knex
 * notification store on PGlite, or PostgreSQL when DATABASE_URL is set), email goes over SMTP to an in-process
 * server, Slack through the WebClient to a local endpoint, in-app into `notifications`. The researcher is told
 * the workspace is ready, the reviewers that a review waits, and the researcher the decision with the comment —
 * each person once per message and channel, and only the people the message is for.
 */
import type { Knex } from 'knex';
import type { ParsedMail } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TABLES, type Database } from '../../db/index.js';
import { insertPermit } from '../../db/testing/permit-fixtures.js';
import { testDatabaseTargets, type TestDatabaseTarget } from '../../db/testing/test-databases.js';
import { createInAppChannel } from '../../job-workers/notification/channels/in-app-channel.js';
import { createEmailChannel, type EmailChannel } from '../../job-workers/notification/channels/email-channel.js';
import { createSlackChannel } from '../../job-workers/notification/channels/slack-channel.js';
import { createNotificationHandler } from '../../job-workers/notification/index.js';
import { createKnexNotificationStore } from '../../job-workers/notification/knex-notification-store.js';
import { startLocalSlackApi, type LocalSlackApi } from '../../job-workers/notification/testing/local-slack-api.js';
import { startLocalSmtpServer, type LocalSmtpServer } from '../../job-workers/notification/testing/local-smtp-server.js';
import { createJobRunner } from '../../job-workers/runtime/run-job.js';
import type { ActivatedJob as RuntimeJob } from '../../job-workers/runtime/worker-job.js';
import { silentLogger } from '../../job-workers/testing/make-worker-job.js';
import { EVENTS, MESSAGES, PROCESS_IDS, REVIEW_VARIABLES, TASK_TYPES } from '../../shared/index.js';
import { waitFor } from '../conformance/support/harness.js';
import { startProcessTest, type ProcessTest } from './support/process-harness.js';

const SETUP = REVIEW_VARIABLES.SETUP;
const PUBLIC_URL = 'http://portal.spe.test';

let t: ProcessTest;
let target: TestDatabaseTarget;
let db: Database;
let knex: Knex;
let smtp: LocalSmtpServer;
let slackApi: LocalSlackApi;
let email: EmailChannel;

beforeAll(async () => {
  // PostgreSQL when available (quicker to start), else PGlite.
  target = testDatabaseTargets().at(-1)!;
  [t, db, smtp, slackApi] = await Promise.all([startProcessTest(), target.open(), startLocalSmtpServer(), startLocalSlackApi()]);
  knex = db.knex;
  await knex(TABLES.userDirectory).insert([
    { user_id: 'alice', display_name: 'Alice Okafor', email: 'alice@research.test', slack_user_id: 'U0ALICE', roles: JSON.stringify(['researcher']) },
    { user_id: 'bob', display_name: 'Bob Lindqvist', email: 'bob@research.test', roles: JSON.stringify(['researcher']) },
    { user_id: 'rita', display_name: 'Rita Hansen', email: 'rita@hdab.test', roles: JSON.stringify(['hdab-reviewer']) },
    { user_id: 'victor', display_name: 'Victor Meyer', email: 'victor@hdab.test', roles: JSON.stringify(['hdab-reviewer']) },
    { user_id: 'dana', display_name: 'Dana Holder', email: 'dana@hospital.test', roles: JSON.stringify(['data-holder']) },
  ]);
  // Bob does not want non-critical email.
  await knex(TABLES.notificationPreferences).insert({ user_id: 'bob', channel: 'email', enabled: false });

  email = createEmailChannel({ from: 'SPE platform <noreply@spe.test>', smtpUrl: smtp.url, logger: silentLogger });
  const handlers = createNotificationHandler({
    store: createKnexNotificationStore(knex),
    channels: [email, createSlackChannel({ token: 'xoxb-process-test', channels: { 'hdab-reviewers': '#hdab-reviews' }, slackApiUrl: slackApi.url }), createInAppChannel({ knex })],
    publicUrl: PUBLIC_URL,
    logger: silentLogger,
    strictTemplates: true,
  });
  const run = createJobRunner(handlers[TASK_TYPES.notificationSend], { logger: silentLogger });
  t.handle(TASK_TYPES.notificationSend, (job) => run(job as unknown as RuntimeJob));
});

afterAll(async () => {
  await t?.stop();
  email?.close();
  await smtp?.close();
  await slackApi?.close();
  await db?.close();
  await target?.dispose();
});

async function newPermit(title: string): Promise<string> {
  const permit = await insertPermit(knex, { status: 'WORKSPACE_SETUP_PENDING' });
  await knex(TABLES.permits).where({ id: permit.id }).update({ title });
  await knex(TABLES.permitMembers).insert([
    { permit_id: permit.id, user_id: 'alice', team_role: 'RESEARCH_TEAM', added_by: 'alice' },
    { permit_id: permit.id, user_id: 'bob', team_role: 'RESEARCH_TEAM', added_by: 'alice' },
    { permit_id: permit.id, user_id: 'rita', team_role: 'HDAB_TEAM', added_by: 'adam' },
    { permit_id: permit.id, user_id: 'victor', team_role: 'HDAB_TEAM', added_by: 'adam' },
    { permit_id: permit.id, user_id: 'dana', team_role: 'DATA_HOLDER', added_by: 'rita' },
  ]);
  return permit.id;
}

const mailsFor = (permitId: string, template: string): ParsedMail[] =>
  smtp.received.filter((m) => m.parsed.headers.get('x-spe-permit') === permitId && m.parsed.headers.get('x-spe-template') === template).map((m) => m.parsed);

const waitForMails = (permitId: string, template: string, count: number) =>
  waitFor(() => (mailsFor(permitId, template).length >= count ? mailsFor(permitId, template) : undefined), { message: `${count} ${template} emails for ${permitId}` });

const recipientsOf = (mails: ParsedMail[]) => mails.flatMap((m) => (m.to && !Array.isArray(m.to) ? m.to.value.map((a) => a.address) : [])).sort();

async function inApp(permitId: string, template: string) {
  return (await knex(TABLES.notifications).where({ permit_id: permitId, template }).orderBy('user_id').select('user_id', 'title', 'body', 'link')) as {
    user_id: string;
    title: string;
    body: string;
    link: string;
  }[];
}

async function review(processInstanceKey: string, decision: string, comment: string) {
  const task = await t.waitForUserTask({ processInstanceKey, elementId: 'Task_ReviewSetup' });
  await t.completeUserTask(task.userTaskKey, { [SETUP.decision]: decision, [SETUP.comment]: comment, [SETUP.reviewer]: 'rita' });
}

async function submit(processInstanceKey: string, permitId: string, note: string) {
  await t.waitForActiveElement(processInstanceKey, 'Event_SetupSubmitted');
  await t.correlate(MESSAGES.setupSubmitted, permitId, { setupSubmittedBy: 'alice', setupSubmissionNote: note });
}

describe('notifications of 3 Environment Setup & Review', () => {
  it('tells the researchers the workspace is ready, the reviewers a review waits, and the researchers each decision with its comment', async () => {
    const permitId = await newPermit('Diabetes outcomes 2015-2024');
    const permitUrl = `${PUBLIC_URL}/permits/${permitId}`;
    const key = await t.startProcess(PROCESS_IDS.setup, { permitId });

    // 1. Workspace ready → research team (Alice by email; Bob turned email off, both in-app).
    const [ready] = await waitForMails(permitId, 'workspace-ready', 1);
    expect(recipientsOf([ready!])).toEqual(['alice@research.test']);
    expect(ready!.subject).toBe(`[SPE] Workspace ready for setup: Diabetes outcomes 2015-2024 (${permitId})`);
    expect(ready!.text).toContain('The setup workspace for the permit "Diabetes outcomes 2015-2024"');
    expect(ready!.text).toContain(`Open the workspace: ${permitUrl}/workspace`);
    expect(String(ready!.html)).toContain(`href="${permitUrl}/workspace"`);
    await waitFor(async () => (await inApp(permitId, 'workspace-ready')).length === 2, { message: 'in-app workspace-ready for alice and bob' });
    expect((await inApp(permitId, 'workspace-ready')).map((n) => n.user_id)).toEqual(['alice', 'bob']);

    // 2. Submitted → HDAB reviewers by email and in their Slack channel; not the researchers or the data holder.
    await submit(key, permitId, 'RStudio and our R packages are installed');
    const reviewMails = await waitForMails(permitId, 'setup-review-requested', 2);
    expect(recipientsOf(reviewMails)).toEqual(['rita@hdab.test', 'victor@hdab.test']);
    expect(reviewMails[0]!.text).toContain('Alice Okafor (alice) submitted the setup workspace of the permit "Diabetes outcomes 2015-2024"');
    expect(reviewMails[0]!.text).toContain('RStudio and our R packages are installed');
    expect(reviewMails[0]!.text).toContain(`Open the review task: ${PUBLIC_URL}/tasks?permitId=${permitId}`);
    const slackPost = await waitFor(() => slackApi.posts.find((p) => p.channel === '#hdab-reviews' && JSON.stringify(p.blocks).includes(permitId)), { message: 'the Slack post to #hdab-reviews' });
    expect(slackPost.text).toBe(`Workspace setup to review: Diabetes outcomes 2015-2024 (${permitId})`);
    await waitFor(async () => (await inApp(permitId, 'setup-review-requested')).length === 2, { message: 'in-app for the reviewers' });
    expect((await inApp(permitId, 'setup-review-requested')).map((n) => n.user_id)).toEqual(['rita', 'victor']);

    // 3. Rework requested, with the comment → research team.
    await review(key, 'REWORK_REQUESTED', 'Please remove the VPN client from /opt/tools.');
    const [rework] = await waitForMails(permitId, 'setup-rework-requested', 1);
    expect(recipientsOf([rework!])).toEqual(['alice@research.test']);
    expect(rework!.text).toContain('Rita Hansen (rita) reviewed the setup workspace');
    expect(rework!.text).toContain('Decision: rework requested');
    expect(rework!.text).toContain('What to change:\nPlease remove the VPN client from /opt/tools.');
    const reworkInApp = await waitFor(async () => ((await inApp(permitId, 'setup-rework-requested')).length === 2 ? inApp(permitId, 'setup-rework-requested') : undefined), { message: 'in-app rework' });
    expect(reworkInApp.map((n) => n.user_id)).toEqual(['alice', 'bob']);
    expect(reworkInApp[0]!.body).toContain('"Please remove the VPN client from /opt/tools."');
    expect(reworkInApp[0]!.link).toBe(`${permitUrl}/workspace`);

    // 4. Second submission → the reviewers are told again (a new task instance: a new message).
    await submit(key, permitId, 'VPN client removed');
    await waitForMails(permitId, 'setup-review-requested', 4);

    // 5. Approved, with the comment → research team; the process ends.
    await review(key, 'APPROVED', 'Clean setup, approved for analysis.');
    const [approved] = await waitForMails(permitId, 'setup-approved', 1);
    expect(recipientsOf([approved!])).toEqual(['alice@research.test']);
    expect(approved!.subject).toBe(`[SPE] Workspace setup approved: Diabetes outcomes 2015-2024 (${permitId})`);
    expect(approved!.text).toContain('Decision: approved');
    expect(approved!.text).toContain("Reviewer's comment:\nClean setup, approved for analysis.");
    expect(String(approved!.html)).toContain('Clean setup, approved for analysis.');
    await t.waitForProcessState(key, 'COMPLETED');

    // Each message once per recipient per channel, and nothing to people it was not for.
    const all = smtp.received.filter((m) => m.parsed.headers.get('x-spe-permit') === permitId);
    const perRecipient = all.map((m) => `${String(m.parsed.headers.get('x-spe-template'))} → ${m.envelopeTo.join(',')}`);
    expect(perRecipient.sort()).toEqual(
      [
        'workspace-ready → alice@research.test',
        'setup-review-requested → rita@hdab.test',
        'setup-review-requested → victor@hdab.test',
        'setup-rework-requested → alice@research.test',
        'setup-review-requested → rita@hdab.test',
        'setup-review-requested → victor@hdab.test',
        'setup-approved → alice@research.test',
      ].sort(),
    );
    // Slack: one channel post per review request; the research team's messages as direct messages to Alice (the only one with a Slack id).
    const slackFor = slackApi.posts.filter((p) => JSON.stringify(p.blocks).includes(permitId)).map((p) => `${p.channel}: ${p.text.split(':')[0]}`);
    expect(slackFor).toEqual([
      'U0ALICE: Workspace ready for setup',
      '#hdab-reviews: Workspace setup to review',
      'U0ALICE: Rework requested on your workspace setup',
      '#hdab-reviews: Workspace setup to review',
      'U0ALICE: Workspace setup approved',
    ]);
    expect(all.some((m) => m.envelopeTo.includes('dana@hospital.test') || m.envelopeTo.includes('bob@research.test'))).toBe(false);
    const ledger = (await knex(TABLES.notificationDeliveries).where({ permit_id: permitId }).select('status')) as { status: string }[];
    expect(ledger.every((row) => row.status === 'sent')).toBe(true);
    // The in-app rows were announced on the event stream, one event per user and message.
    const events = (await knex(TABLES.outboxEvents).where({ permit_id: permitId, name: EVENTS.notificationCreated }).select('payload')) as { payload: { userId: string } }[];
    const [{ count }] = (await knex(TABLES.notifications).where({ permit_id: permitId }).count('* as count')) as [{ count: string | number }];
    expect(Number(count)).toBe(10); // 2 ready + 2 × 2 review requests + 2 rework + 2 approved
    expect(events).toHaveLength(10);
  });
});
