import { describe, expect, it } from 'vitest';
import { NotFoundError } from '../../shared/index.js';
import { initialState } from '../../job-workers/workspace/state/workspace-state.js';
import type { Caller } from '../identity/caller.js';
import { createPermitAccess } from '../permits/permit-access.js';
import { createFakePermitStore } from '../permits/fake-permit-store.js';
import { callRoute } from '../platform/testing/call-route.js';
import { createFakeWorkspacesFeature } from './create-workspaces-feature.js';
import { createWorkspacesRouter } from './workspaces-router.js';

const alice: Caller = { userId: 'alice', name: 'Alice', roles: ['researcher'] };
const bob: Caller = { userId: 'bob', name: 'Bob', roles: ['researcher'] };
const dana: Caller = { userId: 'dana', name: 'Dana', roles: ['data-holder'] };
const adam: Caller = { userId: 'adam', name: 'Adam', roles: ['admin'] };
const ID = 'cccccccc-0000-4000-8000-000000000001';
const EMPTY = 'cccccccc-0000-4000-8000-000000000002';
const AT = '2026-03-01T10:00:00.000Z';

function setup() {
  const permits = createFakePermitStore();
  permits.seed({ id: ID, status: 'ANALYSIS_ACTIVE' }, [
    { userId: 'alice', teamRole: 'RESEARCH_TEAM' },
    { userId: 'dana', teamRole: 'DATA_HOLDER' },
  ]);
  permits.seed({ id: EMPTY }, [{ userId: 'alice', teamRole: 'RESEARCH_TEAM' }]);
  return createFakeWorkspacesFeature({ access: createPermitAccess(permits) });
}

/** The analysis workspace after promotion, a review snapshot, an archive and one release, as the workers store it. */
const analysis = {
  ...initialState('analysis', 'pod'),
  running: true,
  mounts: [
    { volume: 'prepared', readOnly: true },
    { volume: 'outputs', readOnly: false },
  ],
  volumes: ['prepared', 'outputs'],
  snapshots: [
    { name: 'workspace-disk-review-1a2b', source: 'workspace-disk', purpose: 'review', takenAt: AT },
    { name: 'outputs-archive', source: 'outputs', purpose: 'archive', takenAt: AT, retainUntil: '2027-03-02T10:00:00.000Z' },
  ],
  releases: [{ egressRequestId: 'e-1', job: 'release-9f8e', files: ['tables/t1.csv'] }],
  members: ['alice'],
};

describe('workspaces service', () => {
  it("lists the permit's workspaces in lifecycle order, in the API's shape, with the observed summary", async () => {
    const { store, service } = setup();
    store.rows.push(
      { permitId: ID, phase: 'analysis', desired: analysis, observed: { driver: 'manifests', observedAt: AT, objects: [{ ref: 'v1/Pod/spe-permit-x/workspace', exists: true }], failure: null }, updatedAt: AT },
      { permitId: ID, phase: 'setup', desired: { ...initialState('setup', 'pod'), status: 'promoted' }, observed: null, updatedAt: AT },
      // An older worker's row: only the phase was stored; the schema's defaults fill in the rest.
      { permitId: ID, phase: 'ingress', desired: { phase: 'ingress' }, observed: null, updatedAt: AT },
    );

    const { items } = await service.list(alice, ID);
    expect(items.map((w) => w.phase)).toEqual(['ingress', 'setup', 'analysis']);
    expect(items[0]).toEqual({
      phase: 'ingress',
      status: 'active',
      runtime: 'pod',
      running: true,
      suspended: false,
      network: 'none',
      networkLocked: false,
      mounts: [],
      volumes: [],
      snapshots: [],
      releases: [],
      members: [],
      observed: null,
      updatedAt: AT,
    });
    expect(items[1]).toMatchObject({ phase: 'setup', status: 'promoted', network: 'proxied', networkLocked: false });
    expect(items[2]).toEqual({
      phase: 'analysis',
      status: 'active',
      runtime: 'pod',
      running: true,
      suspended: false,
      network: 'none',
      networkLocked: true,
      mounts: [
        { volume: 'prepared', readOnly: true },
        { volume: 'outputs', readOnly: false },
      ],
      volumes: ['prepared', 'outputs'],
      snapshots: [
        { name: 'workspace-disk-review-1a2b', purpose: 'review', takenAt: AT },
        { name: 'outputs-archive', purpose: 'archive', takenAt: AT, retainUntil: '2027-03-02T10:00:00.000Z' },
      ],
      releases: [{ egressRequestId: 'e-1', job: 'release-9f8e', files: ['tables/t1.csv'] }],
      members: ['alice'],
      observed: { observedAt: AT, driver: 'manifests', objects: [{ kind: 'Pod', name: 'workspace', exists: true }], failure: null, dataDeletedAt: null },
      updatedAt: AT,
    });
  });

  it('shows the workspaces to everyone who sees the permit and answers 404 to anyone else', async () => {
    const { service } = setup();
    await expect(service.list(dana, ID)).resolves.toEqual({ items: [] });
    await expect(service.list(adam, ID)).resolves.toEqual({ items: [] });
    await expect(service.list(bob, ID)).rejects.toBeInstanceOf(NotFoundError);
    await expect(service.list(alice, 'cccccccc-0000-4000-8000-00000000dead')).rejects.toBeInstanceOf(NotFoundError);
  });

  it('answers an empty list for a permit with nothing provisioned, and refuses a row it cannot read', async () => {
    const { store, service } = setup();
    expect(await service.list(alice, EMPTY)).toEqual({ items: [] });
    store.rows.push({ permitId: EMPTY, phase: 'setup', desired: { phase: 'setup', network: 'wide-open' }, observed: null, updatedAt: AT });
    await expect(service.list(alice, EMPTY)).rejects.toThrow(/desired state of the setup workspace of permit .* is unreadable/);
  });
});

describe('workspaces router', () => {
  it('answers 400 naming the parameter for an id that is not a uuid, and 404 problem for a stranger', async () => {
    const { service } = setup();
    const [route] = createWorkspacesRouter({ service }).routes;
    if (!route) throw new Error('no route');
    expect(await callRoute(route, { caller: alice, params: { id: 'not-a-uuid' } })).toMatchObject({
      status: 400,
      body: { errors: [{ path: 'params.id', message: 'must be a permit id (uuid)' }] },
    });
    expect((await callRoute(route, { caller: bob, params: { id: ID } })).status).toBe(404);
    expect(await callRoute(route, { caller: alice, params: { id: ID } })).toMatchObject({ status: 200, body: { items: [] } });
  });
});
