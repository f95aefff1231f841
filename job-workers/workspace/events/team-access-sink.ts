/**
 * Keeps the research workspace's access list in step with the research team between workspace tasks: an outbox
 * sink that, for every `permit.members.changed` event (written in the transaction of the team change), brings the
 * access list of the permit's workspaces up to the research team as it is now — the same change as
 * `workspace.sync-access`, under the same per-permit lock, audited as `workspace.sync-access` by `team-change`.
 *
 * A permit without an active setup or analysis workspace changes nothing. When the cluster is briefly unreachable the sink rejects, so the
 * outbox relay keeps the event and tries again with back-off; any other failure (a workspace rule, a refused
 * object) is logged and the event let go, because retrying would not help, and the next workspace task renders
 * the current team anyway (run-workspace-change.ts).
 */
import type { Logger } from 'pino';
import { EVENTS, TASK_TYPES } from '../../../shared/index.js';
import { TransientError } from '../../runtime/job-errors.js';
import { forPermit, loadWorkspaces, reconcileWorkspace, type WorkspaceContext } from '../reconcile/reconcile-workspace.js';
import { activeResearchPhase, syncAccess } from '../state/state-changes.js';

/** The part of an outbox event the sink reads (structurally the relay's `OutboxEvent`). */
export interface TeamChangeEvent {
  id: string;
  name: string;
  permitId: string | null;
}

export const TEAM_CHANGE_ACTOR = 'team-change';

export function createTeamAccessSink(ctx: WorkspaceContext, logger: Logger) {
  return {
    name: 'workspace-access',
    async publish(event: TeamChangeEvent): Promise<void> {
      const permitId = event.permitId;
      if (event.name !== EVENTS.membersChanged || !permitId) return;
      await forPermit(ctx, permitId, async () => {
        const label = `${TASK_TYPES.workspaceSyncAccess} after ${event.name} ${event.id}`;
        // No open research workspace: nothing to change now; provisioning and start render the team then.
        if (!activeResearchPhase((await loadWorkspaces(ctx.store, permitId, label)).states)) return;
        const team = await ctx.store.researchTeam(permitId);
        const origin = { actor: TEAM_CHANGE_ACTOR, action: TASK_TYPES.workspaceSyncAccess, key: `${TASK_TYPES.workspaceSyncAccess}/${permitId}/event-${event.id}` };
        try {
          await reconcileWorkspace(ctx, { origin, permitId, label, change: (states) => syncAccess(states, team) }, logger);
        } catch (error) {
          if (error instanceof TransientError) throw error;
          logger.error({ err: error, permitId, event: event.id }, 'could not bring the workspace access list up to the research team; the next workspace task will');
        }
      });
    },
  };
}

export type TeamAccessSink = ReturnType<typeof createTeamAccessSink>;
