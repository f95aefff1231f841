/**
 * `workspace.teardown` (header `phase`): removes the workload, network policies and access of the phase's
 * workspace. Its storage (data claims, workspace disk, snapshots) stays until `workspace.delete-data`. Setup and
 * analysis are one workspace: tearing down either removes it (closure tears down "analysis" even when the permit
 * never got past setup). Nothing provisioned: nothing to do.
 */
import { z } from 'zod';
import { TASK_HEADERS } from '../../../shared/index.js';
import { readHeaders } from '../../runtime/job-input.js';
import type { JobHandler } from '../../runtime/worker-job.js';
import type { WorkspaceContext } from '../reconcile/reconcile-workspace.js';
import { teardown } from '../state/state-changes.js';
import { runWorkspaceChange } from './run-workspace-change.js';
import { PhaseHeader } from './workspace-job-input.js';

const Headers = z.object({ [TASK_HEADERS.phase]: PhaseHeader });

export function createTeardownHandler(ctx: WorkspaceContext): JobHandler {
  return async (job, logger) => {
    const { phase } = readHeaders(job, Headers);
    return runWorkspaceChange(ctx, job, logger, { phase, change: (states) => teardown(states, phase) });
  };
}
