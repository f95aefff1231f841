/** The Job that copies an approved output request's files from /outputs (read-only) into the release area. */
import type { IJob } from 'kubernetes-models/batch/v1';
import type { KubeObject } from '../drivers/workspace-driver.js';
import type { ReleaseRecord } from '../state/workspace-state.js';
import { ANNOTATIONS, OBJECT_NAMES, labelsFor, shortHash, volumeClaimName } from './names.js';
import type { RenderOptions } from './render-options.js';
import { objectMeta } from './render-storage.js';

/** Positional arguments only: file names never reach the shell as code. `$1` is the target folder. */
const COPY_SCRIPT = 'set -eu; target="/release/$1"; shift; for f in "$@"; do mkdir -p "$target/$(dirname "$f")"; cp -p "/outputs/$f" "$target/$f"; done';

/** A folder name for the request: the id when it is plain, else a hash of it. */
export function releaseFolder(egressRequestId: string): string {
  return /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/.test(egressRequestId) ? egressRequestId : shortHash(egressRequestId, 16);
}

export function renderReleaseJob(permitId: string, release: ReleaseRecord, options: RenderOptions): KubeObject {
  const job: IJob = {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: objectMeta(permitId, release.job, 'release', { phase: 'analysis', annotations: { [ANNOTATIONS.egressRequestId]: release.egressRequestId } }),
    spec: {
      backoffLimit: 3,
      template: {
        metadata: { labels: labelsFor({ permitId, component: 'release', phase: 'analysis' }) },
        spec: {
          restartPolicy: 'Never',
          automountServiceAccountToken: false,
          enableServiceLinks: false,
          securityContext: { runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000, fsGroup: 1000, seccompProfile: { type: 'RuntimeDefault' } },
          containers: [
            {
              name: 'copier',
              image: options.images.copier,
              command: ['/bin/sh', '-c', COPY_SCRIPT, 'release-copy', releaseFolder(release.egressRequestId), ...release.files],
              resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
              securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
              volumeMounts: [
                { name: 'outputs', mountPath: '/outputs', readOnly: true },
                { name: 'release', mountPath: '/release', readOnly: false },
              ],
            },
          ],
          volumes: [
            { name: 'outputs', persistentVolumeClaim: { claimName: volumeClaimName('outputs'), readOnly: true } },
            { name: 'release', persistentVolumeClaim: { claimName: OBJECT_NAMES.releaseVolume, readOnly: false } },
          ],
        },
      },
    },
  };
  return job as KubeObject;
}
