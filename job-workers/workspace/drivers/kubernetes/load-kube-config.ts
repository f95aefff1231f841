/**
 * Where the kubernetes driver's credentials come from. `default`: `KubeConfig.loadFromDefault()` (the `KUBECONFIG`
 * files, else `~/.kube/config`, else in-cluster); `in-cluster`: the pod's service account; `file`: one kubeconfig
 * file, optionally with a context. A config without a usable cluster fails here, at start-up, with a clear message.
 */
import { existsSync } from 'node:fs';
import { KubeConfig } from '@kubernetes/client-node';
import { WorkspaceDriverError } from '../workspace-driver.js';

export type KubeConfigSource =
  | { kind: 'default' }
  | { kind: 'in-cluster' }
  | { kind: 'file'; path: string; context?: string };

export function loadKubeConfig(source: KubeConfigSource): KubeConfig {
  const kubeConfig = new KubeConfig();
  try {
    switch (source.kind) {
      case 'default':
        kubeConfig.loadFromDefault();
        break;
      case 'in-cluster':
        kubeConfig.loadFromCluster();
        break;
      case 'file':
        if (!existsSync(source.path)) {
          throw new Error(`kubeconfig file ${source.path} does not exist`);
        }
        kubeConfig.loadFromFile(source.path);
        if (source.context !== undefined) {
          if (!kubeConfig.getContexts().some((context) => context.name === source.context)) {
            throw new Error(`kubeconfig ${source.path} has no context "${source.context}"`);
          }
          kubeConfig.setCurrentContext(source.context);
        }
        break;
    }
  } catch (error) {
    throw new WorkspaceDriverError(`cannot load the Kubernetes configuration (${describeSource(source)}): ${(error as Error).message}`, { cause: error });
  }
  const cluster = kubeConfig.getCurrentCluster();
  if (!cluster?.server) {
    throw new WorkspaceDriverError(
      `the Kubernetes configuration (${describeSource(source)}) names no cluster server; set KUBECONFIG or run inside the cluster`,
    );
  }
  return kubeConfig;
}

export function describeSource(source: KubeConfigSource): string {
  switch (source.kind) {
    case 'default':
      return 'default: KUBECONFIG, ~/.kube/config or in-cluster';
    case 'in-cluster':
      return 'in-cluster service account';
    case 'file':
      return `file ${source.path}${source.context ? `, context ${source.context}` : ''}`;
  }
}
