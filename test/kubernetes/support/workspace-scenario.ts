/**
 * K2's workspace handlers (`createWorkspaceHandlers`) on the real kubernetes driver and an in-memory workspace
 * store: the integration tests send exactly what a handler would send to a cluster, job by job, with the task
 * headers the diagrams set.
 */
import type { WorkerJob } from '../../../job-workers/runtime/worker-job.js';
import { makeWorkerJob, silentLogger } from '../../../job-workers/testing/make-worker-job.js';
import type { WorkspaceDriver } from '../../../job-workers/workspace/drivers/workspace-driver.js';
import { createWorkspaceHandlers, type WorkspaceTaskType } from '../../../job-workers/workspace/index.js';
import { createFakeWorkspaceStore, type FakeWorkspaceStore } from '../../../job-workers/workspace/store/fake-workspace-store.js';

export const NOW = new Date('2030-01-01T00:00:00.000Z');

export interface Scenario {
  store: FakeWorkspaceStore;
  /** A job of `type` for the permit (a new element instance each call). */
  job(type: WorkspaceTaskType, headers?: Record<string, string>, variables?: Record<string, unknown>): WorkerJob;
  /** Runs the job's handler; resolves to the variables it completes the job with. */
  run(job: WorkerJob): Promise<Record<string, unknown>>;
}

export function createScenario(driver: WorkspaceDriver, permitId: string, runtime: 'pod' | 'kubevirt' = 'pod'): Scenario {
  const store = createFakeWorkspaceStore();
  const handlers = createWorkspaceHandlers({ driver, store, render: { runtime }, clock: () => NOW });
  return {
    store,
    job: (type, headers = {}, variables = {}) =>
      makeWorkerJob({ type, bpmnProcessId: 'spe-environment-setup', headers, variables: { permitId, ...variables } }),
    async run(job) {
      const result = await handlers[job.type as WorkspaceTaskType](job, silentLogger);
      return (result?.variables ?? {}) as Record<string, unknown>;
    },
  };
}
