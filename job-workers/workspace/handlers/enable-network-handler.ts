/**
 * `workspace.enable-network` (header `mode`: `proxied`): internet again through the allow-listed proxy only (the
 * egress policy to the proxy and DNS). Only the setup workspace; analysis never gets internet back (incident).
 */
import { z } from 'zod';
import { TASK_HEADERS } from '../../../shared/index.js';
import { readHeaders } from '../../runtime/job-input.js';
import type { JobHandler } from '../../runtime/worker-job.js';
import type { WorkspaceContext } from '../reconcile/reconcile-workspace.js';
import { enableNetwork, targetState } from '../state/state-changes.js';
import { NETWORK_MODES } from '../state/workspace-state.js';
import { runWorkspaceChange } from './run-workspace-change.js';
import { readOptionalPhase } from './workspace-job-input.js';

const Headers = z.object({ [TASK_HEADERS.mode]: z.enum(NETWORK_MODES.filter((mode) => mode !== 'none') as ['proxied']) });

export function createEnableNetworkHandler(ctx: WorkspaceContext): JobHandler {
  return async (job, logger) => {
    readHeaders(job, Headers);
    const phase = readOptionalPhase(job);
    return runWorkspaceChange(ctx, job, logger, {
      phase,
      change: (states, permitId) => enableNetwork(states, targetState(states, permitId, phase), permitId),
    });
  };
}
