/**
 * `workspace.sync-access`: makes the research workspace's access list (ConfigMap `workspace-access`, read by the
 * access gateway) match the permit's research team in the Permit Manager now. Members removed by an amendment lose
 * access at once; the list stays empty while the workspace is stopped, frozen or suspended.
 */
import type { JobHandler } from '../../runtime/worker-job.js';
import type { WorkspaceContext } from '../reconcile/reconcile-workspace.js';
import { syncAccess } from '../state/state-changes.js';
import { runWorkspaceChange } from './run-workspace-change.js';
import { readPermitId, WORKSPACE_VARIABLES } from './workspace-job-input.js';

export function createSyncAccessHandler(ctx: WorkspaceContext): JobHandler {
  return async (job, logger) => {
    const members = await ctx.store.researchTeam(readPermitId(job));
    return runWorkspaceChange(ctx, job, logger, {
      change: (states) => syncAccess(states, members),
      variables: () => ({ [WORKSPACE_VARIABLES.accessMembers]: [...new Set(members)].sort() }),
    });
  };
}
