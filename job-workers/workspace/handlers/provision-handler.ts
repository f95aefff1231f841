/**
 * `workspace.provision` (header `phase`: ingress, preprocessing, setup): creates the workspace of the phase — the
 * ingress airlock, the preprocessing workspace, or the setup workspace with proxied internet and no data. Already
 * provisioned: nothing changes. Refused by the API server: BPMN error `WORKSPACE_PROVISIONING_REJECTED`.
 */
import { z } from 'zod';
import { TASK_HEADERS } from '../../../shared/index.js';
import { readHeaders } from '../../runtime/job-input.js';
import type { JobHandler } from '../../runtime/worker-job.js';
import type { WorkspaceContext } from '../reconcile/reconcile-workspace.js';
import { provision } from '../state/state-changes.js';
import { runWorkspaceChange } from './run-workspace-change.js';
import { PhaseHeader } from './workspace-job-input.js';

const Headers = z.object({ [TASK_HEADERS.phase]: PhaseHeader });

export function createProvisionHandler(ctx: WorkspaceContext): JobHandler {
  return async (job, logger) => {
    const { phase } = readHeaders(job, Headers);
    return runWorkspaceChange(ctx, job, logger, { phase, change: (states, permitId) => provision(states, phase, ctx.render.runtime, permitId) });
  };
}
