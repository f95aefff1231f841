/**
 * The shared body of the state-changing handlers: lock the permit, reconcile with the task's change, build variables.
 * Every change also brings the research workspaces' access lists up to the permit's research team as it is now in
 * the Permit Manager, so the team is on the list from provisioning on, whichever task renders the workspace.
 */
import type { Logger } from 'pino';
import type { WorkspacePhase } from '../../../shared/index.js';
import { jobLabel } from '../../runtime/job-input.js';
import type { WorkerJob } from '../../runtime/worker-job.js';
import { forPermit, jobOrigin, reconcileWorkspace, type ReconcileResult, type WorkspaceContext } from '../reconcile/reconcile-workspace.js';
import { activeResearchPhase, syncAccess, type WorkspaceStates } from '../state/state-changes.js';
import { readPermitId, workspaceVariables } from './workspace-job-input.js';

export interface WorkspaceChange {
  /** The workspace the task is about, when known before the change. */
  phase?: WorkspacePhase;
  change: (states: WorkspaceStates, permitId: string) => WorkspaceStates;
  /** Extra variables from the result. */
  variables?: (result: ReconcileResult, permitId: string) => Record<string, unknown>;
}

export async function runWorkspaceChange(ctx: WorkspaceContext, job: WorkerJob, logger: Logger, spec: WorkspaceChange) {
  const permitId = readPermitId(job);
  return forPermit(ctx, permitId, async () => {
    const team = await ctx.store.researchTeam(permitId);
    const result = await reconcileWorkspace(
      ctx,
      { origin: jobOrigin(job, permitId), permitId, phase: spec.phase, label: jobLabel(job), change: (states) => syncAccess(spec.change(states, permitId), team) },
      logger,
    );
    const phase = spec.phase ?? activeResearchPhase(result.after) ?? activeResearchPhase(result.before);
    const state = phase ? result.after[phase] : undefined;
    return {
      variables: {
        ...workspaceVariables(permitId, result, ctx.driver.name, state),
        ...spec.variables?.(result, permitId),
      },
    };
  });
}
