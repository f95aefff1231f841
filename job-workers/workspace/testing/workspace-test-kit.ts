/** Test helpers: handlers and the team access sink on a fake store and an in-memory driver, and jobs for a permit. */
import { TASK_TYPES } from '../../../shared/index.js';
import type { WorkerJob } from '../../runtime/worker-job.js';
import { makeWorkerJob, silentLogger } from '../../testing/make-worker-job.js';
import { createWorkspaceWorkers, type WorkspaceTaskType } from '../index.js';
import { createFakeWorkspaceStore } from '../store/fake-workspace-store.js';
import { createInMemoryDriver } from './in-memory-driver.js';

export const NOW = new Date('2026-03-01T10:00:00.000Z');

export function workspaceKit(permitId = 'permit-1') {
  const driver = createInMemoryDriver();
  const store = createFakeWorkspaceStore();
  const { handlers, teamAccessSink } = createWorkspaceWorkers({ driver, store, clock: () => NOW, logger: silentLogger });
  const job = (type: WorkspaceTaskType, headers: Record<string, string> = {}, variables: Record<string, unknown> = {}): WorkerJob =>
    makeWorkerJob({ type, bpmnProcessId: 'spe-environment-setup', headers, variables: { permitId, ...variables } });
  const run = async (theJob: WorkerJob) => {
    const result = await handlers[theJob.type as WorkspaceTaskType](theJob, silentLogger);
    return (result?.variables ?? {}) as Record<string, unknown>;
  };
  const desired = (phase: string) => store.rows.get(`${permitId}/${phase}`)?.desired as Record<string, unknown> | undefined;
  return { permitId, driver, store, handlers, teamAccessSink, job, run, desired, types: TASK_TYPES };
}

/** Runs BPMN 3's steps up to the analysis workspace. */
export async function toAnalysis(kit: ReturnType<typeof workspaceKit>) {
  const { job, run, types } = kit;
  await run(job(types.workspaceProvision, { phase: 'setup' }));
  await run(job(types.workspaceDisableNetwork, { permanent: 'false' }));
  await run(job(types.workspaceFreeze));
  await run(job(types.workspaceDisableNetwork, { permanent: 'true' }));
  await run(job(types.workspaceMountData, { volume: 'prepared', readOnly: 'true' }));
  await run(job(types.workspaceMountOutputs));
  return run(job(types.workspaceStart));
}
