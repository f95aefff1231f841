/**
 * `workspace.suspend`: halts every session of the permit at once — all its active workspaces lose their workloads
 * (Pods deleted, VMs `running: false`), gateway access and internet — until `workspace.resume`. Storage stays.
 */
import type { JobHandler } from '../../runtime/worker-job.js';
import type { WorkspaceContext } from '../reconcile/reconcile-workspace.js';
import { suspend } from '../state/state-changes.js';
import { runWorkspaceChange } from './run-workspace-change.js';

export function createSuspendHandler(ctx: WorkspaceContext): JobHandler {
  return async (job, logger) => runWorkspaceChange(ctx, job, logger, { change: (states) => suspend(states) });
}
