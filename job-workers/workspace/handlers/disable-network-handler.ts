/**
 * `workspace.disable-network` (header `permanent`, optional): internet off (the proxy egress policy goes; the
 * default-deny policy allows nothing). `permanent=true` on the setup workspace turns it into the analysis
 * workspace: internet locked off for good, the workspace stopped until data is mounted and it is started.
 */
import { z } from 'zod';
import { TASK_HEADERS } from '../../../shared/index.js';
import { booleanHeader, optionalHeader, readHeaders } from '../../runtime/job-input.js';
import type { JobHandler } from '../../runtime/worker-job.js';
import type { WorkspaceContext } from '../reconcile/reconcile-workspace.js';
import { disableNetwork, targetState } from '../state/state-changes.js';
import { runWorkspaceChange } from './run-workspace-change.js';
import { readOptionalPhase } from './workspace-job-input.js';

const Headers = z.object({ [TASK_HEADERS.permanent]: optionalHeader(booleanHeader) });

export function createDisableNetworkHandler(ctx: WorkspaceContext): JobHandler {
  return async (job, logger) => {
    const permanent = readHeaders(job, Headers).permanent ?? false;
    const phase = readOptionalPhase(job);
    return runWorkspaceChange(ctx, job, logger, {
      change: (states, permitId) => disableNetwork(states, targetState(states, permitId, phase), permanent),
    });
  };
}
