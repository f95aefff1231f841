/** `workspace.start`: starts the research workspace (Pod created, or VM `running: true`) and opens researcher access. */
import type { JobHandler } from '../../runtime/worker-job.js';
import type { WorkspaceContext } from '../reconcile/reconcile-workspace.js';
import { start, targetState } from '../state/state-changes.js';
import { runWorkspaceChange } from './run-workspace-change.js';
import { readOptionalPhase } from './workspace-job-input.js';

export function createStartHandler(ctx: WorkspaceContext): JobHandler {
  return async (job, logger) => {
    const phase = readOptionalPhase(job);
    return runWorkspaceChange(ctx, job, logger, { phase, change: (states, permitId) => start(states, targetState(states, permitId, phase)) });
  };
}
