/**
 * K2's workspace handlers and team access sink (`createWorkspaceWorkers`) on the real kubernetes driver and an in-memory workspace
 * store: the integration tests send exactly what a handler would send to a cluster, job by job, with the task
 * headers the diagrams set.
 */
import type { WorkerJob } from '../../../job-workers/runtime/worker-job.js';
import { makeWorkerJob, silentLogger } from '../../../job-workers/testing/make-worker-job.js';
import type { WorkspaceDriver } from '../../../job-workers/workspace/drivers/workspace-driver.js';
import { createWorkspaceWorkers, type TeamAccessSink, type WorkspaceTaskType } from '../../../job-workers/workspace/index.js';
import type { DeepPartial, RenderOptions } from '../../../job-workers/workspace/render/render-options.js';
import type { OutputsTokenIssuer } from '../../../job-workers/workspace/reconcile/outputs-token-secret.js';
import { createFakeWorkspaceStore, type FakeWorkspaceStore } from '../../../job-workers/workspace/store/fake-workspace-store.js';

export const NOW = new Date('2030-01-01T00:00:00.000Z');

export interface Scenario {
  store: FakeWorkspaceStore;
  /** The outbox sink that follows team changes (`permit.members.changed`), on the same driver, store and lock. */
  teamAccessSink: TeamAccessSink;
  /** A job of `type` for the permit (a new element instance each call). */
  job(type: WorkspaceTaskType, headers?: Record<string, string>, variables?: Record<string, unknown>): WorkerJob;
  /** Runs the job's handler; resolves to the variables it completes the job with. */
  run(job: WorkerJob): Promise<Record<string, unknown>>;
}

/** `render`: further render options (e.g. `zoneCopy`) laid over the defaults; `outputsTokens`: the outputs-sync token issuer. */
export function createScenario(driver: WorkspaceDriver, permitId: string, runtime: 'pod' | 'kubevirt' = 'pod', render: DeepPartial<RenderOptions> = {}, outputsTokens?: OutputsTokenIssuer): Scenario {
  const store = createFakeWorkspaceStore();
  const { handlers, teamAccessSink } = createWorkspaceWorkers({ driver, store, render: { ...render, runtime }, clock: () => NOW, logger: silentLogger, ...(outputsTokens ? { outputsTokens } : {}) });
  return {
    store,
    teamAccessSink,
    job: (type, headers = {}, variables = {}) =>
      makeWorkerJob({ type, bpmnProcessId: 'spe-environment-setup', headers, variables: { permitId, ...variables } }),
    async run(job) {
      const result = await handlers[job.type as WorkspaceTaskType](job, silentLogger);
      return (result?.variables ?? {}) as Record<string, unknown>;
    },
  };
}
