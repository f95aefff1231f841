/**
 * Process tests that check the workspace objects serve every workspace task type with the REAL handlers, the
 * `manifests` driver writing to `dir` and the workspace store on `db` (every other task type stays a fake).
 */
import type { Database } from '../../../db/index.js';
import { createJobRunner } from '../../../job-workers/runtime/run-job.js';
import type { ActivatedJob as RuntimeJob } from '../../../job-workers/runtime/worker-job.js';
import { silentLogger } from '../../../job-workers/testing/make-worker-job.js';
import { createKnexWorkspaceStore, createManifestsDriver, createWorkspaceHandlers, type WorkspaceTaskType } from '../../../job-workers/workspace/index.js';
import type { ProcessTest } from './process-harness.js';

export function serveRealWorkspaceHandlers(t: ProcessTest, db: Database, dir: string): void {
  const handlers = createWorkspaceHandlers({ driver: createManifestsDriver({ dir, logger: silentLogger }), store: createKnexWorkspaceStore(db.knex) });
  for (const [type, handler] of Object.entries(handlers)) {
    const run = createJobRunner(handler, { logger: silentLogger });
    t.handle(type as WorkspaceTaskType, (job) => run(job as unknown as RuntimeJob));
  }
}
