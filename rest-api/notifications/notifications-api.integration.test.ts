/**
 * Notifications over HTTP on the whole platform (`startPermitManagerForTest`): in-app notifications written by the
 * notification worker's in-app channel arrive on the SSE stream of their recipient only, and the caller's list,
 * read marks and preferences work through `/api/notifications`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { transitionPermit } from '../../db/index.js';
import { createInAppChannel } from '../../job-workers/notification/channels/in-app-channel.js';
import type { OutgoingNotification } from '../../job-workers/notification/channels/notification-channel.js';
import { EVENTS } from '../../shared/index.js';
import { openEventStream, type EventCollector } from '../../test/integration/support/event-collectors.js';
import { as, createPermit, expectStatus, request, type ApiUser } from '../../test/integration/support/permit-manager-client.js';
import { startPermitManagerForTest, type PermitManagerForTest } from '../../test/integration/support/start-permit-manager-for-test.js';

interface NotificationBody {
  id: string;
  title: string;
  readAt: string | null;
  critical: boolean;
}
interface ListBody {
  items: NotificationBody[];
  total: number;
  unreadCount: number;
}

function message(permitId: string, elementInstanceKey: string, over: Partial<OutgoingNotification> = {}): OutgoingNotification {
  return {
    idempotencyKey: `notification.send/${permitId}/${elementInstanceKey}`,
    permitId,
    template: 'workspace-ready',
    audience: 'research-team',
    critical: false,
    content: {
      subject: `Message ${elementInstanceKey}`,
      text: 'text',
      html: '<p>html</p>',
      slack: { text: 'slack', blocks: [] },
      inApp: `In-app text ${elementInstanceKey}`,
      link: `http://127.0.0.1/permits/${permitId}`,
    },
    ...over,
  };
}
const to = (userId: string) => ({ recipient: userId, address: userId, user: { userId, displayName: userId } });

describe('notifications over the REST API', () => {
  let pm: PermitManagerForTest;
  let alice: ApiUser;
  let rita: ApiUser;

  beforeAll(async () => {
    // The processes stand still: the test writes what the notification worker would.
    pm = await startPermitManagerForTest({ workers: false });
    alice = as(pm, await pm.tokenFor('alice'));
    rita = as(pm, await pm.tokenFor('rita'));
  }, 120_000);
  afterAll(async () => {
    await pm?.stop();
  });

  it('streams an in-app notification to its recipient only, with two users of the same permit connected', async () => {
    const permit = await createPermit(alice); // alice on the research team, rita and victor on the HDAB team
    const streams: Record<string, EventCollector> = {};
    for (const user of ['alice', 'rita', 'adam']) streams[user] = await openEventStream(pm, await pm.tokenFor(user));
    try {
      const inApp = createInAppChannel({ knex: pm.knex });
      const forAlice = await inApp.send(message(permit.id, '1'), to('alice'));
      const forRita = await inApp.send(message(permit.id, '2', { critical: true }), to('rita'));
      // Then an event everyone on the permit sees: once it has arrived, anything before it has too.
      await transitionPermit(pm.knex, { permitId: permit.id, to: 'SUBMITTED', actor: 'alice' });

      const seen = async (user: string) =>
        (await streams[user]!.waitFor((events) => events.some((e) => e.name === EVENTS.statusUpdated && e.permitId === permit.id))).filter(
          (e) => e.name === EVENTS.notificationCreated,
        );
      expect((await seen('alice')).map((e) => e.payload)).toEqual([
        { notificationId: forAlice.providerMessageId, userId: 'alice', permitId: permit.id, title: 'Message 1', link: `http://127.0.0.1/permits/${permit.id}`, critical: false },
      ]);
      expect((await seen('rita')).map((e) => e.payload.notificationId)).toEqual([forRita.providerMessageId]);
      expect(await seen('adam')).toEqual([]);
    } finally {
      await Promise.all(Object.values(streams).map((stream) => stream.close()));
    }
  });

  it("lists only the caller's notifications, marks them read and answers 404 for someone else's", async () => {
    const permit = await createPermit(alice);
    const inApp = createInAppChannel({ knex: pm.knex });
    const first = await inApp.send(message(permit.id, '10'), to('alice'));
    await inApp.send(message(permit.id, '11'), to('alice'));
    const ritas = await inApp.send(message(permit.id, '12'), to('rita'));

    const list = expectStatus(await alice.get<ListBody>('/notifications'), 200, 'list').body;
    expect(list.items.every((n) => n.title.startsWith('Message 1'))).toBe(true);
    expect(list.items.map((n) => n.id)).not.toContain(ritas.providerMessageId);
    const unreadBefore = list.unreadCount;

    const read = expectStatus(await alice.post<NotificationBody>(`/notifications/${first.providerMessageId}/read`), 200, 'read').body;
    expect(read).toMatchObject({ id: first.providerMessageId, readAt: expect.any(String) });
    const unread = expectStatus(await alice.get<ListBody>('/notifications?unread=true&limit=1'), 200, 'unread').body;
    expect(unread).toMatchObject({ total: unreadBefore - 1, unreadCount: unreadBefore - 1 });
    expect(unread.items).toHaveLength(1);

    const foreign = await alice.post(`/notifications/${ritas.providerMessageId}/read`);
    expect(foreign.status).toBe(404);
    expect(foreign.headers.get('content-type')).toMatch(/^application\/problem\+json/);

    expect(expectStatus(await alice.post('/notifications/read-all'), 200, 'read all').body).toEqual({ updated: unreadBefore - 1, unreadCount: 0 });
    expect((await rita.get<ListBody>('/notifications?unread=true')).body.items.map((n) => n.id)).toContain(ritas.providerMessageId);
  });

  it('keeps email and Slack preferences per user and says critical messages always go out', async () => {
    expect(expectStatus(await alice.get('/notifications/preferences'), 200, 'preferences').body).toMatchObject({ email: true, slack: true, inApp: true, criticalAlwaysSent: true });
    const put = await request(pm.baseUrl, 'PUT', '/notifications/preferences', { token: await pm.tokenFor('alice'), body: { email: false, slack: true } });
    expect(put).toMatchObject({ status: 200, body: { email: false, slack: true, criticalAlwaysSent: true, note: expect.stringMatching(/always sent/) } });
    expect((await alice.get('/notifications/preferences')).body).toMatchObject({ email: false, slack: true });
    expect((await rita.get('/notifications/preferences')).body).toMatchObject({ email: true, slack: true });

    const bad = await request(pm.baseUrl, 'PUT', '/notifications/preferences', { token: await pm.tokenFor('alice'), body: { email: 'off' } });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ errors: expect.arrayContaining([{ path: 'body.email', message: 'must be true or false' }, expect.objectContaining({ path: 'body.slack' })]) });
    expect((await request(pm.baseUrl, 'GET', '/notifications')).status).toBe(401);
  });
});
