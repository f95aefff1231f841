/** The in-app channel on the real database: one row and one `notification.created` event per user, however often it is called. */
import type { Knex } from 'knex';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TABLES, type Database } from '../../../db/index.js';
import { testDatabaseTargets } from '../../../db/testing/test-databases.js';
import { EVENTS } from '../../../shared/index.js';
import { createInAppChannel, inAppNotificationId } from './in-app-channel.js';
import type { OutgoingNotification } from './notification-channel.js';

const notification: OutgoingNotification = {
  idempotencyKey: 'notification.send/p1/2251799813685301',
  permitId: 'p1',
  template: 'workspace-ready',
  audience: 'research-team',
  critical: false,
  content: {
    subject: 'Workspace ready for setup: Cardiovascular outcomes',
    text: 'text',
    html: '<p>html</p>',
    slack: { text: 'slack', blocks: [] },
    inApp: 'Your Setup VM for "Cardiovascular outcomes" is ready. Install your tools, then submit it for review.',
    link: 'http://127.0.0.1:3000/permits/p1',
  },
};
const target = (userId: string) => ({ recipient: userId, address: userId, user: { userId, displayName: userId } });

describe.each(testDatabaseTargets())('in-app channel on $name', (dbTarget) => {
  let db: Database;
  let knex: Knex;
  beforeEach(async () => {
    db = await dbTarget.open();
    knex = db.knex;
  });
  afterEach(() => db.close());
  afterAll(() => dbTarget.dispose());

  it('stores the notification and its notification.created event once per user, however often it is sent', async () => {
    const channel = createInAppChannel({ knex });
    expect(channel).toMatchObject({ name: 'in-app', silenceable: false });
    const first = await channel.send(notification, target('alice'));
    const again = await channel.send(notification, target('alice'));
    await Promise.all([channel.send(notification, target('bob')), channel.send(notification, target('bob'))]);

    expect(first.providerMessageId).toBe(inAppNotificationId(notification.idempotencyKey, 'alice'));
    expect(again).toEqual(first);
    const rows = (await knex(TABLES.notifications).orderBy('user_id').select('*')) as Record<string, unknown>[];
    expect(rows).toEqual([
      {
        id: first.providerMessageId,
        user_id: 'alice',
        permit_id: 'p1',
        template: 'workspace-ready',
        title: notification.content.subject,
        body: notification.content.inApp,
        link: notification.content.link,
        critical: false,
        idempotency_key: notification.idempotencyKey,
        created_at: expect.any(Date),
        read_at: null,
      },
      expect.objectContaining({ user_id: 'bob' }),
    ]);
    const events = (await knex(TABLES.outboxEvents).orderBy('seq').select('name', 'permit_id', 'payload')) as { name: string; permit_id: string; payload: Record<string, unknown> }[];
    expect(events).toEqual([
      {
        name: EVENTS.notificationCreated,
        permit_id: 'p1',
        payload: { notificationId: first.providerMessageId, userId: 'alice', permitId: 'p1', title: notification.content.subject, link: notification.content.link, critical: false },
      },
      expect.objectContaining({ payload: expect.objectContaining({ userId: 'bob' }) }),
    ]);
  });

  it('keeps a notification read once it was read, when the same job is delivered again', async () => {
    const channel = createInAppChannel({ knex });
    const { providerMessageId } = await channel.send({ ...notification, critical: true }, target('alice'));
    await knex(TABLES.notifications).where({ id: providerMessageId }).update({ read_at: new Date() });
    await channel.send({ ...notification, critical: true }, target('alice'));
    expect(await knex(TABLES.notifications).where({ id: providerMessageId }).first('read_at', 'critical')).toEqual({ read_at: expect.any(Date), critical: true });
  });
});
