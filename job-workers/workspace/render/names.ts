/**
 * Names and labels of the rendered objects. Every name is DNS-1123 safe and stable: the same permit and state
 * always give the same names, which is what makes applying twice change nothing.
 */
import { createHash } from 'node:crypto';
import type { WorkspacePhase, WorkspaceVolume } from '../../../shared/index.js';

export const LABELS = {
  name: 'app.kubernetes.io/name',
  partOf: 'app.kubernetes.io/part-of',
  managedBy: 'app.kubernetes.io/managed-by',
  component: 'app.kubernetes.io/component',
  permitId: 'spe.example.org/permit-id',
  phase: 'spe.example.org/phase',
  volume: 'spe.example.org/volume',
  researcherAccess: 'spe.example.org/researcher-access',
  /** Zone copy Jobs: `in` (store to claim) or `out` (claim to store). */
  direction: 'spe.example.org/direction',
} as const;

export const ANNOTATIONS = {
  /** The permit id exactly as given (the label may be shortened). */
  permitId: 'spe.example.org/permit-id',
  /** Hash of a Pod's spec: a different hash means the Pod must be replaced (Pod specs are immutable). */
  specHash: 'spe.example.org/spec-hash',
  retainUntil: 'spe.example.org/retain-until',
  egressRequestId: 'spe.example.org/egress-request-id',
} as const;

/** Components (label `app.kubernetes.io/component`). */
export type Component =
  | 'namespace'
  | 'network-policy'
  | 'quota'
  | 'data-volume'
  | 'workspace-disk'
  | 'snapshot'
  | 'access'
  | 'workspace'
  | 'airlock'
  | 'preprocessing'
  | 'release'
  | 'zone-copy';

export const APP_NAME = 'spe-workspace';
export const PART_OF = 'spe-platform';
export const MANAGED_BY = 'spe-workspace-worker';

const DNS_LABEL_MAX = 63;
const NAMESPACE_PREFIX = 'spe-permit-';

export function shortHash(value: string, length = 10): string {
  return createHash('sha256').update(value).digest('hex').slice(0, length);
}

/**
 * `spe-permit-<id>`: the id lower-cased with anything outside `[a-z0-9-]` turned into `-`. When that changed
 * the id (so two ids could meet) or makes the name too long, a hash of the original id is appended.
 */
export function namespaceName(permitId: string): string {
  const cleaned = permitId.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/-+/g, '-').replace(/^-|-$/g, '');
  const room = DNS_LABEL_MAX - NAMESPACE_PREFIX.length;
  if (cleaned === permitId && cleaned.length > 0 && cleaned.length <= room) return NAMESPACE_PREFIX + cleaned;
  const hash = shortHash(permitId);
  const head = cleaned.slice(0, room - hash.length - 1).replace(/-$/, '');
  return NAMESPACE_PREFIX + (head ? `${head}-${hash}` : hash);
}

/** A label value for the permit id (`[A-Za-z0-9._-]`, at most 63, alphanumeric at both ends); hashed when it must change. */
export function permitLabelValue(permitId: string): string {
  if (/^[A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?$/.test(permitId)) return permitId;
  const cleaned = permitId.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '');
  const hash = shortHash(permitId);
  const head = cleaned.slice(0, DNS_LABEL_MAX - hash.length - 1).replace(/[^A-Za-z0-9]+$/, '');
  return head ? `${head}-${hash}` : hash;
}

/** Object names. Shared by the renderer, the handlers and the docs. */
export const OBJECT_NAMES = {
  defaultDeny: 'default-deny',
  quota: 'workspace-quota',
  workspaceDisk: 'workspace-disk',
  releaseVolume: 'release',
  /** The research workspace (Pod or VirtualMachine); the same object in setup and analysis. */
  workspace: 'workspace',
  workspaceAccess: 'workspace-access',
  workspaceEgress: 'workspace-egress-proxy',
  airlock: 'ingress-airlock',
  airlockUploads: 'ingress-airlock-uploads',
  preprocessing: 'preprocessing',
  preprocessingAccess: 'preprocessing-access',
  archiveSnapshot: 'outputs-archive',
} as const;

/** The PVC of a data volume is named after it: `raw`, `prepared`, `outputs`. */
export function volumeClaimName(volume: WorkspaceVolume): string {
  return volume;
}

/** Where a data volume appears inside the workload of a phase. */
export function mountPath(phase: WorkspacePhase, volume: WorkspaceVolume): string {
  if (volume === 'prepared' && (phase === 'analysis' || phase === 'setup')) return '/prepared_data';
  return `/${volume}`;
}

/** A review snapshot's name, derived from the job that took it (a second delivery takes the same one). */
export function reviewSnapshotName(jobKey: string): string {
  return `workspace-disk-review-${shortHash(jobKey)}`;
}

export function releaseJobName(egressRequestId: string): string {
  return `release-${shortHash(egressRequestId)}`;
}

/** The workload object of a phase (Pod or VirtualMachine name). */
export function workloadName(phase: WorkspacePhase): string {
  switch (phase) {
    case 'ingress':
      return OBJECT_NAMES.airlock;
    case 'preprocessing':
      return OBJECT_NAMES.preprocessing;
    case 'setup':
    case 'analysis':
      return OBJECT_NAMES.workspace;
  }
}

export function workloadComponent(phase: WorkspacePhase): Component {
  if (phase === 'ingress') return 'airlock';
  if (phase === 'preprocessing') return 'preprocessing';
  return 'workspace';
}

export interface LabelInput {
  permitId: string;
  component: Component;
  phase?: WorkspacePhase;
  extra?: Record<string, string>;
}

export function labelsFor({ permitId, component, phase, extra }: LabelInput): Record<string, string> {
  return {
    [LABELS.name]: APP_NAME,
    [LABELS.partOf]: PART_OF,
    [LABELS.managedBy]: MANAGED_BY,
    [LABELS.component]: component,
    [LABELS.permitId]: permitLabelValue(permitId),
    ...(phase ? { [LABELS.phase]: phase } : {}),
    ...extra,
  };
}
