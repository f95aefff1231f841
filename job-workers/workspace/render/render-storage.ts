/** Permit-wide objects (namespace, default-deny policy, quota) and storage (claims, snapshots). */
import type { INamespace, IPersistentVolumeClaim, IResourceQuota } from 'kubernetes-models/v1';
import type { INetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import type { WorkspaceVolume } from '../../../shared/index.js';
import type { KubeObject } from '../drivers/workspace-driver.js';
import type { SnapshotRecord } from '../state/workspace-state.js';
import { ANNOTATIONS, LABELS, OBJECT_NAMES, labelsFor, namespaceName, volumeClaimName, type Component } from './names.js';
import type { RenderOptions } from './render-options.js';

export const SNAPSHOT_API_VERSION = 'snapshot.storage.k8s.io/v1';

export function objectMeta(permitId: string, name: string, component: Component, extra: { phase?: Parameters<typeof labelsFor>[0]['phase']; labels?: Record<string, string>; annotations?: Record<string, string> } = {}) {
  return {
    name,
    namespace: namespaceName(permitId),
    labels: labelsFor({ permitId, component, phase: extra.phase, extra: extra.labels }),
    ...(extra.annotations ? { annotations: extra.annotations } : {}),
  };
}

export function renderNamespace(permitId: string): KubeObject {
  const namespace: INamespace = {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {
      name: namespaceName(permitId),
      labels: labelsFor({ permitId, component: 'namespace' }),
      annotations: { [ANNOTATIONS.permitId]: permitId },
    },
  };
  return namespace as KubeObject;
}

/** Selects every pod of the namespace and allows nothing, in and out: the base every other policy opens holes in. */
export function renderDefaultDeny(permitId: string): KubeObject {
  const policy: INetworkPolicy = {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: objectMeta(permitId, OBJECT_NAMES.defaultDeny, 'network-policy'),
    spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
  };
  return policy as KubeObject;
}

export function renderQuota(permitId: string, options: RenderOptions): KubeObject {
  const quota: IResourceQuota = {
    apiVersion: 'v1',
    kind: 'ResourceQuota',
    metadata: objectMeta(permitId, OBJECT_NAMES.quota, 'quota'),
    spec: {
      hard: {
        'requests.cpu': options.quota.cpu,
        'limits.cpu': options.quota.cpu,
        'requests.memory': options.quota.memory,
        'limits.memory': options.quota.memory,
        pods: options.quota.pods,
        persistentvolumeclaims: options.quota.persistentVolumeClaims,
        'requests.storage': options.quota.storage,
      },
    },
  };
  return quota as KubeObject;
}

function claim(permitId: string, name: string, size: string, component: Component, options: RenderOptions, labels: Record<string, string> = {}): KubeObject {
  const pvc: IPersistentVolumeClaim = {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: objectMeta(permitId, name, component, { labels }),
    spec: {
      accessModes: [...options.storage.accessModes],
      resources: { requests: { storage: size } },
      ...(options.storage.storageClassName ? { storageClassName: options.storage.storageClassName } : {}),
    },
  };
  return pvc as KubeObject;
}

export function renderDataVolume(permitId: string, volume: WorkspaceVolume, options: RenderOptions): KubeObject {
  return claim(permitId, volumeClaimName(volume), options.storage.sizes[volume], 'data-volume', options, { [LABELS.volume]: volume });
}

/** The research workspace's own disk (/workspace): the environment the team sets up, snapshotted for review. */
export function renderWorkspaceDisk(permitId: string, options: RenderOptions): KubeObject {
  return claim(permitId, OBJECT_NAMES.workspaceDisk, options.storage.sizes.workspace, 'workspace-disk', options);
}

/** Where approved outputs are copied to; the export service reads it. The workspace never mounts it. */
export function renderReleaseVolume(permitId: string, options: RenderOptions): KubeObject {
  return claim(permitId, OBJECT_NAMES.releaseVolume, options.storage.sizes.release, 'release', options);
}

export function renderSnapshot(permitId: string, snapshot: SnapshotRecord, options: RenderOptions): KubeObject {
  const className = snapshot.purpose === 'archive' ? options.storage.archiveSnapshotClassName : options.storage.snapshotClassName;
  const annotations: Record<string, string> = snapshot.retainUntil ? { [ANNOTATIONS.retainUntil]: snapshot.retainUntil } : {};
  return {
    apiVersion: SNAPSHOT_API_VERSION,
    kind: 'VolumeSnapshot',
    metadata: objectMeta(permitId, snapshot.name, 'snapshot', { labels: { 'spe.example.org/purpose': snapshot.purpose }, annotations: Object.keys(annotations).length ? annotations : undefined }),
    spec: {
      ...(className ? { volumeSnapshotClassName: className } : {}),
      source: { persistentVolumeClaimName: snapshot.source },
    },
  };
}
