/**
 * `workspace.archive`: snapshots `/outputs` into the archive (`VolumeSnapshot` `outputs-archive` of the archive
 * snapshot class, whose `deletionPolicy: Retain` keeps the content after `workspace.delete-data`), annotated with
 * the date until which it must be kept (a year by default). No analysis outputs: nothing to archive.
 * Access logs are kept by the access gateway, not by this worker.
 */
import type { JobHandler } from '../../runtime/worker-job.js';
import { OBJECT_NAMES } from '../render/names.js';
import type { WorkspaceContext } from '../reconcile/reconcile-workspace.js';
import { archive } from '../state/state-changes.js';
import { runWorkspaceChange } from './run-workspace-change.js';
import { WORKSPACE_VARIABLES } from './workspace-job-input.js';

export function createArchiveHandler(ctx: WorkspaceContext): JobHandler {
  return async (job, logger) =>
    runWorkspaceChange(ctx, job, logger, {
      change: (states) => archive(states, OBJECT_NAMES.archiveSnapshot, ctx.clock(), ctx.render.archiveRetentionDays),
      variables: (result) => {
        const snapshot = result.after.analysis?.snapshots.find((s) => s.purpose === 'archive');
        if (!snapshot) logger.info('no analysis outputs to archive');
        return { [WORKSPACE_VARIABLES.archiveSnapshot]: snapshot ? { name: snapshot.name, retainUntil: snapshot.retainUntil ?? null } : null };
      },
    });
}
