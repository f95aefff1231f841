/**
 * Stand-ins for the workspace and notification workers until they land (issues 5 and 6). A placeholder logs a
 * warning and completes the job without doing or recording anything, so processes run end to end meanwhile.
 * Delete this folder when the last real handler replaces it in `registry.ts`.
 */
import type { JobHandler } from '../runtime/worker-job.js';

export const PLACEHOLDER_WARNING = 'handled by the placeholder until the workspace/notification workers land (issues 5 and 6)';

export function createPlaceholderHandler(): JobHandler {
  return async (job, logger) => {
    logger.warn({ headers: job.headers }, `${job.type} ${PLACEHOLDER_WARNING}`);
  };
}
