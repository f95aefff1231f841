/**
 * `workspace.delete-data`: deletes everything of the permit's workspaces — data claims (raw, prepared, outputs),
 * the workspace disk, the release area, every snapshot — and finally the namespace, and every file the permit has
 * in the airlock store (every zone, issue 16), then records the proof of
 * deletion (`DeletionCertificate`: the deleted objects, what was kept and why, the time, sealed with a SHA-256)
 * on every workspace row and as a tamper-evident audit entry, and returns it as variable `deletionCertificate`.
 * A second delivery returns the certificate already recorded.
 */
import type { WorkspaceVolume } from '../../../shared/index.js';
import { jobLabel } from '../../runtime/job-input.js';
import { jobIdempotencyKey, processActor, type JobHandler } from '../../runtime/worker-job.js';
import { describeRef } from '../drivers/workspace-driver.js';
import { namespaceName } from '../render/names.js';
import { sealDeletionCertificate, type DeletionCertificate } from '../reconcile/deletion-certificate.js';
import { forPermit, jobOrigin, loadWorkspaces, reconcileWorkspace, type WorkspaceContext } from '../reconcile/reconcile-workspace.js';
import { deleteData, type WorkspaceStates } from '../state/state-changes.js';
import { readPermitId, WORKSPACE_VARIABLES, workspaceVariables } from './workspace-job-input.js';

function alreadyCertified(states: WorkspaceStates, certificates: (DeletionCertificate | undefined)[]): DeletionCertificate | undefined {
  const all = Object.values(states);
  if (all.length === 0 || all.some((state) => state?.status !== 'deleted')) return undefined;
  return certificates.find((certificate) => certificate !== undefined);
}

function retained(states: WorkspaceStates, namespace: string, archiveClass: string): DeletionCertificate['retained'] {
  return Object.values(states)
    .flatMap((state) => state?.snapshots ?? [])
    .filter((snapshot) => snapshot.purpose === 'archive')
    .map((snapshot) => ({
      ref: `snapshot.storage.k8s.io/v1/VolumeSnapshotContent of ${namespace}/${snapshot.name}`,
      reason: `archive of /outputs kept by snapshot class ${archiveClass} (deletionPolicy Retain) for the retention period`,
      ...(snapshot.retainUntil ? { retainUntil: snapshot.retainUntil } : {}),
    }));
}

export function createDeleteDataHandler(ctx: WorkspaceContext): JobHandler {
  return async (job, logger) => {
    const permitId = readPermitId(job);
    const label = jobLabel(job);
    return forPermit(ctx, permitId, async () => {
      const { states, records } = await loadWorkspaces(ctx.store, permitId, label);
      const existing = alreadyCertified(states, records.map((record) => record.observed?.deletionCertificate));
      if (existing) {
        logger.info({ hash: existing.hash }, 'data already deleted; returning the recorded proof of deletion');
        return { variables: { [WORKSPACE_VARIABLES.deletionCertificate]: existing } };
      }
      const result = await reconcileWorkspace(ctx, { origin: jobOrigin(job, permitId), permitId, label, change: deleteData }, logger);
      const airlockFiles = ctx.airlockIngress ? await ctx.airlockIngress.store.removePermit(permitId) : undefined;
      const namespace = namespaceName(permitId);
      const jobKey = jobIdempotencyKey(job, permitId);
      const certificate = sealDeletionCertificate({
        permitId,
        namespace,
        deletedAt: ctx.clock().toISOString(),
        driver: ctx.driver.name,
        job: jobKey,
        deleted: [
          ...result.removed.map((removed) => ({ ref: describeRef(removed), existed: removed.existed })),
          ...(airlockFiles === undefined ? [] : [{ ref: `airlock: ${airlockFiles} file(s) of permit ${permitId} in every zone`, existed: airlockFiles > 0 }]),
        ],
        retained: retained(result.after, namespace, ctx.render.storage.archiveSnapshotClassName),
      });
      await ctx.store.recordDeletion({ permitId, certificate, actor: processActor(job), idempotencyKey: jobKey });
      const volumes = [...new Set(Object.values(result.before).flatMap((state) => state?.volumes ?? []))] satisfies WorkspaceVolume[];
      logger.info({ hash: certificate.hash, deleted: certificate.deleted.length, volumes, airlockFiles }, 'permit data deleted; proof of deletion recorded');
      return { variables: { ...workspaceVariables(permitId, result, ctx.driver.name), [WORKSPACE_VARIABLES.deletionCertificate]: certificate } };
    });
  };
}
