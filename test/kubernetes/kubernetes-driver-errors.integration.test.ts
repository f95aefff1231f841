/**
 * How the kubernetes driver reports what a real API server refuses (see drivers/workspace-driver.ts for the
 * mapping the handlers rely on): invalid objects are conflicts (→ WORKSPACE_PROVISIONING_REJECTED), a server that
 * does not answer is unavailable (→ retry), missing RBAC and missing CRDs are plain driver errors (→ incident).
 */
import { createServer, type Socket } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';
import { beforeAll, describe, expect, it } from 'vitest';
import { createKubeObjectClient, createKubernetesDriver, loadKubeConfig } from '../../job-workers/workspace/drivers/kubernetes/index.js';
import {
  WorkspaceConflictError,
  WorkspaceDriverError,
  WorkspaceUnavailableError,
  type DriverContext,
  type KubeObject,
  type WorkspaceDriver,
} from '../../job-workers/workspace/drivers/workspace-driver.js';
import { namespaceName } from '../../job-workers/workspace/render/names.js';
import { freePort } from '../support/free-port.js';
import { kubeTestServer, uniquePermitId } from './support/kube-test-server.js';

const server = await kubeTestServer();
if (!server.available) console.warn(`[test/kubernetes] skipped: ${server.reason}`);

describe.skipIf(!server.available)('kubernetes driver errors from a real API server', () => {
  let driver: WorkspaceDriver;
  const permitId = uniquePermitId('err');
  const namespace = namespaceName(permitId);
  const context: DriverContext = { permitId, phase: 'setup' };
  const ns: KubeObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } };

  beforeAll(async () => {
    if (!server.available) return;
    driver = createKubernetesDriver({ client: createKubeObjectClient(server.kubeConfig('spe-test-worker')) });
    await driver.apply([ns], context);
    return async () => {
      await driver.remove([{ apiVersion: 'v1', kind: 'Namespace', name: namespace }], context);
    };
  });

  it('reports an object the server finds invalid (422) as a conflict, naming the object and what was done before', async () => {
    const snapshot: KubeObject = {
      apiVersion: 'snapshot.storage.k8s.io/v1',
      kind: 'VolumeSnapshot',
      metadata: { name: 'two-sources', namespace },
      // The CRD's schema allows exactly one source.
      spec: { source: { persistentVolumeClaimName: 'a', volumeSnapshotContentName: 'b' } },
    };
    const error = await driver.apply([ns, snapshot], context).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkspaceConflictError);
    const conflict = error as WorkspaceConflictError;
    expect(conflict.statusCode).toBe(422);
    expect(conflict.failed).toMatchObject({ kind: 'VolumeSnapshot', name: 'two-sources' });
    expect(conflict.completed).toEqual([{ apiVersion: 'v1', kind: 'Namespace', name: namespace }]);
  });

  it('reports a pod without containers (422 from built-in validation) as a conflict', async () => {
    const pod: KubeObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'empty', namespace }, spec: { containers: [] } };
    const error = await driver.apply([pod], context).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkspaceConflictError);
    expect((error as Error).message).toContain('spec.containers');
  });

  it('reports a kind outside the worker role (403) as a driver error that names RBAC, not as a conflict or outage', async () => {
    const service: KubeObject = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'not-allowed', namespace }, spec: { ports: [{ port: 80 }] } };
    const error = await driver.apply([service], context).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkspaceDriverError);
    expect(error).not.toBeInstanceOf(WorkspaceConflictError);
    expect(error).not.toBeInstanceOf(WorkspaceUnavailableError);
    expect((error as WorkspaceDriverError).statusCode).toBe(403);
    expect((error as Error).message).toContain('RBAC');
  });

  it('reports a kind the server does not serve as a driver error naming the missing CRD', async () => {
    const widget: KubeObject = { apiVersion: 'widgets.example.org/v1', kind: 'Widget', metadata: { name: 'w', namespace } };
    const error = await driver.apply([widget], context).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkspaceDriverError);
    expect((error as Error).message).toContain('CustomResourceDefinition');
    expect(await driver.read([{ apiVersion: 'widgets.example.org/v1', kind: 'Widget', name: 'w', namespace }])).toEqual([
      { ref: { apiVersion: 'widgets.example.org/v1', kind: 'Widget', name: 'w', namespace }, exists: false },
    ]);
  });

  it('reports an API server nobody listens on as unavailable (retry)', async () => {
    const port = await freePort();
    const unreachable = createKubernetesDriver({ client: createKubeObjectClient(kubeConfigFor(`https://127.0.0.1:${port}`), { requestTimeoutMs: 5_000 }) });
    const error = await unreachable.apply([ns], context).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkspaceUnavailableError);
    expect((error as Error).message).toContain('ECONNREFUSED');
  });
});

function kubeConfigFor(server: string): KubeConfig {
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromOptions({
    clusters: [{ name: 'test', server, skipTLSVerify: true }],
    users: [{ name: 'nobody', token: 'x' }],
    contexts: [{ name: 'test', cluster: 'test', user: 'nobody' }],
    currentContext: 'test',
  });
  return kubeConfig;
}

// Needs no Kubernetes: a socket that accepts and never answers.
describe('kubernetes driver against an API server that hangs', () => {
  it('gives up after the request timeout and reports the server as unavailable (retry)', async () => {
    const sockets: Socket[] = [];
    const silent = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const address = silent.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    try {
      const driver = createKubernetesDriver({ client: createKubeObjectClient(kubeConfigFor(`https://127.0.0.1:${port}`), { requestTimeoutMs: 300 }) });
      const ns: KubeObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'spe-permit-hang' } };
      const error = await driver.apply([ns], { permitId: 'hang', phase: 'setup' }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(WorkspaceUnavailableError);
      expect((error as Error).message).toContain('did not answer in time');
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });
});

describe('loading the kubeconfig', () => {
  it('says which file is missing', () => {
    expect(() => loadKubeConfig({ kind: 'file', path: '/nonexistent/kubeconfig' })).toThrow(
      new WorkspaceDriverError('cannot load the Kubernetes configuration (file /nonexistent/kubeconfig): kubeconfig file /nonexistent/kubeconfig does not exist'),
    );
  });

  it.skipIf(!server.available)('selects the given context and refuses an unknown one', () => {
    if (!server.available) return;
    expect(loadKubeConfig({ kind: 'file', path: server.kubeconfigPath, context: 'spe-test-worker' }).getCurrentUser()?.name).toBe('spe-workspace-worker');
    expect(() => loadKubeConfig({ kind: 'file', path: server.kubeconfigPath, context: 'nope' })).toThrow(/has no context "nope"/);
  });
});
