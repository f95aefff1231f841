/**
 * The outputs-sync Job's token with the workspace handlers (in-memory driver, fake store, tokens in memory): issued
 * into the Secret the Job reads when the analysis workspace starts with zone copies, kept by a repeated job,
 * replaced when revoked, revoked with the Secret removed at suspend and at deletion; never among the rendered
 * objects or the job's variables. The real token store is tested over HTTP in
 * rest-api/egress/egress-files-outputs-token.integration.test.ts.
 */
import { describe, expect, it } from 'vitest';
import type { IJob } from 'kubernetes-models/batch/v1';
import { TASK_TYPES } from '../../../shared/index.js';
import { makeWorkerJob, silentLogger } from '../../testing/make-worker-job.js';
import type { WorkerJob } from '../../runtime/worker-job.js';
import { createWorkspaceWorkers, type WorkspaceTaskType } from '../index.js';
import type { ZoneCopyOptions } from '../render/render-options.js';
import { createFakeWorkspaceStore } from '../store/fake-workspace-store.js';
import { createInMemoryDriver } from '../testing/in-memory-driver.js';
import { toAnalysis } from '../testing/workspace-test-kit.js';
import type { OutputsTokenIssuer } from './outputs-token-secret.js';

const PERMIT = 'permit-9';
const ZONE_COPY: ZoneCopyOptions = {
  image: 'registry.example.org/spe/zone-copier:1.0.0',
  store: { kind: 'filesystem', nfs: { server: 'nfs.example.org', path: '/srv/spe-airlock' } },
  platform: { url: 'http://permit-manager.spe-system.svc:3000', namespaceLabels: {}, podLabels: { app: 'spe' }, port: 3000, tokenSecret: 'outputs-sync-token' },
  syncIntervalSeconds: 60,
};

function memoryTokens() {
  const tokens: { permitId: string; token: string; revoked: boolean; issuedBy: string }[] = [];
  const issuer: OutputsTokenIssuer = {
    issue: ({ permitId, issuedBy }) => {
      for (const t of tokens) if (t.permitId === permitId) t.revoked = true;
      const token = `spe-outputs.00000000-0000-4000-8000-00000000000${tokens.length}.${'s'.repeat(43)}`;
      tokens.push({ permitId, token, revoked: false, issuedBy });
      return Promise.resolve({ tokenId: String(tokens.length), token, expiresAt: '2027-01-01T00:00:00.000Z' });
    },
    isCurrent: (permitId, token) => Promise.resolve(tokens.some((t) => t.permitId === permitId && t.token === token && !t.revoked)),
    revokeAll: ({ permitId }) => {
      const live = tokens.filter((t) => t.permitId === permitId && !t.revoked);
      for (const t of live) t.revoked = true;
      return Promise.resolve(live.length);
    },
  };
  return { issuer, tokens, live: () => tokens.filter((t) => !t.revoked).map((t) => t.token) };
}

function kit() {
  const driver = createInMemoryDriver();
  const store = createFakeWorkspaceStore();
  const tokens = memoryTokens();
  const { handlers } = createWorkspaceWorkers({ driver, store, logger: silentLogger, render: { zoneCopy: ZONE_COPY }, outputsTokens: tokens.issuer });
  const job = (type: WorkspaceTaskType, headers: Record<string, string> = {}): WorkerJob => makeWorkerJob({ type, bpmnProcessId: 'spe-environment-setup', headers, variables: { permitId: PERMIT } });
  const run = async (theJob: WorkerJob) => ((await handlers[theJob.type as WorkspaceTaskType](theJob, silentLogger))?.variables ?? {}) as Record<string, unknown>;
  const secret = () => [...driver.objects.values()].find((o) => o.kind === 'Secret' && o.metadata.name === 'outputs-sync-token');
  const secretToken = () => {
    const data = secret()?.data as Record<string, string> | undefined;
    return data?.token ? Buffer.from(data.token, 'base64').toString() : undefined;
  };
  // toAnalysis uses only job, run and types.
  const steps = { job, run, types: TASK_TYPES } as unknown as Parameters<typeof toAnalysis>[0];
  return { driver, tokens, job, run, secret, secretToken, steps };
}

describe("the outputs-sync Job's token", () => {
  it('is issued into the Secret the Job reads when the analysis workspace runs, and kept by a repeated job', async () => {
    const k = kit();
    const variables = await toAnalysis(k.steps);
    const sync = [...k.driver.objects.values()].find((o) => o.kind === 'Job' && o.metadata.name === 'outputs-sync') as unknown as IJob;
    expect(sync.spec?.template.spec?.containers[0]?.env).toEqual([{ name: 'SPE_OUTPUTS_TOKEN', valueFrom: { secretKeyRef: { name: 'outputs-sync-token', key: 'token' } } }]);
    expect(k.secret()?.metadata).toMatchObject({ name: 'outputs-sync-token', namespace: `spe-permit-${PERMIT}` });
    expect(k.tokens.live()).toEqual([k.secretToken()]);
    expect(k.tokens.tokens[0]?.issuedBy).toMatch(/^process:/);
    // The credential is in the Secret only: not in the job's variables (workspace objects, observations).
    expect(JSON.stringify(variables)).not.toContain(k.secretToken());

    await k.run(k.job(TASK_TYPES.workspaceStart));
    expect(k.tokens.tokens).toHaveLength(1);
    expect(k.tokens.live()).toEqual([k.secretToken()]);
  });

  it('is replaced when revoked or missing from the Secret, and revoked with the Secret removed when the sync stops and at deletion', async () => {
    const k = kit();
    await toAnalysis(k.steps);
    const first = k.secretToken();
    await k.tokens.issuer.revokeAll({ permitId: PERMIT, reason: 'test', revokedBy: 'test' });
    await k.run(k.job(TASK_TYPES.workspaceStart));
    const second = k.secretToken();
    expect(second).not.toBe(first);
    expect(k.tokens.live()).toEqual([second]);

    await k.run(k.job(TASK_TYPES.workspaceSuspend));
    expect(k.secret()).toBeUndefined();
    expect(k.tokens.live()).toEqual([]);
    await k.run(k.job(TASK_TYPES.workspaceResume));
    expect(k.tokens.live()).toEqual([k.secretToken()]);

    await k.run(makeWorkerJob({ type: TASK_TYPES.workspaceDeleteData, bpmnProcessId: 'spe-closure', variables: { permitId: PERMIT } }));
    expect(k.tokens.live()).toEqual([]);
    expect(k.secret()).toBeUndefined();
  });

  it('is not issued without zone copies', async () => {
    const driver = createInMemoryDriver();
    const tokens = memoryTokens();
    const { handlers } = createWorkspaceWorkers({ driver, store: createFakeWorkspaceStore(), logger: silentLogger, outputsTokens: tokens.issuer });
    const job = (type: WorkspaceTaskType, headers: Record<string, string> = {}): WorkerJob => makeWorkerJob({ type, bpmnProcessId: 'spe-environment-setup', headers, variables: { permitId: PERMIT } });
    const run = async (theJob: WorkerJob) => ((await handlers[theJob.type as WorkspaceTaskType](theJob, silentLogger))?.variables ?? {}) as Record<string, unknown>;
    await toAnalysis({ job, run, types: TASK_TYPES } as unknown as Parameters<typeof toAnalysis>[0]);
    expect(tokens.tokens).toEqual([]);
    expect([...driver.objects.values()].some((o) => o.kind === 'Secret')).toBe(false);
  });
});
