/**
 * `workspace.mount-data` (headers `volume`, `readOnly`): mounts a data volume into the research workspace (or the
 * workspace of header `phase`). `readOnly=true` sets `readOnly` on both the volume mount and the claim. The rules
 * (state-changes.ts) refuse data in the setup workspace, `/raw` or writable prepared data in analysis.
 */
import { z } from 'zod';
import { TASK_HEADERS, WORKSPACE_VOLUMES } from '../../../shared/index.js';
import { booleanHeader, optionalHeader, readHeaders } from '../../runtime/job-input.js';
import type { JobHandler } from '../../runtime/worker-job.js';
import type { WorkspaceContext } from '../reconcile/reconcile-workspace.js';
import { mountData, targetState } from '../state/state-changes.js';
import { runWorkspaceChange } from './run-workspace-change.js';
import { readOptionalPhase } from './workspace-job-input.js';

const Headers = z.object({ [TASK_HEADERS.volume]: z.enum(WORKSPACE_VOLUMES), [TASK_HEADERS.readOnly]: optionalHeader(booleanHeader) });

export function createMountDataHandler(ctx: WorkspaceContext): JobHandler {
  return async (job, logger) => {
    const { volume, readOnly } = readHeaders(job, Headers);
    const phase = readOptionalPhase(job);
    return runWorkspaceChange(ctx, job, logger, {
      phase,
      change: (states, permitId) => mountData(states, targetState(states, permitId, phase), volume, readOnly ?? false, permitId),
    });
  };
}
