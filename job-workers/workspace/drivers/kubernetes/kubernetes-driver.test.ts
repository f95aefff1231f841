import { describe, expect, it } from 'vitest';
import { WorkspaceConflictError, WorkspaceDriverError, WorkspaceUnavailableError, refOf, type DriverContext, type KubeObject } from '../workspace-driver.js';
import { apiError, createFakeKubeObjectClient } from './fake-kube-object-client.js';
import { createKubernetesDriver } from './kubernetes-driver.js';

const context: DriverContext = { permitId: 'permit-1', phase: 'setup' };
const namespace: KubeObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'spe-permit-1', labels: { a: 'b' } } };
const quota: KubeObject = { apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'quota', namespace: 'spe-permit-1' }, spec: { hard: { pods: '10' } } };
const snapshot: KubeObject = {
  apiVersion: 'snapshot.storage.k8s.io/v1',
  kind: 'VolumeSnapshot',
  metadata: { name: 'review', namespace: 'spe-permit-1' },
  spec: { source: { persistentVolumeClaimName: 'workspace' } },
};

describe('kubernetes driver', () => {
  it('applies objects in order and reports uid, resourceVersion and changed', async () => {
    const client = createFakeKubeObjectClient();
    const driver = createKubernetesDriver({ client });
    const applied = await driver.apply([namespace, quota], context);
    expect(applied.map((a) => a.name)).toEqual(['spe-permit-1', 'quota']);
    expect(applied.every((a) => a.changed === true && a.uid !== undefined && a.resourceVersion !== undefined)).toBe(true);
    expect(client.calls.filter((c) => c.operation === 'apply').map((c) => c.name)).toEqual(['spe-permit-1', 'quota']);
  });

  it('reports changed=false and the same resourceVersion when the same objects are applied again', async () => {
    const client = createFakeKubeObjectClient();
    const driver = createKubernetesDriver({ client });
    const first = await driver.apply([namespace, quota], context);
    const second = await driver.apply([namespace, quota], context);
    expect(second.map((a) => a.changed)).toEqual([false, false]);
    expect(second.map((a) => a.resourceVersion)).toEqual(first.map((a) => a.resourceVersion));
    expect(client.objects.size).toBe(2);
  });

  it('reports changed=false when the server only refreshed its bookkeeping (new resourceVersion, same content)', async () => {
    const client = createFakeKubeObjectClient();
    const driver = createKubernetesDriver({ client });
    await driver.apply([quota], context);
    const stored = client.objects.get('ResourceQuota/spe-permit-1/quota');
    const original = client.apply.bind(client);
    client.apply = async (object, manager) => ({ ...(await original(object, manager)), metadata: { ...stored!.metadata, resourceVersion: '999' } });
    const [again] = await driver.apply([quota], context);
    expect(again).toMatchObject({ resourceVersion: '999', changed: false });
  });

  it('names the failing object and the ones already applied when the server rejects one', async () => {
    const client = createFakeKubeObjectClient();
    client.failWith('apply', 'quota', apiError(409, 'Apply failed with 1 conflict', { reason: 'Conflict' }));
    const driver = createKubernetesDriver({ client });
    const error = await driver.apply([namespace, quota, snapshot], context).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkspaceConflictError);
    const conflict = error as WorkspaceConflictError;
    expect(conflict.completed).toEqual([refOf(namespace)]);
    expect(conflict.failed).toEqual(refOf(quota));
    expect(client.calls.some((c) => c.operation === 'apply' && c.name === 'review')).toBe(false);
  });

  it('fails with an incident-class error naming the CRD when a kind is not served', async () => {
    const client = createFakeKubeObjectClient();
    client.unserved.add('snapshot.storage.k8s.io/v1/VolumeSnapshot');
    const driver = createKubernetesDriver({ client });
    const error = await driver.apply([namespace, snapshot], context).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkspaceDriverError);
    expect(error).not.toBeInstanceOf(WorkspaceConflictError);
    expect((error as Error).message).toMatch(/does not serve VolumeSnapshot.*CustomResourceDefinition/);
    expect((error as WorkspaceDriverError).completed).toEqual([refOf(namespace)]);
  });

  it('maps a 503 while applying to the unavailable error', async () => {
    const client = createFakeKubeObjectClient();
    client.failWith('get', 'spe-permit-1', apiError(503, 'etcdserver: leader changed'));
    const driver = createKubernetesDriver({ client });
    await expect(driver.apply([namespace], context)).rejects.toBeInstanceOf(WorkspaceUnavailableError);
  });

  it('removes idempotently: already gone and unserved kinds count as existed=false', async () => {
    const client = createFakeKubeObjectClient();
    const driver = createKubernetesDriver({ client });
    await driver.apply([namespace, quota], context);
    client.unserved.add('snapshot.storage.k8s.io/v1/VolumeSnapshot');
    const refs = [refOf(snapshot), refOf(quota), refOf(namespace)];
    expect((await driver.remove(refs, context)).map((r) => r.existed)).toEqual([false, true, true]);
    expect((await driver.remove(refs, context)).map((r) => r.existed)).toEqual([false, false, false]);
  });

  it('reads what exists, in ref order, with missing objects as exists=false', async () => {
    const client = createFakeKubeObjectClient();
    const driver = createKubernetesDriver({ client });
    await driver.apply([namespace], context);
    const observed = await driver.read([refOf(quota), refOf(namespace)]);
    expect(observed.map((o) => o.exists)).toEqual([false, true]);
    expect(observed[1]?.object?.metadata.labels).toEqual({ a: 'b' });
    expect(observed[0]?.ref).toEqual(refOf(quota));
  });
});
