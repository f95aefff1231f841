/** `workspace.unmount` (header `volume`): takes a data volume out of the workspace; the claim and its data stay. */
import { z } from 'zod';
import { TASK_HEADERS, WORKSPACE_VOLUMES } from '../../../shared/index.js';
import { readHeaders } from '../../runtime/job-input.js';
import type { JobHandler } from '../../runtime/worker-job.js';
import type { WorkspaceContext } from '../reconcile/reconcile-workspace.js';
import { targetState, unmount } from '../state/state-changes.js';
import { runWorkspaceChange } from './run-workspace-change.js';
import { readOptionalPhase } from './workspace-job-input.js';

const Headers = z.object({ [TASK_HEADERS.volume]: z.enum(WORKSPACE_VOLUMES) });

export function createUnmountHandler(ctx: WorkspaceContext): JobHandler {
  return async (job, logger) => {
    const { volume } = readHeaders(job, Headers);
    const phase = readOptionalPhase(job);
    return runWorkspaceChange(ctx, job, logger, { phase, change: (states, permitId) => unmount(states, targetState(states, permitId, phase), volume) });
  };
}
