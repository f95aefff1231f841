/**
 * What the renderer needs to know about the cluster it renders for. Everything has a default, so the embedded
 * mode renders without configuration; a real cluster passes its own (see docs/workspaces.md).
 */
import type { WorkspaceRuntime } from '../state/workspace-state.js';

export interface LabelSelector {
  /** Labels of the namespace the pods live in (`{}`: any namespace). */
  namespaceLabels: Record<string, string>;
  podLabels: Record<string, string>;
}

/** Where the airlock store keeps the zones, as the copier pods reach it (docs/workspaces.md, "Airlock zones"). */
export type ZoneCopyStore =
  | {
      kind: 's3';
      /** The S3 endpoint URL as seen from the cluster (e.g. `https://s3.example.org`). */
      endpoint: string;
      bucket: string;
      /** The store's key prefix (AIRLOCK_S3_PREFIX), e.g. `spe/`; empty for none. */
      keyPrefix: string;
      region: string;
      forcePathStyle: boolean;
      /** Secret in the permit namespace with keys `access-key-id` and `secret-access-key` (read-only credentials). */
      credentialsSecret: string;
      /** What the copier pods may reach: the endpoint's addresses (CIDRs) and port. */
      egress: { cidrs: string[]; port: number };
    }
  | {
      kind: 'filesystem';
      /** The store's folder (AIRLOCK_DIR) exported over NFS: the copier mounts `<path>/<permitId>/<zone>` read-only. */
      nfs: { server: string; path: string };
    };

export interface ZoneCopyOptions {
  /** Copier image: needs `sh`, `rclone`, `curl` 7.87 or newer (`--url-query`), `find`, `stat`, `grep`. */
  image: string;
  store: ZoneCopyStore;
  /** The platform's REST API as the outputs sync reaches it, and the Secret (key `token`) with its bearer token. */
  platform: LabelSelector & { url: string; port: number; tokenSecret: string };
  /** How often the outputs sync looks for new or changed files in /outputs. */
  syncIntervalSeconds: number;
}

export interface RenderOptions {
  /** Runtime of new workspaces: `pod` (default) or `kubevirt` (VirtualMachine). The ingress airlock is always a Pod. */
  runtime: WorkspaceRuntime;
  images: {
    /** Researcher workspace (setup and analysis). */
    workspace: string;
    /** Ingress airlock (upload receiver). */
    airlock: string;
    /** Preprocessing workspace of the HDAB data stewards. */
    preprocessing: string;
    /** Copies approved outputs into the release area. Needs `sh`, `mkdir`, `cp`. */
    copier: string;
    /** KubeVirt only: the container disk with the guest OS. */
    vmOs: string;
  };
  /** The allow-listed egress proxy of the setup phase. */
  proxy: LabelSelector & { port: number; url: string };
  /** Cluster DNS (setup phase only). */
  dns: LabelSelector;
  /** The access gateway researchers (and data stewards) reach workspaces through. */
  accessGateway: LabelSelector & { port: number };
  /** The upload gateway data holders deliver through (ingress airlock). */
  uploadGateway: LabelSelector & { port: number };
  storage: {
    /** Storage class of the PVCs; absent: the cluster default. */
    storageClassName?: string;
    accessModes: ('ReadWriteOnce' | 'ReadWriteMany')[];
    sizes: { raw: string; prepared: string; outputs: string; workspace: string; release: string };
    /** Snapshot class for review snapshots; absent: the cluster default. */
    snapshotClassName?: string;
    /** Snapshot class for archives; it should have `deletionPolicy: Retain` so the archive outlives the namespace. */
    archiveSnapshotClassName: string;
  };
  /** Per workload container. */
  resources: { cpu: string; memory: string };
  /** Namespace-wide ResourceQuota. */
  quota: { cpu: string; memory: string; pods: string; storage: string; persistentVolumeClaims: string };
  /** How long archives are kept, in days (EHDS: at least a year). */
  archiveRetentionDays: number;
  /** Copy Jobs between the airlock zones and the data claims; absent (the default): none are rendered. */
  zoneCopy?: ZoneCopyOptions;
}

export const DEFAULT_RENDER_OPTIONS: RenderOptions = {
  runtime: 'pod',
  images: {
    workspace: 'registry.example.org/spe/workspace:1.0.0',
    airlock: 'registry.example.org/spe/ingress-airlock:1.0.0',
    preprocessing: 'registry.example.org/spe/preprocessing:1.0.0',
    copier: 'registry.example.org/spe/copier:1.0.0',
    vmOs: 'registry.example.org/spe/workspace-vm-disk:1.0.0',
  },
  proxy: {
    namespaceLabels: { 'spe.example.org/role': 'egress-proxy' },
    podLabels: { 'app.kubernetes.io/name': 'egress-proxy' },
    port: 3128,
    url: 'http://egress-proxy.spe-egress-proxy.svc:3128',
  },
  // Any namespace: kube-system carries no standard name label before Kubernetes 1.21.
  dns: { namespaceLabels: {}, podLabels: { 'k8s-app': 'kube-dns' } },
  accessGateway: { namespaceLabels: { 'spe.example.org/role': 'access-gateway' }, podLabels: { 'app.kubernetes.io/name': 'access-gateway' }, port: 8443 },
  uploadGateway: { namespaceLabels: { 'spe.example.org/role': 'upload-gateway' }, podLabels: { 'app.kubernetes.io/name': 'upload-gateway' }, port: 8443 },
  storage: {
    accessModes: ['ReadWriteOnce'],
    sizes: { raw: '100Gi', prepared: '100Gi', outputs: '10Gi', workspace: '20Gi', release: '10Gi' },
    archiveSnapshotClassName: 'spe-archive',
  },
  resources: { cpu: '2', memory: '8Gi' },
  quota: { cpu: '8', memory: '32Gi', pods: '10', storage: '500Gi', persistentVolumeClaims: '10' },
  archiveRetentionDays: 366,
};

/** Defaults with `overrides` laid over them (one level deep per group). */
export function renderOptions(overrides: DeepPartial<RenderOptions> = {}): RenderOptions {
  const d = DEFAULT_RENDER_OPTIONS;
  return {
    runtime: overrides.runtime ?? d.runtime,
    images: { ...d.images, ...overrides.images },
    proxy: { ...d.proxy, ...(overrides.proxy as Partial<RenderOptions['proxy']>) },
    dns: { ...d.dns, ...(overrides.dns as Partial<RenderOptions['dns']>) },
    accessGateway: { ...d.accessGateway, ...(overrides.accessGateway as Partial<RenderOptions['accessGateway']>) },
    uploadGateway: { ...d.uploadGateway, ...(overrides.uploadGateway as Partial<RenderOptions['uploadGateway']>) },
    storage: {
      ...d.storage,
      ...(overrides.storage as Partial<RenderOptions['storage']>),
      sizes: { ...d.storage.sizes, ...overrides.storage?.sizes },
    },
    resources: { ...d.resources, ...overrides.resources },
    quota: { ...d.quota, ...overrides.quota },
    archiveRetentionDays: overrides.archiveRetentionDays ?? d.archiveRetentionDays,
    // Taken whole: a store of the other kind shares no field with the one it replaces.
    ...(overrides.zoneCopy ? { zoneCopy: overrides.zoneCopy as ZoneCopyOptions } : {}),
  };
}

export type DeepPartial<T> = { [K in keyof T]?: T[K] extends (infer U)[] ? U[] : T[K] extends object ? DeepPartial<T[K]> : T[K] };
