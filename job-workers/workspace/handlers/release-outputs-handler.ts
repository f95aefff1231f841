/**
 * `workspace.release-outputs`: copies the approved files of output request `egressRequestId` (its `files` in the
 * Permit Manager) from `/outputs`, mounted read-only, into the release area, with a Job named after the request
 * (a second delivery finds the same Job). Paths must be relative and stay inside /outputs.
 *
 * With the airlock store (issue 16, `ctx.airlockRelease`), it first releases the files in the store: the reviewed
 * bytes from the outputs zone to released/<request>/, with the Five Safes RO-Crate, the manifest and the check
 * results beside them (airlock/release/release-outputs.ts; idempotent). Files changed or gone since review, or a
 * request that names only supporting files, stop the release with an incident that says so (nothing released).
 */
import { z } from 'zod';
import { PROCESS_VARIABLES } from '../../../shared/index.js';
import { NonRetryableError } from '../../runtime/job-errors.js';
import { jobLabel, readVariables } from '../../runtime/job-input.js';
import type { JobHandler } from '../../runtime/worker-job.js';
import { releaseJobName } from '../render/names.js';
import type { WorkspaceContext } from '../reconcile/reconcile-workspace.js';
import { releaseOutputs } from '../state/state-changes.js';
import { isSafeRelativePath } from '../scan/safe-relative-path.js';
import { runWorkspaceChange } from './run-workspace-change.js';
import { readPermitId, WORKSPACE_VARIABLES } from './workspace-job-input.js';
import { ConflictError, ValidationError } from '../../../shared/errors.js';

const Variables = z.object({ [PROCESS_VARIABLES.egressRequestId]: z.string().min(1, 'must not be empty') });


export function createReleaseOutputsHandler(ctx: WorkspaceContext): JobHandler {
  return async (job, logger) => {
    const { egressRequestId } = readVariables(job, Variables);
    const permitId = readPermitId(job);
    const files = await ctx.store.egressRequestFiles(permitId, egressRequestId);
    if (files === undefined) throw new NonRetryableError(`${jobLabel(job)}: permit ${permitId} has no output request ${egressRequestId}`);
    if (files.length === 0) throw new NonRetryableError(`${jobLabel(job)}: output request ${egressRequestId} lists no files to release`);
    const unsafe = files.filter((file) => !isSafeRelativePath(file));
    if (unsafe.length > 0) throw new NonRetryableError(`${jobLabel(job)}: output request ${egressRequestId} has paths outside /outputs: ${unsafe.map((f) => JSON.stringify(f)).join(', ')}`);
    if (ctx.airlockRelease) {
      try {
        const released = await ctx.airlockRelease.release(permitId, egressRequestId, `system:${job.type}`);
        logger.info({ egressRequestId, files: released.files.length }, 'output request released from the airlock store with its RO-Crate');
      } catch (error) {
        if (error instanceof ConflictError || error instanceof ValidationError) throw new NonRetryableError(`${jobLabel(job)}: ${error.message}`, { cause: error });
        throw error;
      }
    }
    const jobName = releaseJobName(egressRequestId);
    return runWorkspaceChange(ctx, job, logger, {
      phase: 'analysis',
      change: (states) => releaseOutputs(states, egressRequestId, jobName, files, permitId),
      variables: (result) => {
        const release = result.after.analysis?.releases.find((r) => r.egressRequestId === egressRequestId);
        return { [WORKSPACE_VARIABLES.releaseJob]: jobName, [WORKSPACE_VARIABLES.releasedFiles]: release?.files ?? files };
      },
    });
  };
}
