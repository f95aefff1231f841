/**
 * The workload of a phase: a Pod (default) or a KubeVirt VirtualMachine. Data volumes mount read-only on both
 * the mount and the claim when the state says so; the research workspace also gets its own disk at /workspace.
 */
import type { IContainer, IPod, IPodSpec, IVolume, IVolumeMount } from 'kubernetes-models/v1';
import type { WorkspacePhase } from '../../../shared/index.js';
import type { KubeObject } from '../drivers/workspace-driver.js';
import { isResearchPhase, type WorkspaceDesiredState } from '../state/workspace-state.js';
import { ANNOTATIONS, LABELS, OBJECT_NAMES, labelsFor, mountPath, shortHash, volumeClaimName, workloadComponent, workloadName } from './names.js';
import type { RenderOptions } from './render-options.js';
import { objectMeta } from './render-storage.js';
import { INBOUND_ZONES, ZONE_COMPLETE_MARKER } from './render-zone-copy.js';

export const KUBEVIRT_API_VERSION = 'kubevirt.io/v1';
const WORKSPACE_DISK_PATH = '/workspace';
const USER_ID = 1000;

interface DiskPlan {
  /** Volume name inside the pod / VM. */
  name: string;
  claimName: string;
  path: string;
  readOnly: boolean;
}

/** Which claims the workload mounts where. */
function diskPlan(state: WorkspaceDesiredState): DiskPlan[] {
  const disks: DiskPlan[] = [];
  if (isResearchPhase(state.phase)) disks.push({ name: OBJECT_NAMES.workspaceDisk, claimName: OBJECT_NAMES.workspaceDisk, path: WORKSPACE_DISK_PATH, readOnly: false });
  for (const mount of state.mounts) {
    disks.push({ name: mount.volume, claimName: volumeClaimName(mount.volume), path: mountPath(state.phase, mount.volume), readOnly: mount.readOnly });
  }
  return disks;
}

function imageOf(phase: WorkspacePhase, options: RenderOptions): string {
  if (phase === 'ingress') return options.images.airlock;
  if (phase === 'preprocessing') return options.images.preprocessing;
  return options.images.workspace;
}

function portOf(phase: WorkspacePhase, options: RenderOptions): number {
  return phase === 'ingress' ? options.uploadGateway.port : options.accessGateway.port;
}

/** Setup only: tools find the proxy through the usual variables (the network policy is what enforces it). */
function proxyEnv(state: WorkspaceDesiredState, options: RenderOptions) {
  if (state.phase !== 'setup') return [];
  return [
    { name: 'HTTP_PROXY', value: options.proxy.url },
    { name: 'HTTPS_PROXY', value: options.proxy.url },
    { name: 'NO_PROXY', value: 'localhost,127.0.0.1' },
  ];
}

function workloadLabels(permitId: string, phase: WorkspacePhase): Record<string, string> {
  return labelsFor({ permitId, component: workloadComponent(phase), phase, extra: { [LABELS.researcherAccess]: String(isResearchPhase(phase)) } });
}

/**
 * With zone copies: an init container that holds the workload until every copied zone it mounts is complete (the
 * copy Job writes the marker last), so the workspace never starts on half a `/prepared_data`. Read-only mounts, no
 * network.
 */
function waitForZones(disks: DiskPlan[], options: RenderOptions): IContainer[] {
  const copied = disks.filter((disk) => disk.readOnly && (INBOUND_ZONES as readonly string[]).includes(disk.claimName));
  if (!options.zoneCopy || copied.length === 0) return [];
  const script = `for d in "$@"; do until [ -f "$d/${ZONE_COMPLETE_MARKER}" ]; do echo "waiting for the copy of $d"; sleep 5; done; done`;
  return [
    {
      name: 'wait-for-zones',
      image: options.zoneCopy.image,
      command: ['/bin/sh', '-c', script, 'wait-for-zones', ...copied.map((disk) => disk.path)],
      resources: { requests: { cpu: '10m', memory: '16Mi' }, limits: { cpu: '100m', memory: '32Mi' } },
      securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
      volumeMounts: copied.map((disk) => ({ name: disk.name, mountPath: disk.path, readOnly: true })),
    },
  ];
}

export function renderPod(permitId: string, state: WorkspaceDesiredState, options: RenderOptions): KubeObject {
  const disks = diskPlan(state);
  const initContainers = waitForZones(disks, options);
  const volumeMounts: IVolumeMount[] = [
    ...disks.map((disk) => ({ name: disk.name, mountPath: disk.path, readOnly: disk.readOnly })),
    { name: 'tmp', mountPath: '/tmp', readOnly: false },
  ];
  const volumes: IVolume[] = [
    ...disks.map((disk) => ({ name: disk.name, persistentVolumeClaim: { claimName: disk.claimName, readOnly: disk.readOnly } })),
    { name: 'tmp', emptyDir: {} },
  ];
  const env = proxyEnv(state, options);
  const container: IContainer = {
    name: workloadComponent(state.phase),
    image: imageOf(state.phase, options),
    ports: [{ name: 'access', containerPort: portOf(state.phase, options), protocol: 'TCP' }],
    ...(env.length ? { env } : {}),
    resources: {
      requests: { cpu: options.resources.cpu, memory: options.resources.memory },
      limits: { cpu: options.resources.cpu, memory: options.resources.memory },
    },
    securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
    volumeMounts,
  };
  const spec: IPodSpec = {
    automountServiceAccountToken: false,
    enableServiceLinks: false,
    restartPolicy: 'Always',
    securityContext: { runAsNonRoot: true, runAsUser: USER_ID, runAsGroup: USER_ID, fsGroup: USER_ID, seccompProfile: { type: 'RuntimeDefault' } },
    ...(initContainers.length ? { initContainers } : {}),
    containers: [container],
    volumes,
  };
  const pod: IPod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      ...objectMeta(permitId, workloadName(state.phase), workloadComponent(state.phase), { phase: state.phase }),
      labels: workloadLabels(permitId, state.phase),
      // Pod specs cannot change in place: the handlers replace a Pod whose hash differs.
      annotations: { [ANNOTATIONS.specHash]: shortHash(JSON.stringify(spec), 16) },
    },
    spec,
  };
  return pod as KubeObject;
}

function cloudInit(state: WorkspaceDesiredState, disks: DiskPlan[], options: RenderOptions): string {
  const lines = ['#cloud-config', 'mounts:'];
  for (const disk of disks) lines.push(`  - [/dev/disk/by-id/virtio-${disk.name}, ${disk.path}, auto, "${disk.readOnly ? 'ro,' : ''}defaults,nofail"]`);
  const env = proxyEnv(state, options);
  if (env.length) {
    lines.push('write_files:', '  - path: /etc/profile.d/spe-proxy.sh', '    content: |');
    for (const variable of env) lines.push(`      export ${variable.name}=${variable.value}`);
  }
  return `${lines.join('\n')}\n`;
}

/** The KubeVirt option: the VM object stays while stopped (`running: false`), unlike a Pod which is deleted. */
export function renderVirtualMachine(permitId: string, state: WorkspaceDesiredState, options: RenderOptions): KubeObject {
  const disks = diskPlan(state);
  const cores = Math.max(1, Number.parseInt(options.resources.cpu, 10) || 1);
  return {
    apiVersion: KUBEVIRT_API_VERSION,
    kind: 'VirtualMachine',
    metadata: objectMeta(permitId, workloadName(state.phase), workloadComponent(state.phase), { phase: state.phase }),
    spec: {
      running: state.running && !state.suspended,
      template: {
        metadata: { labels: workloadLabels(permitId, state.phase) },
        spec: {
          domain: {
            cpu: { cores },
            resources: { requests: { memory: options.resources.memory }, limits: { memory: options.resources.memory } },
            devices: {
              disks: [
                { name: 'os', bootOrder: 1, disk: { bus: 'virtio' } },
                ...disks.map((disk) => ({ name: disk.name, serial: disk.name, disk: { bus: 'virtio', readonly: disk.readOnly } })),
                { name: 'cloudinit', disk: { bus: 'virtio' } },
              ],
            },
          },
          volumes: [
            { name: 'os', containerDisk: { image: options.images.vmOs } },
            ...disks.map((disk) => ({ name: disk.name, persistentVolumeClaim: { claimName: disk.claimName, readOnly: disk.readOnly } })),
            { name: 'cloudinit', cloudInitNoCloud: { userData: cloudInit(state, disks, options) } },
          ],
        },
      },
    },
  };
}
