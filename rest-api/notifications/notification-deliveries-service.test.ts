import { describe, expect, it } from 'vitest';
import { ForbiddenError, NotFoundError } from '../../shared/index.js';
import type { Caller } from '../identity/caller.js';
import { createPermitAccess } from '../permits/permit-access.js';
import { createFakePermitStore } from '../permits/fake-permit-store.js';
import { callRoute } from '../platform/testing/call-route.js';
import { createFakeNotificationDeliveriesFeature } from './create-notification-deliveries-feature.js';
import type { FakeNotificationDeliveriesStore } from './fake-notification-deliveries-store.js';
import { createNotificationDeliveriesRouter } from './notification-deliveries-router.js';

const alice: Caller = { userId: 'alice', name: 'Alice', roles: ['researcher'] };
const rita: Caller = { userId: 'rita', name: 'Rita', roles: ['hdab-reviewer'] };
const victor: Caller = { userId: 'victor', name: 'Victor', roles: ['hdab-reviewer'] };
const dana: Caller = { userId: 'dana', name: 'Dana', roles: ['data-holder'] };
const adam: Caller = { userId: 'adam', name: 'Adam', roles: ['admin'] };
const ID = 'eeeeeeee-0000-4000-8000-000000000001';
const OTHER = 'eeeeeeee-0000-4000-8000-000000000002';

type Row = FakeNotificationDeliveriesStore['rows'][number];
const row = (over: Partial<Row> & Pick<Row, 'recipient' | 'channel' | 'claimedAt'>): Row => ({
  permitId: ID,
  idempotencyKey: `notification.send/${ID}/1`,
  template: 'workspace-ready',
  status: 'sent',
  deliveredAt: over.claimedAt,
  attempts: 1,
  lastError: null,
  ...over,
});

function setup() {
  const permits = createFakePermitStore();
  permits.seed({ id: ID, status: 'CLOSED' }, [
    { userId: 'alice', teamRole: 'RESEARCH_TEAM' },
    { userId: 'rita', teamRole: 'HDAB_TEAM' },
    { userId: 'dana', teamRole: 'DATA_HOLDER' },
    // A researcher wrongly listed on the HDAB team still may not read the ledger.
    { userId: 'bob', teamRole: 'HDAB_TEAM' },
  ]);
  const { service, store } = createFakeNotificationDeliveriesFeature({ access: createPermitAccess(permits) });
  store.rows.push(
    row({ recipient: 'rita', channel: 'in-app', claimedAt: '2026-03-01T10:00:01.000Z' }),
    row({ recipient: 'alice', channel: 'in-app', claimedAt: '2026-03-01T10:00:00.000Z' }),
    row({ recipient: 'alice', channel: 'email', claimedAt: '2026-03-01T10:00:00.000Z', status: 'failed', deliveredAt: null, attempts: 2, lastError: 'SMTP 554 refused' }),
    row({ recipient: 'alice', channel: 'email', claimedAt: '2026-03-01T10:00:00.000Z', permitId: OTHER }),
  );
  return { store, service };
}

describe('notification deliveries service', () => {
  it("gives the HDAB team the permit's ledger by claim time, recipient and channel, also after closure", async () => {
    const { service } = setup();
    const { items } = await service.listForPermit(rita, ID);
    expect(items).toEqual([
      { template: 'workspace-ready', recipient: 'alice', channel: 'email', status: 'failed', claimedAt: '2026-03-01T10:00:00.000Z', deliveredAt: null, attempts: 2, lastError: 'SMTP 554 refused' },
      { template: 'workspace-ready', recipient: 'alice', channel: 'in-app', status: 'sent', claimedAt: '2026-03-01T10:00:00.000Z', deliveredAt: '2026-03-01T10:00:00.000Z', attempts: 1, lastError: null },
      { template: 'workspace-ready', recipient: 'rita', channel: 'in-app', status: 'sent', claimedAt: '2026-03-01T10:00:01.000Z', deliveredAt: '2026-03-01T10:00:01.000Z', attempts: 1, lastError: null },
    ]);
    expect((await service.listForPermit(adam, ID)).items).toHaveLength(3);
  });

  it('refuses other members with 403 saying who may, and answers 404 to anyone who cannot see the permit', async () => {
    const { service } = setup();
    await expect(service.listForPermit(alice, ID)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(service.listForPermit(dana, ID)).rejects.toThrow("Only hdab-reviewer on the permit's HDAB_TEAM or admin may read the notification deliveries");
    await expect(service.listForPermit({ userId: 'bob', name: 'Bob', roles: ['researcher'] }, ID)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(service.listForPermit(victor, ID)).rejects.toBeInstanceOf(NotFoundError);
    await expect(service.listForPermit(rita, OTHER)).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('notification deliveries router', () => {
  it('answers 403 problem naming who may, 404 for a stranger and 400 for an id that is not a uuid', async () => {
    const { service } = setup();
    const [route] = createNotificationDeliveriesRouter({ service }).routes;
    if (!route) throw new Error('no route');
    expect(await callRoute(route, { caller: alice, params: { id: ID } })).toMatchObject({
      status: 403,
      body: { detail: expect.stringContaining("Only hdab-reviewer on the permit's HDAB_TEAM or admin may"), read: 'read-deliveries' },
    });
    expect((await callRoute(route, { caller: victor, params: { id: ID } })).status).toBe(404);
    expect(await callRoute(route, { caller: rita, params: { id: 'nope' } })).toMatchObject({ status: 400, body: { errors: [{ path: 'params.id' }] } });
    expect(await callRoute(route, { caller: rita, params: { id: ID } })).toMatchObject({ status: 200, body: { items: [{ recipient: 'alice' }, { recipient: 'alice' }, { recipient: 'rita' }] } });
  });
});
