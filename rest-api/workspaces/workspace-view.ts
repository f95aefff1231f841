/**
 * One `workspaces` row as the API shows it: the desired state read with the workspace workers' own
 * `WorkspaceDesiredStateSchema` (the same defaults, so a row written by an older worker reads the same way here as
 * there), shaped field by field into `PermitWorkspace`, plus the summary of what the worker last observed.
 */
import { WORKSPACE_PHASES } from '../../shared/index.js';
import { WorkspaceDesiredStateSchema } from '../../shared/workspace-state.js';
import { summariseObserved } from './observed-summary.js';
import type { PermitWorkspace } from './workspaces-schemas.js';
import type { StoredWorkspace } from './workspaces-store.js';

/**
 * The view of one stored workspace. A desired state the workers' schema cannot read is a broken row, not a
 * caller's mistake: it throws (500, logged with the reason), as the workers raise an incident for it.
 */
export function toPermitWorkspace(permitId: string, stored: StoredWorkspace): PermitWorkspace {
  const parsed = WorkspaceDesiredStateSchema.safeParse(stored.desired);
  if (!parsed.success) {
    throw new Error(`The stored desired state of the ${stored.phase} workspace of permit ${permitId} is unreadable: ${parsed.error.message}`);
  }
  const state = parsed.data;
  return {
    phase: state.phase,
    status: state.status,
    runtime: state.runtime,
    running: state.running,
    suspended: state.suspended,
    network: state.network,
    networkLocked: state.networkLocked,
    mounts: state.mounts.map(({ volume, readOnly }) => ({ volume, readOnly })),
    volumes: [...state.volumes],
    snapshots: state.snapshots.map(({ name, purpose, takenAt, retainUntil }) => ({ name, purpose, takenAt, ...(retainUntil === undefined ? {} : { retainUntil }) })),
    releases: state.releases.map(({ egressRequestId, job, files }) => ({ egressRequestId, job, files: [...files] })),
    members: [...state.members],
    observed: summariseObserved(stored.observed),
    updatedAt: stored.updatedAt,
  };
}

/** Lifecycle order: ingress, preprocessing, setup, analysis (`WORKSPACE_PHASES`). */
export function byLifecycleOrder(a: Pick<PermitWorkspace, 'phase'>, b: Pick<PermitWorkspace, 'phase'>): number {
  return WORKSPACE_PHASES.indexOf(a.phase) - WORKSPACE_PHASES.indexOf(b.phase);
}
