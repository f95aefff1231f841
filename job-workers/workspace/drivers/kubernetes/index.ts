/**
 * The `kubernetes` workspace driver (server-side apply against an API server). Entry files build it with
 * `createKubernetesDriverFromConfig`; tests build it from a `KubeObjectClient` (real or fake) with `createKubernetesDriver`.
 */
import type { Logger } from 'pino';
import type { WorkspaceDriver } from '../workspace-driver.js';
import { createKubeObjectClient } from './kube-object-client.js';
import { createKubernetesDriver } from './kubernetes-driver.js';
import { loadKubeConfig, type KubeConfigSource } from './load-kube-config.js';

export { classifyKubeError } from './classify-kube-error.js';
export { createKubeObjectClient, type KubeObjectClient, type KubeObjectClientOptions } from './kube-object-client.js';
export { KUBERNETES_DRIVER_NAME, createKubernetesDriver, type KubernetesDriverDeps } from './kubernetes-driver.js';
export { describeSource, loadKubeConfig, type KubeConfigSource } from './load-kube-config.js';

export interface KubernetesDriverConfig {
  /** Where the credentials come from (default: `{ kind: 'default' }`). */
  kubeconfig?: KubeConfigSource;
  /** Per-request timeout (default 30 s). */
  requestTimeoutMs?: number;
  logger?: Logger;
}

export function createKubernetesDriverFromConfig(config: KubernetesDriverConfig = {}): WorkspaceDriver {
  const kubeConfig = loadKubeConfig(config.kubeconfig ?? { kind: 'default' });
  const client = createKubeObjectClient(kubeConfig, { requestTimeoutMs: config.requestTimeoutMs });
  return createKubernetesDriver({ client, logger: config.logger });
}
