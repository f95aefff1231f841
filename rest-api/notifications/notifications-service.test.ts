import { describe, expect, it } from 'vitest';
import { NotFoundError } from '../../shared/index.js';
import type { Caller } from '../identity/caller.js';
import { callRoute } from '../platform/testing/call-route.js';
import { createFakeNotificationsFeature } from './create-notifications-feature.js';
import type { Notification } from './notifications-schemas.js';
import { createNotificationsRouter } from './notifications-router.js';

const alice: Caller = { userId: 'alice', name: 'Alice', roles: ['researcher'] };
const adam: Caller = { userId: 'adam', name: 'Adam', roles: ['admin'] };
const NOW = new Date('2026-03-01T12:00:00.000Z');

function notification(id: string, userId: string, createdAt: string, over: Partial<Notification> = {}): Notification & { userId: string } {
  return { id, userId, permitId: 'p1', template: 'workspace-ready', title: `Title ${id}`, body: `Body ${id}`, link: null, critical: false, createdAt, readAt: null, ...over };
}

function setup() {
  const { service, store } = createFakeNotificationsFeature({ now: () => NOW });
  store.rows.push(
    notification('n1', 'alice', '2026-02-01T00:00:00.000Z'),
    notification('n2', 'alice', '2026-02-02T00:00:00.000Z', { readAt: '2026-02-03T00:00:00.000Z' }),
    notification('n3', 'alice', '2026-02-04T00:00:00.000Z', { critical: true }),
    notification('n4', 'adam', '2026-02-05T00:00:00.000Z'),
  );
  const router = createNotificationsRouter({ service });
  const route = (method: string, path: string) => {
    const found = router.routes.find((r) => r.spec.method === method && r.spec.path === path);
    if (!found) throw new Error(`no route ${method} ${path}`);
    return found;
  };
  return { store, service, route };
}

describe('notifications service', () => {
  it("lists the caller's own notifications newest first, with the unread count, and pages them", async () => {
    const { service } = setup();
    const page = await service.list(alice, { unreadOnly: false, limit: 2, offset: 0 });
    expect(page).toMatchObject({ total: 3, unreadCount: 2, limit: 2, offset: 0 });
    expect(page.items.map((n) => n.id)).toEqual(['n3', 'n2']);
    expect((await service.list(alice, { unreadOnly: false, limit: 2, offset: 2 })).items.map((n) => n.id)).toEqual(['n1']);
    expect((await service.list(alice, { unreadOnly: true, limit: 50, offset: 0 })).items.map((n) => n.id)).toEqual(['n3', 'n1']);
  });

  it("marks one read once (keeping the first time) and refuses other people's notifications, admins included", async () => {
    const { service } = setup();
    expect(await service.markRead(alice, 'n1')).toMatchObject({ id: 'n1', readAt: NOW.toISOString() });
    expect((await service.markRead(alice, 'n2')).readAt).toBe('2026-02-03T00:00:00.000Z');
    await expect(service.markRead(alice, 'n4')).rejects.toBeInstanceOf(NotFoundError);
    await expect(service.markRead(adam, 'n1')).rejects.toThrow(/You have no notification n1/);
  });

  it("marks all the caller's unread notifications read, nobody else's", async () => {
    const { service, store } = setup();
    expect(await service.markAllRead(alice)).toEqual({ updated: 2, unreadCount: 0 });
    expect(await service.markAllRead(alice)).toEqual({ updated: 0, unreadCount: 0 });
    expect(store.rows.find((r) => r.id === 'n4')?.readAt).toBeNull();
  });

  it('keeps preferences per user, on by default, and says that critical messages always go out', async () => {
    const { service } = setup();
    expect(await service.preferences(alice)).toMatchObject({ email: true, slack: true, inApp: true, criticalAlwaysSent: true });
    const changed = await service.setPreferences(alice, { email: false, slack: true });
    expect(changed).toMatchObject({ email: false, slack: true, criticalAlwaysSent: true, note: expect.stringMatching(/always sent/) });
    expect(await service.preferences(adam)).toMatchObject({ email: true, slack: true });
  });
});

describe('notifications router', () => {
  it('reads the unread filter and paging from the query', async () => {
    const { route } = setup();
    const answer = await callRoute(route('get', '/notifications'), { caller: alice, query: { unread: 'true', limit: '1' } });
    expect(answer).toMatchObject({ status: 200, body: { items: [{ id: 'n3' }], total: 2, unreadCount: 2, limit: 1, offset: 0 } });
  });

  it('answers 400 for a bad filter, paging or preferences body, naming the field', async () => {
    const { route } = setup();
    expect(await callRoute(route('get', '/notifications'), { caller: alice, query: { unread: 'yes' } })).toMatchObject({
      status: 400,
      body: { errors: [{ path: 'query.unread', message: 'must be true or false' }] },
    });
    expect((await callRoute(route('get', '/notifications'), { caller: alice, query: { limit: '0' } })).status).toBe(400);
    const bad = await callRoute(route('put', '/notifications/preferences'), { caller: alice, body: { email: 'no', slack: true, sms: false } });
    expect(bad.status).toBe(400);
    expect((bad.body as { errors: { path: string }[] }).errors.map((e) => e.path).sort()).toEqual(['body', 'body.email']);
  });

  it('answers 404 problem for a notification that is not yours', async () => {
    const { route } = setup();
    const answer = await callRoute(route('post', '/notifications/{id}/read'), { caller: alice, params: { id: 'n4' } });
    expect(answer).toMatchObject({ status: 404, body: { detail: 'You have no notification n4.' } });
  });

  it('puts preferences and answers what is now in force', async () => {
    const { route } = setup();
    const answer = await callRoute(route('put', '/notifications/preferences'), { caller: alice, body: { email: false, slack: false } });
    expect(answer).toMatchObject({ status: 200, body: { email: false, slack: false, inApp: true, criticalAlwaysSent: true } });
    expect((await callRoute(route('post', '/notifications/read-all'), { caller: alice })).body).toEqual({ updated: 2, unreadCount: 0 });
  });
});
