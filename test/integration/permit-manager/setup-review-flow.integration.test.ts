/**
 * The SPE design's Environment Setup & Review flow over HTTP: a permit driven through application, ingress and
 * preparation by API calls and user tasks, the research team submits its workspace for review
 * (WORKSPACE_SETUP_REVIEW_PENDING), an HDAB reviewer approves with `{ stage: "SETUP", decision: "APPROVED" }`,
 * and the permit reaches ANALYSIS_ACTIVE — with permit.status.updated and permit.setup.approved delivered on the
 * SSE stream and, when AMQP_URL is set, on RabbitMQ.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVENTS, FORM_IDS } from '../../../shared/index.js';
import { expectStatus, waitForStatus, waitForTask, type PermitBody } from '../support/permit-manager-client.js';
import { startPermitManagerForTest, type PermitManagerForTest } from '../support/start-permit-manager-for-test.js';
import { openEventStream, type CollectedEvent } from '../support/event-collectors.js';
import { SETUP_CHECKLIST, permitInSetup, usersOf, type Users } from './drive-permit.js';

// On PostgreSQL when DATABASE_URL is set (CI), and always on the embedded PGlite of a fresh machine.
const databases = process.env.DATABASE_URL ? (['postgresql', 'pglite'] as const) : (['pglite'] as const);

describe.each(databases)('Environment Setup & Review over the REST API (%s)', (database) => {
  let pm: PermitManagerForTest;
  let users: Users;

  beforeAll(async () => {
    pm = await startPermitManagerForTest({ database });
    users = await usersOf(pm);
  }, 120_000);
  afterAll(async () => {
    await pm?.stop();
  });

  it('takes a permit from setup through review to ANALYSIS_ACTIVE and publishes the events', async () => {
    const sse = await openEventStream(pm, await pm.tokenFor('alice'));
    const amqp = await pm.events.collectFromBroker();
    try {
      const permit = await permitInSetup(pm, users);

      const submitted = expectStatus(await users.alice.post<PermitBody>(`/permits/${permit.id}/workspace/submit-for-review`, { note: 'Ready for review' }), 202, 'submit for review');
      expect(submitted.headers.get('etag')).toBe(`"${submitted.body.version}"`);
      const task = await waitForTask(users.rita, permit.id, FORM_IDS.setupReview);
      expect(task).toMatchObject({ name: 'Review workspace setup', permit: { id: permit.id } });
      expect(task.dueDate).not.toBeNull();

      const inReview = await waitForStatus(users.rita, permit.id, 'WORKSPACE_SETUP_REVIEW_PENDING');
      expect(inReview.allowedActions).toContain('review-setup');
      const fresh = await users.rita.get(`/permits/${permit.id}`);
      expect(fresh.headers.get('etag')).toBe(`"${inReview.version}"`);

      const decision = expectStatus(
        await users.rita.post(`/permits/${permit.id}/review`, { stage: 'SETUP', decision: 'APPROVED', checklist: SETUP_CHECKLIST }, { 'if-match': `"${inReview.version}"` }),
        201,
        'approve setup',
      );
      expect(decision.body).toMatchObject({ stage: 'SETUP', decision: 'APPROVED', reviewer: 'rita', submittedBy: 'alice', userTaskKey: task.userTaskKey });

      const active = await waitForStatus(users.alice, permit.id, 'ANALYSIS_ACTIVE');
      expect(active.allowedActions).toEqual(expect.arrayContaining(['create-egress-request', 'submit-egress-request', 'close', 'request-amendment']));

      const history = (await users.alice.get<{ newStatus: string }[]>(`/permits/${permit.id}/history`)).body.map((h) => h.newStatus);
      expect(history.slice(-4)).toEqual(['WORKSPACE_SETUP_PENDING', 'WORKSPACE_SETUP_REVIEW_PENDING', 'ANALYSIS_PROVISIONING', 'ANALYSIS_ACTIVE']);

      const reviews = (await users.alice.get<{ stage: string; decision: string; reviewer: string }[]>(`/permits/${permit.id}/reviews`)).body;
      expect(reviews.map((r) => `${r.stage}:${r.decision}:${r.reviewer}`)).toEqual(['APPLICATION:APPROVED:rita', 'SETUP:APPROVED:rita']);
      // The decider is the task's assignee: the portal assigned the task to rita before completing it.
      const reviewed = (await pm.knex('audit_log').where({ permit_id: permit.id, action: 'setup.reviewed' }).first('actor')) as { actor: string } | undefined;
      expect(reviewed?.actor).toBe('rita');
      // With no malware scanner in the tests the delivery was held: rita released it from quarantine, then signed off the preparation.
      const decided = (await pm.knex('audit_log').where({ permit_id: permit.id, action: 'task.decided' }).orderBy('seq').select('actor', 'details')) as { actor: string; details: { elementId: string } }[];
      expect(decided.map((d) => `${d.actor}:${d.details.elementId}`)).toEqual(expect.arrayContaining(['rita:Task_HandleBlockedDelivery', 'rita:Task_PrepareData']));

      const wanted = (events: CollectedEvent[]) => ({
        approved: events.find((e) => e.name === EVENTS.setupApproved && e.permitId === permit.id),
        active: events.find((e) => e.name === EVENTS.statusUpdated && e.permitId === permit.id && e.payload.newStatus === 'ANALYSIS_ACTIVE'),
      });
      const fromSse = wanted(await sse.waitFor((events) => Object.values(wanted(events)).every(Boolean)));
      expect(fromSse.active?.payload).toMatchObject({ permitId: permit.id, previousStatus: 'ANALYSIS_PROVISIONING', newStatus: 'ANALYSIS_ACTIVE' });
      expect(fromSse.approved).toBeDefined();
      // RabbitMQ carries the same events (same ids) when a broker is configured (AMQP_URL).
      const fromBroker = amqp ? wanted(await amqp.waitFor((events) => Object.values(wanted(events)).every(Boolean))) : undefined;
      expect(amqp ? [fromBroker?.approved?.id, fromBroker?.active?.id] : 'no broker').toEqual(amqp ? [fromSse.approved?.id, fromSse.active?.id] : 'no broker');
    } finally {
      await sse.close();
      await amqp?.close();
    }
  });
});
