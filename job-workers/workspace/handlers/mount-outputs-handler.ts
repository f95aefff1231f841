/** `workspace.mount-outputs`: mounts the writable `/outputs` volume into the analysis workspace (never into setup). */
import type { JobHandler } from '../../runtime/worker-job.js';
import type { WorkspaceContext } from '../reconcile/reconcile-workspace.js';
import { mountData, targetState } from '../state/state-changes.js';
import { runWorkspaceChange } from './run-workspace-change.js';
import { readOptionalPhase } from './workspace-job-input.js';

export function createMountOutputsHandler(ctx: WorkspaceContext): JobHandler {
  return async (job, logger) => {
    const phase = readOptionalPhase(job);
    return runWorkspaceChange(ctx, job, logger, {
      phase,
      change: (states, permitId) => mountData(states, targetState(states, permitId, phase), 'outputs', false, permitId),
    });
  };
}
