/**
 * BPMN 3 "Environment Setup & Review" on the embedded engine with the REAL workspace handlers and the `manifests`
 * driver (every other task type stays a fake): after each step the permit's folder holds exactly the objects of
 * the workspace at that point — the setup workspace with proxied internet and no data, then the frozen workspace
 * under review (internet and pod gone, a snapshot of its disk), then the analysis workspace with `/prepared_data`
 * read-only and `/outputs` writable — and the `workspaces` table records desired and observed state. The access
 * list (`workspace-access`) names the research team, and only it, while the workspace is open, and nobody while it
 * is frozen under review.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import type { IPod } from 'kubernetes-models/v1';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { insertPermit } from '../../db/testing/permit-fixtures.js';
import { testDatabaseTargets, type TestDatabaseTarget } from '../../db/testing/test-databases.js';
import { TABLES, type Database } from '../../db/index.js';
import { LABELS, namespaceName } from '../../job-workers/workspace/index.js';
import { MESSAGES, PROCESS_IDS, REVIEW_VARIABLES, TASK_HEADERS, TASK_TYPES } from '../../shared/index.js';
import { startProcessTest, type ProcessTest } from './support/process-harness.js';
import { serveRealWorkspaceHandlers } from './support/real-workspace-handlers.js';

const SETUP = REVIEW_VARIABLES.SETUP;
const SUBMISSION_EVENT = 'Event_SetupSubmitted';
const REVIEW_TASK = 'Task_ReviewSetup';

let t: ProcessTest;
let target: TestDatabaseTarget;
let db: Database;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'spe-workspace-process-'));
  target = testDatabaseTargets({})[0]!;
  db = await target.open();
  t = await startProcessTest();
  serveRealWorkspaceHandlers(t, db, dir);
});

afterAll(async () => {
  await t?.stop();
  await db?.close();
  await target?.dispose();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const filesOf = async (permitId: string) => (await readdir(join(dir, permitId))).sort();
const manifest = async <T>(permitId: string, file: string) => parse(await readFile(join(dir, permitId, file), 'utf8')) as T;

async function egressRules(permitId: string) {
  const files = (await filesOf(permitId)).filter((f) => f.startsWith('networkpolicy-'));
  const policies = await Promise.all(files.map((f) => manifest<INetworkPolicy>(permitId, f)));
  return policies.flatMap((p) => p.spec?.egress ?? []);
}

/** The permit's team: alice on the research team, rita on the HDAB team, dana a data holder. */
async function insertTeam(permitId: string) {
  const member = (userId: string, teamRole: string) => ({ permit_id: permitId, user_id: userId, team_role: teamRole, added_by: 'rita' });
  await db.knex(TABLES.permitMembers).insert([member('alice', 'RESEARCH_TEAM'), member('rita', 'HDAB_TEAM'), member('dana', 'DATA_HOLDER')]);
}

const allowedUsers = async (permitId: string) => {
  const access = await manifest<{ data: Record<string, string> }>(permitId, 'configmap-workspace-access.yaml');
  return JSON.parse(access.data['allowed-users']!) as string[];
};

const SETUP_FILES = (permitId: string) => [
  'configmap-workspace-access.yaml',
  `namespace-${namespaceName(permitId)}.yaml`,
  'networkpolicy-default-deny.yaml',
  'networkpolicy-workspace-access.yaml',
  'networkpolicy-workspace-egress-proxy.yaml',
  'persistentvolumeclaim-workspace-disk.yaml',
  'pod-workspace.yaml',
  'resourcequota-workspace-quota.yaml',
];

describe('3 Environment Setup & Review with the workspace workers and the manifests driver', () => {
  it('holds exactly the objects of each phase after each step, and records them in the workspaces table', async () => {
    const permitId = randomUUID();
    await insertPermit(db.knex, { id: permitId, status: 'APPROVED' });
    await insertTeam(permitId);
    const key = await t.startProcess(PROCESS_IDS.setup, { permitId });

    // Setup: namespace, default-deny, proxy egress, quota, access, the workspace disk and a pod with no data volumes.
    await t.waitForActiveElement(key, SUBMISSION_EVENT);
    expect(await filesOf(permitId)).toEqual(SETUP_FILES(permitId));
    const setupPod = await manifest<IPod>(permitId, 'pod-workspace.yaml');
    expect(setupPod.spec?.volumes?.flatMap((v) => (v.persistentVolumeClaim ? [v.persistentVolumeClaim.claimName] : []))).toEqual(['workspace-disk']);
    expect(setupPod.metadata?.labels?.[LABELS.phase]).toBe('setup');
    const proxy = await manifest<INetworkPolicy>(permitId, 'networkpolicy-workspace-egress-proxy.yaml');
    expect(proxy.spec?.egress?.flatMap((rule) => rule.ports?.map((p) => `${p.protocol}/${p.port}`) ?? [])).toEqual(['TCP/3128', 'UDP/53', 'TCP/53']);
    expect(await allowedUsers(permitId)).toEqual(['alice']);

    // Submitted for review: the internet and the pod are gone, the disk is snapshotted.
    await t.correlate(MESSAGES.setupSubmitted, permitId, { setupSubmittedBy: 'alice', setupSubmissionNote: 'R packages installed' });
    const review = await t.waitForUserTask({ processInstanceKey: key, elementId: REVIEW_TASK });
    const underReview = await filesOf(permitId);
    const snapshot = underReview.find((f) => f.startsWith('volumesnapshot-workspace-disk-review-'));
    expect(underReview).toEqual(
      [
        'configmap-workspace-access.yaml',
        `namespace-${namespaceName(permitId)}.yaml`,
        'networkpolicy-default-deny.yaml',
        'persistentvolumeclaim-workspace-disk.yaml',
        'resourcequota-workspace-quota.yaml',
        snapshot,
      ].sort(),
    );
    expect(await egressRules(permitId)).toEqual([]);
    expect(await allowedUsers(permitId)).toEqual([]);
    expect(await manifest(permitId, snapshot!)).toMatchObject({ apiVersion: 'snapshot.storage.k8s.io/v1', kind: 'VolumeSnapshot', spec: { source: { persistentVolumeClaimName: 'workspace-disk' } } });

    // Approved: the analysis workspace, with no egress at all, /prepared_data read-only and /outputs writable.
    await t.completeUserTask(review.userTaskKey, { [SETUP.decision]: 'APPROVED', [SETUP.comment]: 'Fine', [SETUP.reviewer]: 'rita' });
    await t.waitForProcessState(key, 'COMPLETED');
    expect(await filesOf(permitId)).toEqual(
      [
        'configmap-workspace-access.yaml',
        `namespace-${namespaceName(permitId)}.yaml`,
        'networkpolicy-default-deny.yaml',
        'networkpolicy-workspace-access.yaml',
        'persistentvolumeclaim-outputs.yaml',
        'persistentvolumeclaim-prepared.yaml',
        'persistentvolumeclaim-workspace-disk.yaml',
        'pod-workspace.yaml',
        'resourcequota-workspace-quota.yaml',
        snapshot,
      ].sort(),
    );
    expect(await egressRules(permitId)).toEqual([]);
    const analysisPod = await manifest<IPod>(permitId, 'pod-workspace.yaml');
    const mounts = analysisPod.spec!.containers[0]!.volumeMounts!;
    const volumes = analysisPod.spec!.volumes!;
    expect(mounts.find((m) => m.mountPath === '/prepared_data')).toMatchObject({ name: 'prepared', readOnly: true });
    expect(volumes.find((v) => v.name === 'prepared')?.persistentVolumeClaim).toEqual({ claimName: 'prepared', readOnly: true });
    expect(mounts.find((m) => m.mountPath === '/outputs')).toMatchObject({ name: 'outputs', readOnly: false });
    expect(analysisPod.metadata?.labels?.[LABELS.phase]).toBe('analysis');
    expect(analysisPod.spec!.containers[0]!.env).toBeUndefined();
    expect(await allowedUsers(permitId)).toEqual(['alice']);

    const rows = (await db.knex(TABLES.workspaces).where({ permit_id: permitId }).orderBy('phase')) as { phase: string; desired_state: Record<string, unknown>; observed_state: { objects: { exists: boolean }[] } }[];
    expect(rows.map((r) => [r.phase, r.desired_state.status])).toEqual([['analysis', 'active'], ['setup', 'promoted']]);
    expect(rows[0]?.desired_state).toMatchObject({ running: true, networkLocked: true, mounts: [{ volume: 'prepared', readOnly: true }, { volume: 'outputs', readOnly: false }] });
    expect(rows[0]?.observed_state.objects).toHaveLength(10);
    expect(rows[0]?.observed_state.objects.every((o) => o.exists)).toBe(true);
  });

  it('brings the proxied internet and the pod back when the reviewer asks for rework', async () => {
    const permitId = randomUUID();
    await insertPermit(db.knex, { id: permitId, status: 'APPROVED' });
    const key = await t.startProcess(PROCESS_IDS.setup, { permitId });
    await t.waitForActiveElement(key, SUBMISSION_EVENT);
    await t.correlate(MESSAGES.setupSubmitted, permitId, { setupSubmittedBy: 'alice' });
    const review = await t.waitForUserTask({ processInstanceKey: key, elementId: REVIEW_TASK });
    await t.completeUserTask(review.userTaskKey, { [SETUP.decision]: 'REWORK_REQUESTED', [SETUP.comment]: 'Remove the telemetry package', [SETUP.reviewer]: 'rita' });

    // Back at the submission wait: the setup objects again, plus the snapshot of the reviewed state.
    await t.waitForJob(TASK_TYPES.notificationSend, (job) => job.variables.permitId === permitId && job.headers[TASK_HEADERS.template] === 'setup-rework-requested');
    await t.waitForActiveElement(key, SUBMISSION_EVENT);
    const files = await filesOf(permitId);
    expect(files.filter((f) => !f.startsWith('volumesnapshot-'))).toEqual(SETUP_FILES(permitId));
    expect(files.filter((f) => f.startsWith('volumesnapshot-'))).toHaveLength(1);
    expect(await egressRules(permitId)).toHaveLength(2);
  });
});
