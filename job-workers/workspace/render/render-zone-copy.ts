/**
 * The airlock zones in the workspace: copy Jobs between the airlock store and the workspace's data claims.
 *
 * - In: a Job per read-only mount of `raw` or `prepared` (`zone-in-raw`, `zone-in-prepared`) copies the zone
 *   `<permitId>/<zone>/` of the store into the claim of the same name and writes `.spe-zone-complete` last; the
 *   workload mounts the claim read-only. s3 store: `rclone copy --checksum` from the bucket with credentials from a
 *   Secret; filesystem store: the store's folder as an NFS volume, read-only, no network at all.
 * - Out: while the analysis workspace runs with `/outputs`, the Job `outputs-sync` mounts the outputs claim
 *   read-only and puts each new or changed file into the outputs zone through the platform's own transition,
 *   `PUT /api/permits/{id}/outputs?path=` (sha256, size and the record are made there; writing the bucket directly
 *   would bypass them), every `syncIntervalSeconds`.
 * - Egress: the workspace pods keep none. Only pods labelled `zone-copy` get the policy `zone-copy-egress`: DNS, the
 *   store's endpoint (s3 only) and the platform API (outputs sync only), each as narrow as the options allow.
 *
 * Rendered only when `RenderOptions.zoneCopy` is set (a real cluster); the embedded mode copies nothing.
 */
import type { IJob } from 'kubernetes-models/batch/v1';
import type { INetworkPolicy, INetworkPolicyEgressRule, INetworkPolicyPeer } from 'kubernetes-models/networking.k8s.io/v1';
import type { IContainer, IEnvVar, IVolume } from 'kubernetes-models/v1';
import type { WorkspaceVolume } from '../../../shared/index.js';
import type { KubeObject } from '../drivers/workspace-driver.js';
import type { WorkspaceDesiredState } from '../state/workspace-state.js';
import { LABELS, labelsFor, volumeClaimName, workloadComponent } from './names.js';
import type { LabelSelector, RenderOptions, ZoneCopyOptions } from './render-options.js';
import { objectMeta } from './render-storage.js';
import { InvalidObjectError } from './validate-objects.js';

export const ZONE_COPY_NAMES = {
  outputsSync: 'outputs-sync',
  egress: 'zone-copy-egress',
} as const;

/** The zones a Job copies into the workspace (read-only there). */
export const INBOUND_ZONES = ['raw', 'prepared'] as const satisfies readonly WorkspaceVolume[];

export function zoneInJobName(volume: WorkspaceVolume): string {
  return `zone-in-${volume}`;
}

/** Marker the inbound copy writes last: its presence says the claim holds the whole zone. */
export const ZONE_COMPLETE_MARKER = '.spe-zone-complete';

/** `$1` is the source (an rclone remote path or /store), `$2` the claim (/data); names never reach the shell as code. */
export const COPY_IN_SCRIPT = `set -eu; target="\${2:-/data}"; rm -f "$target/${ZONE_COMPLETE_MARKER}"; rclone copy --checksum "$1" "$target"; date -u +%Y-%m-%dT%H:%M:%SZ > "$target/${ZONE_COMPLETE_MARKER}"`;

/**
 * Every file under the outputs folder (`$3`, /outputs) whose size or time changed since the last pass is PUT to the
 * platform (`$1`, the outputs URL), the path as a URL-encoded query parameter and never through the shell as code.
 * A file the platform refuses is reported and tried again next pass; it never stops the others. `$2`: seconds
 * between passes (0: one pass, then exit).
 */
export const OUTPUTS_SYNC_SCRIPT = [
  'set -eu; url="$1"; every="$2"; root="${3:-/outputs}"; seen="${TMPDIR:-/tmp}/spe-outputs-seen"; : > "$seen"',
  'while true; do',
  '  find "$root" -type f ! -name ".*" -exec sh -c \'' +
    'url="$1"; root="$2"; seen="$3"; shift 3; for f in "$@"; do rel="${f#"$root"/}"; sig="$(stat -c "%s %Y" "$f") $rel"; ' +
    'if grep -qxF -- "$sig" "$seen"; then continue; fi; ' +
    'if curl -fsS --retry 3 --url-query "path=$rel" -H "authorization: Bearer $SPE_OUTPUTS_TOKEN" ' +
    '-H "content-type: application/octet-stream" -T "$f" "$url" > /dev/null; then printf "%s\\n" "$sig" >> "$seen"; ' +
    'else echo "outputs-sync: $rel not taken (see the message above); trying again next pass" >&2; fi; done\' sync "$url" "$root" "$seen" {} +',
  '  [ "$every" -gt 0 ] || exit 0',
  '  sleep "$every"',
  'done',
].join('\n');

/** rclone wants a config file and a cache folder; the root filesystem is read-only, /tmp is not. */
const LOCAL_ENV: IEnvVar[] = [
  { name: 'HOME', value: '/tmp' },
  { name: 'RCLONE_CONFIG', value: '/tmp/rclone.conf' },
];

const COPIER_SECURITY = { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } };
const POD_SECURITY = { runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000, fsGroup: 1000, seccompProfile: { type: 'RuntimeDefault' as const } };

function copierLabels(permitId: string, phase: WorkspaceDesiredState['phase'], direction: 'in' | 'out'): Record<string, string> {
  return labelsFor({ permitId, component: 'zone-copy', phase, extra: { [LABELS.direction]: direction } });
}

function secretEnv(name: string, secret: string, key: string): IEnvVar {
  return { name, valueFrom: { secretKeyRef: { name: secret, key } } };
}

/** Where the inbound copy reads the zone, and what it needs for that. */
function inboundSource(permitId: string, volume: WorkspaceVolume, zoneCopy: ZoneCopyOptions): { source: string; env: IEnvVar[]; volumes: IVolume[]; mounts: IContainer['volumeMounts'] } {
  const store = zoneCopy.store;
  if (store.kind === 's3') {
    return {
      // rclone's on-the-fly remote: no config file, the backend's flags come from the environment.
      source: `:s3:${store.bucket}/${store.keyPrefix}${permitId}/${volume}`,
      env: [
        { name: 'RCLONE_S3_PROVIDER', value: 'Other' },
        { name: 'RCLONE_S3_ENDPOINT', value: store.endpoint },
        { name: 'RCLONE_S3_REGION', value: store.region },
        { name: 'RCLONE_S3_FORCE_PATH_STYLE', value: String(store.forcePathStyle) },
        secretEnv('RCLONE_S3_ACCESS_KEY_ID', store.credentialsSecret, 'access-key-id'),
        secretEnv('RCLONE_S3_SECRET_ACCESS_KEY', store.credentialsSecret, 'secret-access-key'),
        ...LOCAL_ENV,
      ],
      volumes: [],
      mounts: [],
    };
  }
  return {
    source: '/store',
    env: LOCAL_ENV,
    volumes: [{ name: 'store', nfs: { server: store.nfs.server, path: `${store.nfs.path.replace(/\/+$/, '')}/${permitId}/${volume}`, readOnly: true } }],
    mounts: [{ name: 'store', mountPath: '/store', readOnly: true }],
  };
}

function copyJob(permitId: string, name: string, phase: WorkspaceDesiredState['phase'], direction: 'in' | 'out', container: IContainer, volumes: IVolume[], restartPolicy: 'Never' | 'OnFailure'): KubeObject {
  const job: IJob = {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: objectMeta(permitId, name, 'zone-copy', { phase, labels: { [LABELS.direction]: direction } }),
    spec: {
      backoffLimit: 6,
      template: {
        metadata: { labels: copierLabels(permitId, phase, direction) },
        spec: {
          restartPolicy,
          automountServiceAccountToken: false,
          enableServiceLinks: false,
          securityContext: POD_SECURITY,
          containers: [container],
          volumes: [...volumes, { name: 'tmp', emptyDir: {} }],
        },
      },
    },
  };
  return job as KubeObject;
}

/** The Job that fills the claim `volume` from its zone in the store. */
export function renderZoneInJob(permitId: string, state: WorkspaceDesiredState, volume: WorkspaceVolume, zoneCopy: ZoneCopyOptions): KubeObject {
  const { source, env, volumes, mounts = [] } = inboundSource(permitId, volume, zoneCopy);
  const container: IContainer = {
    name: 'copier',
    image: zoneCopy.image,
    command: ['/bin/sh', '-c', COPY_IN_SCRIPT, 'zone-in', source],
    env,
    resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '1', memory: '512Mi' } },
    securityContext: COPIER_SECURITY,
    volumeMounts: [...mounts, { name: 'data', mountPath: '/data', readOnly: false }, { name: 'tmp', mountPath: '/tmp', readOnly: false }],
  };
  return copyJob(permitId, zoneInJobName(volume), state.phase, 'in', container, [...volumes, { name: 'data', persistentVolumeClaim: { claimName: volumeClaimName(volume), readOnly: false } }], 'Never');
}

/** The Job that takes /outputs (read-only) into the outputs zone through the platform's API. */
export function renderOutputsSyncJob(permitId: string, state: WorkspaceDesiredState, zoneCopy: ZoneCopyOptions): KubeObject {
  const url = `${zoneCopy.platform.url.replace(/\/+$/, '')}/api/permits/${encodeURIComponent(permitId)}/outputs`;
  const container: IContainer = {
    name: 'outputs-sync',
    image: zoneCopy.image,
    command: ['/bin/sh', '-c', OUTPUTS_SYNC_SCRIPT, 'outputs-sync', url, String(zoneCopy.syncIntervalSeconds)],
    env: [secretEnv('SPE_OUTPUTS_TOKEN', zoneCopy.platform.tokenSecret, 'token')],
    resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
    securityContext: COPIER_SECURITY,
    volumeMounts: [
      { name: 'outputs', mountPath: '/outputs', readOnly: true },
      { name: 'tmp', mountPath: '/tmp', readOnly: false },
    ],
  };
  const job = copyJob(permitId, ZONE_COPY_NAMES.outputsSync, state.phase, 'out', container, [{ name: 'outputs', persistentVolumeClaim: { claimName: volumeClaimName('outputs'), readOnly: true } }], 'OnFailure');
  // A ReadWriteOnce claim is shared by pods of one node only: run beside the workspace that writes it.
  const podSpec = (job as unknown as IJob).spec!.template.spec!;
  podSpec.affinity = {
    podAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: [
        { labelSelector: { matchLabels: { [LABELS.component]: workloadComponent('analysis') } }, topologyKey: 'kubernetes.io/hostname' },
      ],
    },
  };
  return job;
}

function peer(selector: LabelSelector): INetworkPolicyPeer {
  const labels = (map: Record<string, string>) => (Object.keys(map).length > 0 ? { matchLabels: { ...map } } : {});
  return { namespaceSelector: labels(selector.namespaceLabels), podSelector: labels(selector.podLabels) };
}

const CIDR = /^(\d{1,3}(\.\d{1,3}){3}\/\d{1,2}|[0-9a-fA-F:]+\/\d{1,3})$/;

/**
 * An egress rule with no peers allows every destination: a store egress without CIDRs would open the copier pods to
 * the internet on that port, so it is refused, as are malformed CIDRs and ports (the schemas check neither).
 */
function checkStoreEgress(egress: { cidrs: string[]; port: number }): void {
  const bad = egress.cidrs.filter((cidr) => !CIDR.test(cidr));
  if (egress.cidrs.length === 0 || bad.length > 0 || !Number.isInteger(egress.port) || egress.port < 1 || egress.port > 65535) {
    throw new InvalidObjectError(
      `zoneCopy.store.egress must name the store endpoint's addresses as CIDRs and a port 1-65535 (got cidrs ${JSON.stringify(egress.cidrs)}, port ${egress.port}): set the s3 endpoint's CIDRs in the workspace render options`,
    );
  }
}

/** Egress of the copier pods only: DNS, the store endpoint (s3) and the platform API (outputs sync). */
export function renderZoneCopyEgress(permitId: string, zoneCopy: ZoneCopyOptions, options: RenderOptions, needs: { store: boolean; platform: boolean }): KubeObject {
  const egress: INetworkPolicyEgressRule[] = [{ to: [peer(options.dns)], ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }] }];
  if (needs.store && zoneCopy.store.kind === 's3') {
    checkStoreEgress(zoneCopy.store.egress);
    egress.push({ to: zoneCopy.store.egress.cidrs.map((cidr) => ({ ipBlock: { cidr } })), ports: [{ protocol: 'TCP', port: zoneCopy.store.egress.port }] });
  }
  if (needs.platform) egress.push({ to: [peer(zoneCopy.platform)], ports: [{ protocol: 'TCP', port: zoneCopy.platform.port }] });
  const policy: INetworkPolicy = {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: objectMeta(permitId, ZONE_COPY_NAMES.egress, 'network-policy'),
    spec: { podSelector: { matchLabels: { [LABELS.component]: 'zone-copy' } }, policyTypes: ['Egress'], egress },
  };
  return policy as KubeObject;
}

/** The copy Jobs of one active workspace (none without `options.zoneCopy`). */
export function renderZoneCopyJobs(permitId: string, state: WorkspaceDesiredState, options: RenderOptions): KubeObject[] {
  const zoneCopy = options.zoneCopy;
  if (!zoneCopy || state.status !== 'active') return [];
  const jobs: KubeObject[] = [];
  for (const mount of state.mounts) {
    if (mount.readOnly && (INBOUND_ZONES as readonly WorkspaceVolume[]).includes(mount.volume)) jobs.push(renderZoneInJob(permitId, state, mount.volume, zoneCopy));
  }
  const live = state.running && !state.suspended;
  if (state.phase === 'analysis' && live && state.mounts.some((mount) => mount.volume === 'outputs' && !mount.readOnly)) jobs.push(renderOutputsSyncJob(permitId, state, zoneCopy));
  return jobs;
}

/** The one egress policy of the namespace's copier pods, opened only as far as the rendered Jobs need; none without Jobs that need it. */
export function renderZoneCopyPolicy(permitId: string, jobs: readonly KubeObject[], options: RenderOptions): KubeObject[] {
  const zoneCopy = options.zoneCopy;
  if (!zoneCopy) return [];
  const names = new Set(jobs.filter((job) => job.kind === 'Job').map((job) => job.metadata.name));
  const store = zoneCopy.store.kind === 's3' && INBOUND_ZONES.some((zone) => names.has(zoneInJobName(zone)));
  const platform = names.has(ZONE_COPY_NAMES.outputsSync);
  return store || platform ? [renderZoneCopyEgress(permitId, zoneCopy, options, { store, platform })] : [];
}

/**
 * The copy Jobs a workspace could have, whatever its flags (for removal when no longer desired): one per inbound
 * data claim it has, kept after an unmount, and the outputs sync of the analysis workspace.
 */
export function possibleZoneCopyJobs(state: WorkspaceDesiredState): string[] {
  const jobs: string[] = [...new Set([...state.volumes, ...state.mounts.map((mount) => mount.volume)])]
    .filter((volume) => (INBOUND_ZONES as readonly WorkspaceVolume[]).includes(volume))
    .map(zoneInJobName);
  if (state.phase === 'analysis') jobs.push(ZONE_COPY_NAMES.outputsSync);
  return jobs;
}
