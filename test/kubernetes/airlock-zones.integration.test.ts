/**
 * The airlock zones in the workspace on a real kube-apiserver (scripts/kube-apiserver/): the copy Jobs of
 * render-zone-copy.ts, applied by the workspace handlers with the worker's least-privilege role, are accepted and
 * stored by the API server with the mounts and claims as rendered, the copier pods' egress policy beside the
 * workspace's zero egress, and are gone after a teardown.
 *
 * With the real outputs-token store (PGlite), the worker keeps the outputs-sync Job's token in the Secret the Job
 * references: issued when the Job appears, kept on a repeated job, revoked and the Secret removed when the sync stops.
 *
 * What this server cannot prove: it has no kubelet, no scheduler and no Job controller (the script runs only the
 * namespace, garbage-collector and pvc-protection controllers), so no copier pod is ever created or run, no byte is
 * copied, and no NetworkPolicy is enforced. The tests prove what the API server decides: the objects are valid for
 * it, stored as the renderer wrote them (mount paths, readOnly on mount and claim, Secret references, NFS source),
 * applied again without change, and removed by the handlers.
 */
import { readFile } from 'node:fs/promises';
import { KubernetesObjectApi, PatchStrategy, type KubernetesObject } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { createKnexOutputsTokenStore } from '../../airlock/outputs-token/knex-outputs-token-store.js';
import type { OutputsTokenStore } from '../../airlock/outputs-token/outputs-token-store.js';
import type { Database } from '../../db/index.js';
import { insertPermit } from '../../db/testing/permit-fixtures.js';
import { testDatabaseTargets } from '../../db/testing/test-databases.js';
import { createKubeObjectClient, createKubernetesDriver } from '../../job-workers/workspace/drivers/kubernetes/index.js';
import type { KubeObject, KubeObjectRef, WorkspaceDriver } from '../../job-workers/workspace/drivers/workspace-driver.js';
import { OBJECT_NAMES, namespaceName } from '../../job-workers/workspace/render/names.js';
import type { ZoneCopyOptions } from '../../job-workers/workspace/render/render-options.js';
import { TASK_TYPES } from '../../shared/index.js';
import { kubeTestServer, uniquePermitId } from './support/kube-test-server.js';
import { createScenario } from './support/workspace-scenario.js';

const server = await kubeTestServer();
if (!server.available) console.warn(`[test/kubernetes] skipped: ${server.reason}`);

const S3: ZoneCopyOptions = {
  image: 'registry.example.org/spe/zone-copier:1.0.0',
  store: {
    kind: 's3',
    endpoint: 'https://s3.example.org',
    bucket: 'spe-airlock',
    keyPrefix: 'spe/',
    region: 'eu-west-1',
    forcePathStyle: true,
    credentialsSecret: 'airlock-store-reader',
    egress: { cidrs: ['10.20.0.0/24'], port: 443 },
  },
  platform: { url: 'http://permit-manager.spe-system.svc:3000', namespaceLabels: { 'spe.example.org/role': 'platform' }, podLabels: { 'app.kubernetes.io/name': 'permit-manager' }, port: 3000, tokenSecret: 'outputs-sync-token' },
  syncIntervalSeconds: 60,
};
const FILESYSTEM: ZoneCopyOptions = { ...S3, store: { kind: 'filesystem', nfs: { server: 'nfs.example.org', path: '/srv/spe-airlock' } } };

interface Mount {
  name: string;
  mountPath: string;
  readOnly?: boolean;
}
interface ContainerShape {
  name: string;
  command?: string[];
  env?: { name: string; value?: string; valueFrom?: unknown }[];
  volumeMounts?: Mount[];
}
interface PodSpecShape {
  containers: ContainerShape[];
  initContainers?: ContainerShape[];
  volumes?: { name: string; persistentVolumeClaim?: { claimName: string; readOnly?: boolean }; nfs?: { server: string; path: string; readOnly?: boolean } }[];
  affinity?: unknown;
}
type Job = KubeObject & { spec: { template: { metadata: { labels: Record<string, string> }; spec: PodSpecShape } } };
type Pod = KubeObject & { spec: PodSpecShape };
type Policy = KubeObject & { spec: { podSelector: unknown; policyTypes?: string[]; egress?: { to?: { ipBlock?: { cidr: string } }[]; ports?: { port: number }[] }[] } };

const ref = (apiVersion: string, kind: string, namespace: string, name: string): KubeObjectRef => ({ apiVersion, kind, namespace, name });

describe.skipIf(!server.available)('airlock zone copies on a real Kubernetes API server (no kubelet: nothing runs)', () => {
  let driver: WorkspaceDriver;
  let admin: KubernetesObjectApi;
  const namespaces: string[] = [];
  const database = testDatabaseTargets({})[0]!;
  let db: Database;
  let tokens: OutputsTokenStore;

  beforeAll(async () => {
    if (!server.available) return;
    driver = createKubernetesDriver({ client: createKubeObjectClient(server.kubeConfig('spe-test-worker')) });
    admin = KubernetesObjectApi.makeApiClient(server.kubeConfig());
    // The worker's role as the repository has it now (a server started before a change to it still has the old one).
    const role = parse(await readFile(new URL('../../scripts/kube-apiserver/rbac/workspace-worker-clusterrole.yaml', import.meta.url), 'utf8')) as KubernetesObject;
    await admin.patch(role, undefined, undefined, 'spe-test-server', true, PatchStrategy.ServerSideApply);
    db = await database.open();
    tokens = createKnexOutputsTokenStore(db.knex);
  });

  afterAll(async () => {
    for (const name of namespaces) await driver?.remove([{ apiVersion: 'v1', kind: 'Namespace', name }], { permitId: name, phase: 'analysis' });
    await db?.close();
    await database.dispose();
  });

  function newPermit(): string {
    const permitId = uniquePermitId();
    namespaces.push(namespaceName(permitId));
    return permitId;
  }

  async function readOne<T extends KubeObject>(target: KubeObjectRef): Promise<T | undefined> {
    const [observed] = await driver.read([target]);
    return observed?.object as T | undefined;
  }

  /** Polls until the object is gone (background deletion); fails with what is left after a generous deadline. */
  async function expectGone(target: KubeObjectRef): Promise<void> {
    const deadline = Date.now() + 50_000;
    let left = await readOne(target);
    while (left && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      left = await readOne(target);
    }
    expect(left, `${target.kind} ${target.name} still exists`).toBeUndefined();
  }

  it('s3 store: copies prepared in and outputs out, the copier alone with egress, all gone at teardown', async () => {
    const permitId = newPermit();
    const ns = namespaceName(permitId);
    await insertPermit(db.knex, { id: permitId, status: 'ANALYSIS_ACTIVE' });
    const { job, run } = createScenario(driver, permitId, 'pod', { zoneCopy: S3 }, tokens);
    await run(job(TASK_TYPES.workspaceProvision, { phase: 'setup' }));
    await run(job(TASK_TYPES.workspaceDisableNetwork, { permanent: 'true' }));
    await run(job(TASK_TYPES.workspaceMountData, { volume: 'prepared', readOnly: 'true' }));
    await run(job(TASK_TYPES.workspaceMountOutputs));
    const started = await run(job(TASK_TYPES.workspaceStart));
    expect(started.workspaceObserved).toMatchObject({ missing: [] });

    const zoneIn = ref('batch/v1', 'Job', ns, 'zone-in-prepared');
    const outputsSync = ref('batch/v1', 'Job', ns, 'outputs-sync');
    const copyEgress = ref('networking.k8s.io/v1', 'NetworkPolicy', ns, 'zone-copy-egress');
    expect(started.workspaceObjects).toEqual(expect.arrayContaining([`batch/v1/Job/${ns}/zone-in-prepared`, `batch/v1/Job/${ns}/outputs-sync`, `networking.k8s.io/v1/NetworkPolicy/${ns}/zone-copy-egress`]));

    // In: the copier writes the claim the workspace reads; the source is the permit's zone; credentials by reference.
    const stored = (await readOne<Job>(zoneIn))!;
    const copier = stored.spec.template.spec.containers[0]!;
    expect(copier.command?.at(-1)).toBe(`:s3:spe-airlock/spe/${permitId}/prepared`);
    expect(copier.volumeMounts).toContainEqual({ name: 'data', mountPath: '/data' });
    expect(stored.spec.template.spec.volumes).toContainEqual({ name: 'data', persistentVolumeClaim: { claimName: 'prepared' } });
    expect(copier.env?.find((e) => e.name === 'RCLONE_S3_SECRET_ACCESS_KEY')).toEqual({ name: 'RCLONE_S3_SECRET_ACCESS_KEY', valueFrom: { secretKeyRef: { name: 'airlock-store-reader', key: 'secret-access-key' } } });
    expect(JSON.stringify(stored)).not.toMatch(/"value":"[^"]*secret/i);
    // The workspace: /prepared_data read-only on the mount and the claim (the server drops readOnly: false, keeps true).
    const pod = (await readOne<Pod>(ref('v1', 'Pod', ns, OBJECT_NAMES.workspace)))!;
    expect(pod.spec.containers[0]!.volumeMounts).toContainEqual({ name: 'prepared', mountPath: '/prepared_data', readOnly: true });
    expect(pod.spec.volumes).toContainEqual({ name: 'prepared', persistentVolumeClaim: { claimName: 'prepared', readOnly: true } });
    // ...and waits in an init container, on the same read-only mount, until the copy's marker is there.
    expect(pod.spec.initContainers?.map((c) => ({ name: c.name, args: c.command?.slice(3), mounts: c.volumeMounts }))).toEqual([
      { name: 'wait-for-zones', args: ['wait-for-zones', '/prepared_data'], mounts: [{ name: 'prepared', mountPath: '/prepared_data', readOnly: true }] },
    ]);

    // Out: /outputs read-only for the sync, on the mount and the claim; scheduled beside the workspace.
    const sync = (await readOne<Job>(outputsSync))!;
    expect(sync.spec.template.spec.containers[0]!.volumeMounts).toContainEqual({ name: 'outputs', mountPath: '/outputs', readOnly: true });
    expect(sync.spec.template.spec.volumes).toContainEqual({ name: 'outputs', persistentVolumeClaim: { claimName: 'outputs', readOnly: true } });
    expect(sync.spec.template.spec.containers[0]!.command?.at(-2)).toBe(`http://permit-manager.spe-system.svc:3000/api/permits/${permitId}/outputs`);
    expect(sync.spec.template.spec.affinity).toMatchObject({ podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'kubernetes.io/hostname' }] } });
    // Its token: in the Secret the Job references (the worker's role may write it), live, for this permit only.
    const secretRef = ref('v1', 'Secret', ns, 'outputs-sync-token');
    const tokenIn = async () => {
      const secret = await readOne<KubeObject & { data?: { token?: string } }>(secretRef);
      return secret?.data?.token ? Buffer.from(secret.data.token, 'base64').toString() : undefined;
    };
    const token = await tokenIn();
    expect(token).toMatch(/^spe-outputs\./);
    expect(await tokens.verify(token!)).toMatchObject({ permitId, permitStatus: 'ANALYSIS_ACTIVE' });
    expect(JSON.stringify(started)).not.toContain(token);
    // The same job again keeps it.
    await run(job(TASK_TYPES.workspaceStart));
    expect(await tokenIn()).toBe(token);
    // No Job controller on this server: the Jobs have no pods and no status to show.
    expect((await admin.list('v1', 'Pod', ns)).items.map((p) => p.metadata?.name)).toEqual([OBJECT_NAMES.workspace]);

    // Egress in the namespace: only the copier pods' policy has rules, and those name the store CIDR, DNS and the platform.
    const policies = (await admin.list('networking.k8s.io/v1', 'NetworkPolicy', ns)).items as unknown as Policy[];
    expect(policies.filter((p) => (p.spec.egress ?? []).length > 0).map((p) => p.metadata.name)).toEqual(['zone-copy-egress']);
    const egress = (await readOne<Policy>(copyEgress))!;
    expect(egress.spec.podSelector).toEqual({ matchLabels: { 'app.kubernetes.io/component': 'zone-copy' } });
    expect(egress.spec.egress?.flatMap((rule) => (rule.to ?? []).flatMap((peer) => (peer.ipBlock ? [peer.ipBlock.cidr] : [])))).toEqual(['10.20.0.0/24']);
    expect(stored.spec.template.metadata.labels['app.kubernetes.io/component']).toBe('zone-copy');
    expect(pod.metadata.labels?.['app.kubernetes.io/component']).toBe('workspace');

    // Suspended: the outputs sync goes (nothing leaves while sessions are halted); the inbound copy stays.
    const suspended = await run(job(TASK_TYPES.workspaceSuspend));
    expect(suspended.workspaceRemovedObjects).toEqual(expect.arrayContaining([`batch/v1/Job/${ns}/outputs-sync`]));
    await expectGone(outputsSync);
    expect(await readOne(zoneIn)).toBeDefined();
    // ...and its token is revoked, its Secret removed.
    expect(await tokens.verify(token!)).toBeUndefined();
    await expectGone(secretRef);
    await run(job(TASK_TYPES.workspaceResume));
    expect(await readOne(outputsSync)).toBeDefined();
    const resumed = await tokenIn();
    expect(resumed).not.toBe(token);
    expect(await tokens.verify(resumed!)).toMatchObject({ permitId });

    // Teardown: the copies and their policy go with the compute; the claims stay until delete-data.
    const torn = await run(job(TASK_TYPES.workspaceTeardown, { phase: 'analysis' }));
    expect(torn.workspaceRemovedObjects).toEqual(expect.arrayContaining([`batch/v1/Job/${ns}/zone-in-prepared`, `batch/v1/Job/${ns}/outputs-sync`, `networking.k8s.io/v1/NetworkPolicy/${ns}/zone-copy-egress`]));
    for (const gone of [zoneIn, outputsSync, copyEgress, secretRef]) await expectGone(gone);
    expect(await tokens.verify(resumed!)).toBeUndefined();
    expect(await readOne(ref('v1', 'PersistentVolumeClaim', ns, 'prepared'))).toBeDefined();
  });

  it('filesystem store: the raw zone over read-only NFS into preprocessing, no copier egress, stable on a second apply', async () => {
    const permitId = newPermit();
    const ns = namespaceName(permitId);
    const { job, run } = createScenario(driver, permitId, 'pod', { zoneCopy: FILESYSTEM });
    await run(job(TASK_TYPES.workspaceProvision, { phase: 'preprocessing' }));
    const mountRaw = job(TASK_TYPES.workspaceMountData, { phase: 'preprocessing', volume: 'raw', readOnly: 'true' });
    await run(mountRaw);

    const zoneIn = ref('batch/v1', 'Job', ns, 'zone-in-raw');
    const stored = (await readOne<Job>(zoneIn))!;
    expect(stored.spec.template.spec.volumes).toContainEqual({ name: 'store', nfs: { server: 'nfs.example.org', path: `/srv/spe-airlock/${permitId}/raw`, readOnly: true } });
    expect(stored.spec.template.spec.containers[0]!.volumeMounts).toContainEqual({ name: 'store', mountPath: '/store', readOnly: true });
    expect(await readOne(ref('networking.k8s.io/v1', 'NetworkPolicy', ns, 'zone-copy-egress'))).toBeUndefined();
    const pod = (await readOne<Pod>(ref('v1', 'Pod', ns, OBJECT_NAMES.preprocessing)))!;
    expect(pod.spec.containers[0]!.volumeMounts).toContainEqual({ name: 'raw', mountPath: '/raw', readOnly: true });

    // The same job again: the Job (whose template the server never lets change) is the same object with the same spec
    // and generation. (Its resourceVersion may move: kube-apiserver 1.20 refreshes the field manager's timestamp on a
    // no-op apply in a later second, as for Pods and claims in workspace-lifecycle.integration.test.ts.)
    await run(mountRaw);
    const again = (await readOne<Job>(zoneIn))!;
    expect({ uid: again.metadata.uid, generation: again.metadata.generation, spec: again.spec }).toEqual({ uid: stored.metadata.uid, generation: stored.metadata.generation, spec: stored.spec });

    await run(job(TASK_TYPES.workspaceTeardown, { phase: 'preprocessing' }));
    await expectGone(zoneIn);
  });
});
