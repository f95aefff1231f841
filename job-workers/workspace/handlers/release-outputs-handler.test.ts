import { describe, expect, it } from 'vitest';
import { ConflictError } from '../../../shared/errors.js';
import { NonRetryableError } from '../../runtime/job-errors.js';
import { makeWorkerJob, silentLogger } from '../../testing/make-worker-job.js';
import type { AirlockRelease } from '../../../airlock/release/release-outputs.js';
import type { StoredRelease } from '../../../airlock/release/release-records.js';
import { createWorkspaceWorkers } from '../index.js';
import { createFakeWorkspaceStore } from '../store/fake-workspace-store.js';
import { createInMemoryDriver } from '../testing/in-memory-driver.js';
import { NOW, toAnalysis, workspaceKit } from '../testing/workspace-test-kit.js';
import { TASK_TYPES } from '../../../shared/index.js';

function releaseKit(release: AirlockRelease) {
  const kit = workspaceKit();
  const store = createFakeWorkspaceStore();
  const driver = createInMemoryDriver();
  const { handlers } = createWorkspaceWorkers({ driver, store, clock: () => NOW, logger: silentLogger, airlockRelease: release });
  return { kit, store, handlers };
}

describe('workspace.release-outputs with the airlock store', () => {
  it('releases the request from the airlock store before the copy Job, once per delivery of the job', async () => {
    const calls: string[][] = [];
    const release: AirlockRelease = {
      async release(permitId, egressRequestId, by) {
        calls.push([permitId, egressRequestId, by]);
        return { files: [{ path: 't.csv' }] } as StoredRelease;
      },
    };
    const { kit, store, handlers } = releaseKit(release);
    const run = (type: string, headers: Record<string, string> = {}, variables: Record<string, unknown> = {}) =>
      handlers[type as keyof typeof handlers](makeWorkerJob({ type, bpmnProcessId: 'spe-environment-setup', headers, variables: { permitId: kit.permitId, ...variables } }), silentLogger);
    await toAnalysis({ ...kit, store, handlers, run: async (job) => ((await handlers[job.type as keyof typeof handlers](job, silentLogger))?.variables ?? {}) as Record<string, unknown> });
    store.egressFiles.set(`${kit.permitId}/r-1`, ['t.csv']);
    const result = await run(TASK_TYPES.workspaceReleaseOutputs, {}, { egressRequestId: 'r-1' });
    expect(calls).toEqual([[kit.permitId, 'r-1', `system:${TASK_TYPES.workspaceReleaseOutputs}`]]);
    expect(result?.variables).toMatchObject({ releasedFiles: ['t.csv'] });
  });

  it('turns files changed since review into an incident that says so, without the copy Job', async () => {
    const release: AirlockRelease = {
      async release() {
        throw new ConflictError('t.csv changed after it was reviewed; nothing was released.');
      },
    };
    const { kit, store, handlers } = releaseKit(release);
    store.egressFiles.set(`${kit.permitId}/r-1`, ['t.csv']);
    const job = makeWorkerJob({ type: TASK_TYPES.workspaceReleaseOutputs, bpmnProcessId: 'spe-egress-review', variables: { permitId: kit.permitId, egressRequestId: 'r-1' } });
    const failure = handlers[TASK_TYPES.workspaceReleaseOutputs](job, silentLogger);
    await expect(failure).rejects.toBeInstanceOf(NonRetryableError);
    await expect(failure).rejects.toThrow(/changed after it was reviewed/);
  });
});
