import { describe, expect, it } from 'vitest';
import type { AirlockStore } from '../../../airlock/store/airlock-store.js';
import { createNoScanner } from '../../../airlock/scan/malware-scanner.js';
import { TASK_TYPES } from '../../../shared/index.js';
import { makeWorkerJob, silentLogger } from '../../testing/make-worker-job.js';
import { createWorkspaceWorkers } from '../index.js';
import type { DeletionCertificate } from '../reconcile/deletion-certificate.js';
import { createFakeWorkspaceStore } from '../store/fake-workspace-store.js';
import { createInMemoryDriver } from '../testing/in-memory-driver.js';

/** Only what delete-data calls; the store's own removal is proven by its contract suite (airlock-store.contract.ts). */
function airlockRemoving(files: number) {
  const calls: string[] = [];
  const store = {
    removePermit: (permitId: string) => {
      calls.push(permitId);
      return Promise.resolve(calls.length === 1 ? files : 0);
    },
  } as unknown as AirlockStore;
  return { store, calls };
}

describe('workspace.delete-data and the airlock', () => {
  it("removes the permit's airlock files in every zone and names them in the proof of deletion, once", async () => {
    const airlock = airlockRemoving(3);
    const { handlers } = createWorkspaceWorkers({
      driver: createInMemoryDriver(),
      store: createFakeWorkspaceStore(),
      logger: silentLogger,
      airlockIngress: { store: airlock.store, scanner: createNoScanner() },
    });
    const job = makeWorkerJob({ type: TASK_TYPES.workspaceDeleteData, bpmnProcessId: 'spe-closure', variables: { permitId: 'permit-7' } });
    const first = await handlers[TASK_TYPES.workspaceDeleteData](job, silentLogger);
    const certificate = first?.variables?.deletionCertificate as DeletionCertificate;
    expect(airlock.calls).toEqual(['permit-7']);
    expect(certificate.deleted).toContainEqual({ ref: 'airlock: 3 file(s) of permit permit-7 in every zone', existed: true });
  });

  it('records no airlock entry when the platform runs without an airlock store', async () => {
    const { handlers } = createWorkspaceWorkers({ driver: createInMemoryDriver(), store: createFakeWorkspaceStore(), logger: silentLogger });
    const job = makeWorkerJob({ type: TASK_TYPES.workspaceDeleteData, bpmnProcessId: 'spe-closure', variables: { permitId: 'permit-8' } });
    const result = await handlers[TASK_TYPES.workspaceDeleteData](job, silentLogger);
    const certificate = result?.variables?.deletionCertificate as DeletionCertificate;
    expect(certificate.deleted.some((entry) => entry.ref.startsWith('airlock:'))).toBe(false);
  });
});
