/**
 * `workspace.freeze`: stops the research workspace (Pod deleted, or VM `running: false`), closes researcher
 * access and snapshots its disk (`VolumeSnapshot` of `workspace-disk`) for the review. The snapshot is named after
 * the job, so a second delivery finds it instead of taking another.
 */
import type { JobHandler } from '../../runtime/worker-job.js';
import { jobIdempotencyKey } from '../../runtime/worker-job.js';
import { reviewSnapshotName } from '../render/names.js';
import type { WorkspaceContext } from '../reconcile/reconcile-workspace.js';
import { freeze, targetState } from '../state/state-changes.js';
import { runWorkspaceChange } from './run-workspace-change.js';
import { readOptionalPhase, readPermitId, WORKSPACE_VARIABLES } from './workspace-job-input.js';

export function createFreezeHandler(ctx: WorkspaceContext): JobHandler {
  return async (job, logger) => {
    const phase = readOptionalPhase(job);
    const snapshot = reviewSnapshotName(jobIdempotencyKey(job, readPermitId(job)));
    return runWorkspaceChange(ctx, job, logger, {
      phase,
      change: (states, permitId) => freeze(states, targetState(states, permitId, phase), snapshot, ctx.clock(), permitId),
      variables: () => ({ [WORKSPACE_VARIABLES.snapshot]: snapshot }),
    });
  };
}
