/** `workspace.resume`: undoes `workspace.suspend`: every active workspace comes back as it was before (running or stopped). */
import type { JobHandler } from '../../runtime/worker-job.js';
import type { WorkspaceContext } from '../reconcile/reconcile-workspace.js';
import { resume } from '../state/state-changes.js';
import { runWorkspaceChange } from './run-workspace-change.js';

export function createResumeHandler(ctx: WorkspaceContext): JobHandler {
  return async (job, logger) => runWorkspaceChange(ctx, job, logger, { change: (states) => resume(states) });
}
