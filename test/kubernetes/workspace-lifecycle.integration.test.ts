/**
 * The kubernetes driver and the workspace renderer against a real kube-apiserver (scripts/kube-apiserver/): every
 * object a phase renders is stored and validated by the API server (and the KubeVirt / snapshot CRDs), read back,
 * and removed again. The worker acts with the least-privilege RBAC role of the worker (context `spe-test-worker`).
 */
import { KubernetesObjectApi, PatchStrategy } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BusinessRuleError } from '../../job-workers/runtime/job-errors.js';
import { createKubeObjectClient, createKubernetesDriver } from '../../job-workers/workspace/drivers/kubernetes/index.js';
import { describeRef, refOf, type KubeObject, type KubeObjectRef, type WorkspaceDriver } from '../../job-workers/workspace/drivers/workspace-driver.js';
import { OBJECT_NAMES, namespaceName } from '../../job-workers/workspace/render/names.js';
import { renderOptions } from '../../job-workers/workspace/render/render-options.js';
import { renderWorkspaceObjects } from '../../job-workers/workspace/render/render-workspace.js';
import { initialState } from '../../job-workers/workspace/state/workspace-state.js';
import { BPMN_ERRORS, EVENTS, TASK_TYPES } from '../../shared/index.js';
import { kubeTestServer, uniquePermitId } from './support/kube-test-server.js';
import { createScenario } from './support/workspace-scenario.js';

const server = await kubeTestServer();
if (!server.available) console.warn(`[test/kubernetes] skipped: ${server.reason}`);

type Pod = KubeObject & {
  spec: {
    containers: { volumeMounts?: { name: string; mountPath: string; readOnly?: boolean }[] }[];
    volumes?: { name: string; persistentVolumeClaim?: { claimName: string; readOnly?: boolean } }[];
  };
};
type Policy = KubeObject & { spec: { policyTypes?: string[]; egress?: unknown[] } };

/** Kinds whose managedFields timestamp kube-apiserver 1.20 refreshes on a no-op apply (see the idempotency test). */
const REWRITTEN_BY_1_20 = ['Pod', 'PersistentVolumeClaim'];

/** An object without what a no-op write may touch (resourceVersion, managedFields timestamps). */
function comparable(object: KubeObject | undefined): unknown {
  if (!object) return undefined;
  const { resourceVersion: _version, managedFields, ...metadata } = object.metadata;
  const fields = (managedFields as { time?: string }[] | undefined)?.map(({ time: _time, ...entry }) => entry);
  return { ...object, metadata: { ...metadata, managedFields: fields } };
}

/** `v1/Pod/ns/name`, `batch/v1/Job/ns/name` (as the handlers' variables list objects) back to a ref. */
function parseRef(text: string): KubeObjectRef {
  const parts = text.split('/');
  const grouped = /^v\d/.test(parts[1] ?? '');
  const apiVersion = grouped ? `${parts[0]}/${parts[1]}` : String(parts[0]);
  const [kind = '', first = '', second] = parts.slice(grouped ? 2 : 1);
  return second === undefined ? { apiVersion, kind, name: first } : { apiVersion, kind, namespace: first, name: second };
}

function objectsOf(variables: Record<string, unknown>): string[] {
  return variables.workspaceObjects as string[];
}

function claimsOf(pod: Pod): string[] {
  return (pod.spec.volumes ?? []).flatMap((v) => (v.persistentVolumeClaim ? [v.persistentVolumeClaim.claimName] : []));
}

const ref = (apiVersion: string, kind: string, namespace: string, name: string): KubeObjectRef => ({ apiVersion, kind, namespace, name });

describe.skipIf(!server.available)('workspace objects on a real Kubernetes API server', () => {
  let driver: WorkspaceDriver;
  let admin: KubernetesObjectApi;
  const namespaces: string[] = [];

  beforeAll(() => {
    if (!server.available) return;
    driver = createKubernetesDriver({ client: createKubeObjectClient(server.kubeConfig('spe-test-worker')) });
    admin = KubernetesObjectApi.makeApiClient(server.kubeConfig());
  });

  afterAll(async () => {
    // Leave nothing behind on a reused server (namespace deletion empties them when the controller manager runs).
    for (const name of namespaces) await driver?.remove([{ apiVersion: 'v1', kind: 'Namespace', name }], { permitId: name, phase: 'setup' });
  });

  function newPermit(): string {
    const permitId = uniquePermitId();
    namespaces.push(namespaceName(permitId));
    return permitId;
  }

  async function readOne(target: KubeObjectRef): Promise<KubeObject | undefined> {
    const [observed] = await driver.read([target]);
    return observed?.object;
  }

  /** Polls until the object is gone; fails with what is left after a generous deadline (not a timing assertion). */
  async function waitUntilGone(target: KubeObjectRef): Promise<void> {
    const deadline = Date.now() + 50_000;
    let left = await readOne(target);
    while (left && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      left = await readOne(target);
    }
    expect(left, `${target.kind} ${target.name} still exists (is kube-controller-manager running? see scripts/kube-apiserver/)`).toBeUndefined();
  }

  it('provisions setup, freezes it, promotes it to analysis and tears it down, reading back each object', async () => {
    const permitId = newPermit();
    const ns = namespaceName(permitId);
    const { job, run, store, teamAccessSink } = createScenario(driver, permitId);
    const pod = ref('v1', 'Pod', ns, OBJECT_NAMES.workspace);
    const egress = ref('networking.k8s.io/v1', 'NetworkPolicy', ns, OBJECT_NAMES.workspaceEgress);
    const accessRef = ref('v1', 'ConfigMap', ns, OBJECT_NAMES.workspaceAccess);
    const allowedUsers = async () => JSON.parse(((await readOne(accessRef))?.data as Record<string, string>)['allowed-users']!) as string[];
    store.members.set(permitId, ['alice']);

    // Setup: proxied internet, no data volumes.
    const setup = await run(job(TASK_TYPES.workspaceProvision, { phase: 'setup' }));
    const setupObjects = objectsOf(setup);
    expect(setupObjects).toContain(describeRef(egress));
    expect(setup.workspaceObserved).toMatchObject({ driver: 'kubernetes', missing: [] });
    const observedSetup = await driver.read(setupObjects.map(parseRef));
    expect(observedSetup.filter((o) => !o.exists)).toEqual([]);
    const namespace = await readOne({ apiVersion: 'v1', kind: 'Namespace', name: ns });
    expect(namespace?.metadata.labels?.['spe.example.org/permit-id']).toBe(permitId);
    const setupPod = (await readOne(pod)) as Pod;
    expect(claimsOf(setupPod)).toEqual([OBJECT_NAMES.workspaceDisk]);
    const setupEgress = (await readOne(egress)) as Policy;
    expect(setupEgress.spec.policyTypes).toEqual(['Egress']);
    expect(setupEgress.spec.egress).toHaveLength(2);
    const deny = (await readOne(ref('networking.k8s.io/v1', 'NetworkPolicy', ns, OBJECT_NAMES.defaultDeny))) as Policy;
    expect(deny.spec.policyTypes).toEqual(['Ingress', 'Egress']);
    expect(deny.spec.egress ?? []).toEqual([]);
    expect(store.rows.get(`${permitId}/setup`)?.observed).toMatchObject({ driver: 'kubernetes', failure: null });
    expect(await allowedUsers()).toEqual(['alice']);

    // Review: internet off, stopped, disk snapshotted.
    const off = await run(job(TASK_TYPES.workspaceDisableNetwork, { permanent: 'false' }));
    expect(off.workspaceRemovedObjects).toEqual([describeRef(egress)]);
    expect(await readOne(egress)).toBeUndefined();
    const frozen = await run(job(TASK_TYPES.workspaceFreeze));
    const snapshotName = String(frozen.workspaceSnapshot);
    expect(await readOne(pod)).toBeUndefined();
    const snapshot = await readOne(ref('snapshot.storage.k8s.io/v1', 'VolumeSnapshot', ns, snapshotName));
    expect(snapshot?.spec).toEqual({ source: { persistentVolumeClaimName: OBJECT_NAMES.workspaceDisk } });
    expect(await allowedUsers()).toEqual([]);

    // Analysis: internet locked off, /prepared_data read-only on mount and claim, /outputs writable, running.
    await run(job(TASK_TYPES.workspaceDisableNetwork, { permanent: 'true' }));
    await run(job(TASK_TYPES.workspaceMountData, { volume: 'prepared', readOnly: 'true' }));
    await run(job(TASK_TYPES.workspaceMountOutputs));
    const analysis = await run(job(TASK_TYPES.workspaceStart));
    expect(analysis.workspaceObserved).toMatchObject({ missing: [] });
    const analysisPod = (await readOne(pod)) as Pod;
    expect(analysisPod.metadata.labels?.['spe.example.org/phase']).toBe('analysis');
    const mounts = analysisPod.spec.containers[0]?.volumeMounts ?? [];
    expect(mounts.find((m) => m.mountPath === '/prepared_data')?.readOnly).toBe(true);
    expect(mounts.find((m) => m.mountPath === '/outputs')?.readOnly ?? false).toBe(false);
    const volumes = analysisPod.spec.volumes ?? [];
    expect(volumes.find((v) => v.persistentVolumeClaim?.claimName === 'prepared')?.persistentVolumeClaim?.readOnly).toBe(true);
    expect(volumes.find((v) => v.persistentVolumeClaim?.claimName === 'outputs')?.persistentVolumeClaim?.readOnly ?? false).toBe(false);
    expect(await readOne(egress)).toBeUndefined();
    // Zero egress rules in any policy the namespace holds.
    const policies = await admin.list('networking.k8s.io/v1', 'NetworkPolicy', ns);
    expect(policies.items.flatMap((p) => (p as Policy).spec.egress ?? [])).toEqual([]);
    for (const claim of ['prepared', 'outputs']) expect(await readOne(ref('v1', 'PersistentVolumeClaim', ns, claim))).toBeDefined();
    expect(await allowedUsers()).toEqual(['alice']);
    // A researcher joins the team: the access list names both at once; suspended, nobody.
    store.members.set(permitId, ['alice', 'bob']);
    await teamAccessSink.publish({ id: `${permitId}-joined`, name: EVENTS.membersChanged, permitId });
    expect(await allowedUsers()).toEqual(['alice', 'bob']);
    await run(job(TASK_TYPES.workspaceSuspend));
    expect(await allowedUsers()).toEqual([]);
    await run(job(TASK_TYPES.workspaceResume));
    expect(await allowedUsers()).toEqual(['alice', 'bob']);

    // Teardown: compute, network and access go; storage (claims, snapshots) stays until delete-data.
    const torn = await run(job(TASK_TYPES.workspaceTeardown, { phase: 'analysis' }));
    expect(torn.workspaceRemovedObjects).toEqual(
      expect.arrayContaining([describeRef(pod), describeRef(ref('v1', 'ConfigMap', ns, OBJECT_NAMES.workspaceAccess))]),
    );
    expect(await readOne(pod)).toBeUndefined();
    expect(await readOne(ref('v1', 'ConfigMap', ns, OBJECT_NAMES.workspaceAccess))).toBeUndefined();
    expect(await readOne(ref('v1', 'PersistentVolumeClaim', ns, 'outputs'))).toBeDefined();
    expect(await readOne(ref('snapshot.storage.k8s.io/v1', 'VolumeSnapshot', ns, snapshotName))).toBeDefined();

    // Delete data: everything goes, the namespace last, with a proof of deletion.
    const deleted = await run(job(TASK_TYPES.workspaceDeleteData));
    expect(deleted.workspaceObjects).toEqual([]);
    expect(deleted.deletionCertificate).toMatchObject({ permitId, namespace: ns, driver: 'kubernetes' });
    // The namespace controller (kube-controller-manager, started by the script) empties and removes it asynchronously.
    await waitUntilGone({ apiVersion: 'v1', kind: 'Namespace', name: ns });
    expect(await readOne(ref('v1', 'PersistentVolumeClaim', ns, 'outputs'))).toBeUndefined();
  });

  it('leaves the same objects when the same job is delivered twice', async () => {
    const permitId = newPermit();
    const { job, run } = createScenario(driver, permitId);
    const provisionJob = job(TASK_TYPES.workspaceProvision, { phase: 'setup' });
    const first = await run(provisionJob);
    const refs = objectsOf(first).map(parseRef);
    const stored = await driver.read(refs);

    const again = await run(provisionJob);
    expect(again.workspaceObjects).toEqual(first.workspaceObjects);
    expect(again.workspaceRemovedObjects).toEqual([]);
    // Every object is stored exactly as before (same uid, generation, spec, owners)...
    const restored = await driver.read(refs);
    expect(
      restored.map((o) => comparable(o.object)),
      'a second delivery rewrote an object: the server stores something other than what was rendered (an empty `matchLabels: {}` is dropped, say)',
    ).toEqual(stored.map((o) => comparable(o.object)));
    // ...and not even written again, except Pods and PersistentVolumeClaims: kube-apiserver 1.20 still refreshes
    // their field manager's timestamp on a later apply (a new resourceVersion, no other change; newer servers don't).
    const versions = (observed: typeof stored) =>
      observed.filter((o) => !REWRITTEN_BY_1_20.includes(o.ref.kind)).map((o) => `${describeRef(o.ref)}@${String(o.object?.metadata.resourceVersion)}`);
    expect(versions(restored)).toEqual(versions(stored));

    // The driver tells the two apart: applying the rendered objects once more reports nothing changed.
    const rendered = renderWorkspaceObjects(permitId, [initialState('setup', 'pod')], renderOptions());
    expect(rendered.map((o) => describeRef(refOf(o)))).toEqual(first.workspaceObjects);
    const applied = await driver.apply(rendered, { permitId, phase: 'setup' });
    expect(applied.filter((a) => a.changed).map((a) => `${a.kind}/${a.name}`)).toEqual([]);

    // No duplicates: the namespace holds exactly one object of each rendered name.
    const ns = namespaceName(permitId);
    for (const kind of ['NetworkPolicy', 'ConfigMap', 'PersistentVolumeClaim', 'Pod']) {
      const apiVersion = kind === 'NetworkPolicy' ? 'networking.k8s.io/v1' : 'v1';
      const listed = await admin.list(apiVersion, kind, ns);
      const expected = refs.filter((r) => r.kind === kind).map((r) => r.name).sort();
      expect(listed.items.map((item) => item.metadata?.name).filter((name) => name !== 'kube-root-ca.crt').sort()).toEqual(expected);
    }
  });

  it('turns a conflict with a foreign field manager into WORKSPACE_PROVISIONING_REJECTED', async () => {
    const permitId = newPermit();
    const ns = namespaceName(permitId);
    const { job, run, store } = createScenario(driver, permitId);
    await run(job(TASK_TYPES.workspaceProvision, { phase: 'setup' }));

    // An operator takes over the quota's pod limit with their own field manager (forced, as `kubectl apply --force-conflicts`).
    await admin.patch(
      { apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: OBJECT_NAMES.quota, namespace: ns }, spec: { hard: { pods: '99' } } },
      undefined,
      undefined,
      'ops-team',
      true,
      PatchStrategy.ServerSideApply,
    );
    const quotaRef = ref('v1', 'ResourceQuota', ns, OBJECT_NAMES.quota);
    expect((await readOne(quotaRef))?.metadata.managedFields).toEqual(expect.arrayContaining([expect.objectContaining({ manager: 'ops-team' })]));

    // The same job delivered again now meets the operator's field: 409, never forced.
    const failure = await run(job(TASK_TYPES.workspaceProvision, { phase: 'setup' })).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(BusinessRuleError);
    const rejected = failure as BusinessRuleError;
    expect(rejected.code).toBe(BPMN_ERRORS.provisioningRejected);
    expect(rejected.message).toContain('409');
    expect(rejected.message).toContain('ops-team');
    expect(rejected.variables.workspaceFailedObject).toBe(describeRef(quotaRef));
    expect(rejected.variables.workspaceCompletedObjects).toEqual([`v1/Namespace/${ns}`]);
    expect(store.rows.get(`${permitId}/setup`)?.observed).toMatchObject({ failure: { failed: describeRef(quotaRef) } });
    // The operator's value is untouched.
    expect(((await readOne(quotaRef))?.spec as { hard: Record<string, string> }).hard.pods).toBe('99');
  });

  it('stores the KubeVirt VirtualMachine option, stopped while frozen and removed by teardown', async () => {
    const permitId = newPermit();
    const ns = namespaceName(permitId);
    const { job, run } = createScenario(driver, permitId, 'kubevirt');
    const vm = ref('kubevirt.io/v1', 'VirtualMachine', ns, OBJECT_NAMES.workspace);
    await run(job(TASK_TYPES.workspaceProvision, { phase: 'setup' }));
    expect((await readOne(vm))?.spec).toMatchObject({ running: true });
    expect(await readOne(ref('v1', 'Pod', ns, OBJECT_NAMES.workspace))).toBeUndefined();

    await run(job(TASK_TYPES.workspaceDisableNetwork, { permanent: 'false' }));
    await run(job(TASK_TYPES.workspaceFreeze));
    expect((await readOne(vm))?.spec).toMatchObject({ running: false });

    await run(job(TASK_TYPES.workspaceTeardown, { phase: 'setup' }));
    expect(await readOne(vm)).toBeUndefined();
    expect(await readOne(ref('v1', 'PersistentVolumeClaim', ns, OBJECT_NAMES.workspaceDisk))).toBeDefined();
  });
});
