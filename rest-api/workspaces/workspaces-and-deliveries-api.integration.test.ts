/**
 * "What was provisioned" and "who was notified" over HTTP on the whole platform (`startPermitManagerForTest`:
 * PGlite, or PostgreSQL when DATABASE_URL is set). The rows are written as the workers write them: the real
 * workspace handlers on the knex workspace store (with the in-memory driver instead of YAML files), and the
 * notification worker's knex store claiming, sending and failing deliveries. The API reads them back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKnexNotificationStore } from '../../job-workers/notification/knex-notification-store.js';
import type { DeliveryKey } from '../../job-workers/notification/notification-store.js';
import { makeWorkerJob, silentLogger } from '../../job-workers/testing/make-worker-job.js';
import { createKnexWorkspaceStore, createWorkspaceHandlers, type WorkspaceTaskType } from '../../job-workers/workspace/index.js';
import { createInMemoryDriver } from '../../job-workers/workspace/testing/in-memory-driver.js';
import { TASK_TYPES } from '../../shared/index.js';
import { as, createPermit, expectStatus, type Answer, type ApiUser } from '../../test/integration/support/permit-manager-client.js';
import { startPermitManagerForTest, type PermitManagerForTest } from '../../test/integration/support/start-permit-manager-for-test.js';
import type { NotificationDelivery } from '../notifications/notification-deliveries-schemas.js';
import type { PermitWorkspace } from './workspaces-schemas.js';

const NOW = new Date('2026-03-01T10:00:00.000Z');
const WORKSPACE_FIELDS = ['phase', 'status', 'runtime', 'running', 'suspended', 'network', 'networkLocked', 'mounts', 'volumes', 'snapshots', 'releases', 'members', 'observed', 'updatedAt'];

function expectProblem(answer: Answer<unknown>, status: number): void {
  expect(answer.status, JSON.stringify(answer.body)).toBe(status);
  expect(answer.headers.get('content-type')).toMatch(/^application\/problem\+json/);
}

describe("a permit's workspaces and notification deliveries over the REST API", () => {
  let pm: PermitManagerForTest;
  let alice: ApiUser;
  let rita: ApiUser;
  let adam: ApiUser;
  let bob: ApiUser;

  beforeAll(async () => {
    // The processes stand still: the test writes what the workers would.
    pm = await startPermitManagerForTest({ workers: false });
    alice = as(pm, await pm.tokenFor('alice'));
    rita = as(pm, await pm.tokenFor('rita'));
    adam = as(pm, await pm.tokenFor('adam'));
    bob = as(pm, await pm.tokenFor('bob', { roles: ['researcher'] }));
  }, 120_000);
  afterAll(async () => {
    await pm?.stop();
  });

  it('lists what the workspace workers provisioned, in lifecycle order, with what they last observed', async () => {
    const permit = await createPermit(alice); // alice on the research team, rita and victor on the HDAB team
    const handlers = createWorkspaceHandlers({ driver: createInMemoryDriver(), store: createKnexWorkspaceStore(pm.knex), clock: () => NOW });
    const run = (type: WorkspaceTaskType, headers: Record<string, string> = {}) =>
      handlers[type](makeWorkerJob({ type, bpmnProcessId: 'spe-environment-setup', headers, variables: { permitId: permit.id } }), silentLogger);
    await run(TASK_TYPES.workspaceProvision, { phase: 'setup' });
    await run(TASK_TYPES.workspaceProvision, { phase: 'ingress' });
    await run(TASK_TYPES.workspaceFreeze);

    const { items } = expectStatus(await alice.get<{ items: PermitWorkspace[] }>(`/permits/${permit.id}/workspaces`), 200, 'workspaces').body;
    expect(items.map((w) => w.phase)).toEqual(['ingress', 'setup']);
    for (const item of items) expect(Object.keys(item).sort()).toEqual([...WORKSPACE_FIELDS].sort());
    const [ingress, setup] = items as [PermitWorkspace, PermitWorkspace];

    expect(ingress).toMatchObject({
      status: 'active',
      runtime: 'pod',
      running: true,
      suspended: false,
      network: 'none',
      networkLocked: false,
      mounts: [{ volume: 'raw', readOnly: false }],
      volumes: ['raw'],
      snapshots: [],
      releases: [],
      members: [],
      updatedAt: expect.any(String),
    });
    // Frozen for review: stopped, still proxied until disable-network, one review snapshot (without the worker's `source`).
    expect(setup).toMatchObject({ status: 'active', running: false, network: 'proxied', mounts: [], volumes: [] });
    expect(setup.snapshots).toEqual([{ name: expect.stringMatching(/^workspace-disk-review-/), purpose: 'review', takenAt: NOW.toISOString() }]);

    for (const item of items) {
      expect(item.observed).toMatchObject({ observedAt: NOW.toISOString(), driver: 'in-memory', failure: null, dataDeletedAt: null });
    }
    const objects = setup.observed?.objects ?? [];
    expect(objects).toContainEqual({ kind: 'Namespace', name: expect.stringMatching(/^spe-permit-/), exists: true });
    expect(objects).toContainEqual(expect.objectContaining({ kind: 'VolumeSnapshot', exists: true }));
    expect(objects.every((o) => o.exists)).toBe(true);

    const admin = expectStatus(await adam.get<{ items: PermitWorkspace[] }>(`/permits/${permit.id}/workspaces`), 200, 'workspaces as admin').body;
    expect(admin.items.map((w) => w.phase)).toEqual(['ingress', 'setup']);
  });

  it('answers an empty list before anything is provisioned, 404 to a stranger and 400 for an id that is not a uuid', async () => {
    const permit = await createPermit(alice);
    expect(expectStatus(await rita.get(`/permits/${permit.id}/workspaces`), 200, 'no workspaces yet').body).toEqual({ items: [] });
    expectProblem(await bob.get(`/permits/${permit.id}/workspaces`), 404);
    const bad = await alice.get(`/permits/not-a-uuid/workspaces`);
    expectProblem(bad, 400);
    expect(bad.body).toMatchObject({ errors: [{ path: 'params.id', message: 'must be a permit id (uuid)' }] });
  });

  it("shows the HDAB team and administrators the permit's delivery ledger, by claim time, recipient and channel", async () => {
    const permit = await createPermit(alice);
    const other = await createPermit(alice);
    const ledger = createKnexNotificationStore(pm.knex);
    const key = (recipient: string, channel: DeliveryKey['channel'], permitId = permit.id): DeliveryKey & { permitId: string } => ({
      idempotencyKey: `notification.send/${permitId}/7`,
      recipient,
      channel,
      permitId,
    });
    const claim = async (delivery: ReturnType<typeof key>) =>
      expect(await ledger.claimDelivery({ ...delivery, template: 'workspace-ready', leaseMs: 120_000 })).toBe('claimed');

    const aliceEmail = key('alice', 'email');
    await claim(aliceEmail);
    await ledger.release(aliceEmail, 'SMTP 554 refused');
    const aliceInApp = key('alice', 'in-app');
    await claim(aliceInApp);
    await ledger.markSent(aliceInApp, { providerMessageId: 'n-1' });
    await claim(key('rita', 'in-app'));
    await claim(key('alice', 'email', other.id));

    const { items } = expectStatus(await rita.get<{ items: NotificationDelivery[] }>(`/permits/${permit.id}/notifications`), 200, 'deliveries').body;
    expect(items).toEqual([
      { template: 'workspace-ready', recipient: 'alice', channel: 'email', status: 'failed', claimedAt: expect.any(String), deliveredAt: null, attempts: 1, lastError: 'SMTP 554 refused' },
      { template: 'workspace-ready', recipient: 'alice', channel: 'in-app', status: 'sent', claimedAt: expect.any(String), deliveredAt: expect.any(String), attempts: 1, lastError: null },
      { template: 'workspace-ready', recipient: 'rita', channel: 'in-app', status: 'claimed', claimedAt: expect.any(String), deliveredAt: null, attempts: 1, lastError: null },
    ]);
    const claimedAt = items.map((d) => Date.parse(d.claimedAt));
    expect([...claimedAt].sort((a, b) => a - b)).toEqual(claimedAt);

    const admin = expectStatus(await adam.get<{ items: NotificationDelivery[] }>(`/permits/${permit.id}/notifications`), 200, 'deliveries as admin').body;
    expect(admin.items).toEqual(items);
  });

  it('refuses the ledger to a researcher on the permit (403 saying who may), to a stranger (404) and for a bad id (400)', async () => {
    const permit = await createPermit(alice);
    const refused = await alice.get<{ detail: string }>(`/permits/${permit.id}/notifications`);
    expectProblem(refused, 403);
    expect(refused.body.detail).toBe(`Only hdab-reviewer on the permit's HDAB_TEAM or admin may read the notification deliveries of permit ${permit.id}.`);
    expectProblem(await bob.get(`/permits/${permit.id}/notifications`), 404);
    const bad = await rita.get('/permits/not-a-uuid/notifications');
    expectProblem(bad, 400);
    expect(bad.body).toMatchObject({ errors: [{ path: 'params.id' }] });
  });
});
