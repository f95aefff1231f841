/**
 * The pure renderer: the desired Kubernetes objects of a permit's workspaces, from their desired states. Every
 * object is validated (`validateObjects`) before it is returned, so nothing invalid ever reaches a driver.
 *
 * - Permit-wide, while any workspace of the permit is not deleted: Namespace, ResourceQuota, default-deny policy.
 * - Storage (kept after teardown until `workspace.delete-data`): the data claims a workspace created, the research
 *   workspace's disk, its review snapshots and the archive snapshot.
 * - Only while a workspace is `active`: its workload (Pod when running, or VirtualMachine), its network policies,
 *   its access list and its release jobs; with `options.zoneCopy`, the Jobs that copy the airlock zones into its
 *   read-only data claims and its outputs back (render-zone-copy.ts) and the copier pods' egress policy.
 *
 * Objects come back in apply order (namespace first, workloads last); `removalOrder` gives the reverse.
 */
import type { IConfigMap } from 'kubernetes-models/v1';
import { CANDIDATE_GROUPS } from '../../../shared/index.js';
import { refOf, type KubeObject, type KubeObjectRef } from '../drivers/workspace-driver.js';
import { isResearchPhase, type WorkspaceDesiredState } from '../state/workspace-state.js';
import { OBJECT_NAMES, namespaceName, volumeClaimName, workloadName } from './names.js';
import { renderGatewayIngress, renderProxyEgress } from './render-network.js';
import type { RenderOptions } from './render-options.js';
import { renderReleaseJob } from './render-release.js';
import {
  objectMeta,
  renderDataVolume,
  renderDefaultDeny,
  renderNamespace,
  renderQuota,
  renderReleaseVolume,
  renderSnapshot,
  renderWorkspaceDisk,
  SNAPSHOT_API_VERSION,
} from './render-storage.js';
import { KUBEVIRT_API_VERSION, renderPod, renderVirtualMachine } from './render-workload.js';
import { possibleZoneCopyJobs, ZONE_COPY_NAMES, renderZoneCopyJobs, renderZoneCopyPolicy } from './render-zone-copy.js';
import { validateObjects } from './validate-objects.js';

const KIND_ORDER = ['Namespace', 'ResourceQuota', 'NetworkPolicy', 'ConfigMap', 'PersistentVolumeClaim', 'VolumeSnapshot', 'Pod', 'VirtualMachine', 'Job'];

export function refKey(ref: KubeObjectRef): string {
  return `${ref.apiVersion}/${ref.kind}/${ref.namespace ?? ''}/${ref.name}`;
}

function kindRank(kind: string): number {
  const rank = KIND_ORDER.indexOf(kind);
  return rank === -1 ? KIND_ORDER.length : rank;
}

/** Apply order: by kind (namespace first, workloads last), stable within a kind. */
export function applyOrder<T extends { kind: string }>(items: readonly T[]): T[] {
  return items.map((item, index) => ({ item, index })).sort((a, b) => kindRank(a.item.kind) - kindRank(b.item.kind) || a.index - b.index).map(({ item }) => item);
}

/** Removal order: workloads first, the namespace last. */
export function removalOrder<T extends { kind: string }>(items: readonly T[]): T[] {
  return applyOrder(items).reverse();
}

function accessList(permitId: string, state: WorkspaceDesiredState, open: boolean): KubeObject {
  const research = isResearchPhase(state.phase);
  const configMap: IConfigMap = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: objectMeta(permitId, research ? OBJECT_NAMES.workspaceAccess : OBJECT_NAMES.preprocessingAccess, 'access', { phase: state.phase }),
    data: {
      // Read by the access gateway: who may open a session now. Empty while stopped, frozen or suspended.
      'allowed-users': JSON.stringify(open && research ? [...state.members].sort() : []),
      'allowed-groups': JSON.stringify(open && !research ? [CANDIDATE_GROUPS.hdabDataStewards] : []),
      'researcher-access': String(open && research),
    },
  };
  return configMap as KubeObject;
}

function renderStorage(permitId: string, state: WorkspaceDesiredState, options: RenderOptions): KubeObject[] {
  const objects = state.volumes.map((volume) => renderDataVolume(permitId, volume, options));
  if (isResearchPhase(state.phase)) objects.push(renderWorkspaceDisk(permitId, options));
  if (state.releases.length > 0) objects.push(renderReleaseVolume(permitId, options));
  for (const snapshot of state.snapshots) objects.push(renderSnapshot(permitId, snapshot, options));
  return objects;
}

function renderActive(permitId: string, state: WorkspaceDesiredState, options: RenderOptions): KubeObject[] {
  const objects: KubeObject[] = [];
  const live = state.running && !state.suspended;
  if (state.runtime === 'kubevirt' && state.phase !== 'ingress') objects.push(renderVirtualMachine(permitId, state, options));
  else if (live) objects.push(renderPod(permitId, state, options));

  switch (state.phase) {
    case 'ingress':
      if (live) objects.push(renderGatewayIngress(permitId, OBJECT_NAMES.airlockUploads, state.phase, options.uploadGateway));
      break;
    case 'preprocessing':
      if (live) objects.push(renderGatewayIngress(permitId, OBJECT_NAMES.preprocessingAccess, state.phase, options.accessGateway));
      objects.push(accessList(permitId, state, live));
      break;
    case 'setup':
    case 'analysis':
      if (live) objects.push(renderGatewayIngress(permitId, OBJECT_NAMES.workspaceAccess, state.phase, options.accessGateway));
      if (state.phase === 'setup' && state.network === 'proxied' && !state.networkLocked && !state.suspended) {
        objects.push(renderProxyEgress(permitId, OBJECT_NAMES.workspaceEgress, state.phase, options));
      }
      objects.push(accessList(permitId, state, live));
      for (const release of state.releases) objects.push(renderReleaseJob(permitId, release, options));
      break;
  }
  return objects;
}

function dedupe(objects: KubeObject[]): KubeObject[] {
  const seen = new Set<string>();
  return objects.filter((object) => {
    const key = refKey(refOf(object));
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The desired objects of all of a permit's workspaces, validated, in apply order. */
export function renderWorkspaceObjects(permitId: string, states: readonly WorkspaceDesiredState[], options: RenderOptions): KubeObject[] {
  const present = states.filter((state) => state.status !== 'deleted');
  if (present.length === 0) return [];
  // Active workspaces first, so that the object of the live shape wins over a promoted one of the same name.
  const ordered = [...present].sort((a, b) => Number(b.status === 'active') - Number(a.status === 'active'));
  const objects: KubeObject[] = [renderNamespace(permitId), renderQuota(permitId, options), renderDefaultDeny(permitId)];
  for (const state of ordered) objects.push(...renderStorage(permitId, state, options));
  for (const state of ordered) if (state.status === 'active') objects.push(...renderActive(permitId, state, options));
  const copies = ordered.flatMap((state) => renderZoneCopyJobs(permitId, state, options));
  objects.push(...copies, ...renderZoneCopyPolicy(permitId, copies, options));
  const result = applyOrder(dedupe(objects));
  validateObjects(result);
  return result;
}

/**
 * Every object the workspaces of these states could have, whatever their flags: what a handler removes when it is
 * no longer desired (removing an object that is already gone is fine).
 */
export function possibleRefs(permitId: string, states: readonly WorkspaceDesiredState[]): KubeObjectRef[] {
  const namespace = namespaceName(permitId);
  const ref = (apiVersion: string, kind: string, name: string): KubeObjectRef => ({ apiVersion, kind, name, namespace });
  const refs: KubeObjectRef[] = [];
  for (const state of states) {
    const workload = workloadName(state.phase);
    refs.push(state.runtime === 'kubevirt' && state.phase !== 'ingress' ? ref(KUBEVIRT_API_VERSION, 'VirtualMachine', workload) : ref('v1', 'Pod', workload));
    for (const release of state.releases) refs.push(ref('batch/v1', 'Job', release.job));
    for (const snapshot of state.snapshots) refs.push(ref(SNAPSHOT_API_VERSION, 'VolumeSnapshot', snapshot.name));
    for (const volume of state.volumes) refs.push(ref('v1', 'PersistentVolumeClaim', volumeClaimName(volume)));
    // Zone copies, whatever the options: removing one that was never rendered is a no-op.
    const copies = possibleZoneCopyJobs(state);
    for (const job of copies) refs.push(ref('batch/v1', 'Job', job));
    if (copies.length > 0) refs.push(ref('networking.k8s.io/v1', 'NetworkPolicy', ZONE_COPY_NAMES.egress));
    switch (state.phase) {
      case 'ingress':
        refs.push(ref('networking.k8s.io/v1', 'NetworkPolicy', OBJECT_NAMES.airlockUploads));
        break;
      case 'preprocessing':
        refs.push(ref('networking.k8s.io/v1', 'NetworkPolicy', OBJECT_NAMES.preprocessingAccess), ref('v1', 'ConfigMap', OBJECT_NAMES.preprocessingAccess));
        break;
      case 'setup':
      case 'analysis':
        refs.push(
          ref('networking.k8s.io/v1', 'NetworkPolicy', OBJECT_NAMES.workspaceAccess),
          ref('networking.k8s.io/v1', 'NetworkPolicy', OBJECT_NAMES.workspaceEgress),
          ref('v1', 'ConfigMap', OBJECT_NAMES.workspaceAccess),
          ref('v1', 'PersistentVolumeClaim', OBJECT_NAMES.workspaceDisk),
        );
        if (state.releases.length > 0) refs.push(ref('v1', 'PersistentVolumeClaim', OBJECT_NAMES.releaseVolume));
        break;
    }
  }
  if (states.length > 0) {
    refs.push(ref('v1', 'ResourceQuota', OBJECT_NAMES.quota), ref('networking.k8s.io/v1', 'NetworkPolicy', OBJECT_NAMES.defaultDeny));
    refs.push({ apiVersion: 'v1', kind: 'Namespace', name: namespace });
  }
  const seen = new Set<string>();
  return applyOrder(refs.filter((r) => (seen.has(refKey(r)) ? false : (seen.add(refKey(r)), true))));
}
