/** The workspace store on the real database: desired/observed state per phase, members, files, proof of deletion. */
import type { Knex } from 'knex';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { insertEgressRequest, insertPermit } from '../../../db/testing/permit-fixtures.js';
import { testDatabaseTargets } from '../../../db/testing/test-databases.js';
import { TABLES, verifyAuditLog, type Database } from '../../../db/index.js';
import { silentLogger } from '../../testing/make-worker-job.js';
import { createWorkspaceHandlers } from '../index.js';
import { sealDeletionCertificate } from '../reconcile/deletion-certificate.js';
import { initialState } from '../state/workspace-state.js';
import { createInMemoryDriver } from '../testing/in-memory-driver.js';
import { makeWorkerJob } from '../../testing/make-worker-job.js';
import { TASK_TYPES } from '../../../shared/index.js';
import { createKnexWorkspaceStore } from './knex-workspace-store.js';
import { DELETION_AUDIT_ACTION } from './workspace-store.js';

describe.each(testDatabaseTargets())('knex workspace store on $name', (target) => {
  let db: Database;
  let knex: Knex;
  beforeEach(async () => {
    db = await target.open();
    knex = db.knex;
  });
  afterEach(() => db.close());
  afterAll(() => target.dispose());

  it('upserts the desired state per phase and merges observations key by key', async () => {
    const permit = await insertPermit(knex, { status: 'WORKSPACE_SETUP_PENDING' });
    const store = createKnexWorkspaceStore(knex);
    await store.saveDesired(permit.id, [initialState('setup', 'pod')], change('workspace.provision', 1));
    await store.saveDesired(permit.id, [{ ...initialState('setup', 'pod'), running: false }, initialState('ingress', 'pod')], change('workspace.freeze', 2));
    await store.saveObserved(permit.id, ['setup'], { driver: 'manifests', objects: [{ ref: 'v1/Pod/ns/workspace', exists: true }] });
    await store.saveObserved(permit.id, ['setup', 'ingress'], { failure: null });
    const records = (await store.load(permit.id)).sort((a, b) => a.phase.localeCompare(b.phase));
    expect(records.map((r) => r.phase)).toEqual(['ingress', 'setup']);
    expect(records[1]?.desired).toMatchObject({ phase: 'setup', running: false, network: 'proxied' });
    expect(records[1]?.observed).toEqual({ driver: 'manifests', objects: [{ ref: 'v1/Pod/ns/workspace', exists: true }], failure: null });
    expect(records[0]?.observed).toEqual({ failure: null });
  });

  it('reads the research team and the files of an output request', async () => {
    const permit = await insertPermit(knex, { status: 'ANALYSIS_ACTIVE' });
    await knex(TABLES.permitMembers).insert([
      { permit_id: permit.id, user_id: 'bob', team_role: 'RESEARCH_TEAM', added_by: 'adam' },
      { permit_id: permit.id, user_id: 'alice', team_role: 'RESEARCH_TEAM', added_by: 'adam' },
      { permit_id: permit.id, user_id: 'rita', team_role: 'HDAB_TEAM', added_by: 'adam' },
    ]);
    const request = await insertEgressRequest(knex, permit.id, { status: 'APPROVED' });
    const store = createKnexWorkspaceStore(knex);
    expect(await store.researchTeam(permit.id)).toEqual(['alice', 'bob']);
    expect(await store.egressRequestFiles(permit.id, request.id)).toEqual(['outputs/table-1.csv']);
    expect(await store.egressRequestFiles(permit.id, 'no-such-request')).toBeUndefined();
  });

  it('records the proof of deletion on every workspace row and once in the audit chain', async () => {
    const permit = await insertPermit(knex, { status: 'DATA_DELETION_PENDING' });
    const store = createKnexWorkspaceStore(knex);
    await store.saveDesired(permit.id, [initialState('setup', 'pod'), initialState('ingress', 'pod')], change('workspace.provision', 1));
    const certificate = sealDeletionCertificate({ permitId: permit.id, namespace: 'ns', deletedAt: '2026-03-01T00:00:00.000Z', driver: 'manifests', job: 'k', deleted: [{ ref: 'v1/Namespace/ns', existed: true }], retained: [] });
    // The delete-data job first records its desired-state change under its key, then the proof under the same job key.
    await store.saveDesired(permit.id, [{ ...initialState('setup', 'pod'), status: 'deleted' } as never], { actor: 'process:spe-permit-closure', action: 'workspace.delete-data', idempotencyKey: 'workspace.delete-data/x/1' });
    await store.recordDeletion({ permitId: permit.id, certificate, actor: 'process:spe-permit-closure', idempotencyKey: 'workspace.delete-data/x/1' });
    await store.recordDeletion({ permitId: permit.id, certificate, actor: 'process:spe-permit-closure', idempotencyKey: 'workspace.delete-data/x/1' });
    for (const record of await store.load(permit.id)) expect(record.observed?.deletionCertificate).toEqual(certificate);
    const audit = (await knex(TABLES.auditLog).where({ action: DELETION_AUDIT_ACTION })) as { details: unknown; permit_id: string }[];
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ permit_id: permit.id, details: expect.objectContaining({ hash: certificate.hash }) });
    expect(await verifyAuditLog(knex)).toMatchObject({ ok: true });
  });

  it('keeps desired and observed state in the workspaces table as the handlers run', async () => {
    const permit = await insertPermit(knex, { status: 'WORKSPACE_SETUP_PENDING' });
    const handlers = createWorkspaceHandlers({ driver: createInMemoryDriver(), store: createKnexWorkspaceStore(knex) });
    const job = (type: typeof TASK_TYPES.workspaceProvision | typeof TASK_TYPES.workspaceFreeze, headers: Record<string, string> = {}) =>
      makeWorkerJob({ type, bpmnProcessId: 'spe-environment-setup', headers, variables: { permitId: permit.id } });
    await handlers[TASK_TYPES.workspaceProvision](job(TASK_TYPES.workspaceProvision, { phase: 'setup' }), silentLogger);
    await handlers[TASK_TYPES.workspaceFreeze](job(TASK_TYPES.workspaceFreeze), silentLogger);
    const row = (await knex(TABLES.workspaces).where({ permit_id: permit.id, phase: 'setup' }).first()) as { desired_state: { running: boolean; snapshots: unknown[] }; observed_state: { driver: string; objects: { ref: string; exists: boolean }[] } };
    expect(row.desired_state).toMatchObject({ running: false, snapshots: [expect.objectContaining({ purpose: 'review', source: 'workspace-disk' })] });
    expect(row.observed_state.driver).toBe('in-memory');
    expect(row.observed_state.objects.every((o) => o.exists)).toBe(true);
    expect(row.observed_state.objects.map((o) => o.ref)).toContainEqual(expect.stringMatching(/VolumeSnapshot/));
  });

  it('audits every change of desired state with the new states, once per job, in the hash chain', async () => {
    const permit = await insertPermit(knex, { status: 'WORKSPACE_SETUP_PENDING' });
    const handlers = createWorkspaceHandlers({ driver: createInMemoryDriver(), store: createKnexWorkspaceStore(knex) });
    const provision = makeWorkerJob({ type: TASK_TYPES.workspaceProvision, bpmnProcessId: 'spe-environment-setup', headers: { phase: 'setup' }, variables: { permitId: permit.id } });
    const disable = makeWorkerJob({ type: TASK_TYPES.workspaceDisableNetwork, bpmnProcessId: 'spe-environment-setup', headers: {}, variables: { permitId: permit.id } });
    await handlers[TASK_TYPES.workspaceProvision](provision, silentLogger);
    await handlers[TASK_TYPES.workspaceDisableNetwork](disable, silentLogger);
    // The same job delivered again (after a crash before it was completed) changes nothing and records nothing.
    await handlers[TASK_TYPES.workspaceDisableNetwork](disable, silentLogger);
    const entries = (await knex(TABLES.auditLog).where({ permit_id: permit.id }).orderBy('seq')) as Array<{ actor: string; action: string; details: { workspaces: Array<{ phase: string; network: string }> } }>;
    expect(entries.map((e) => [e.actor, e.action, e.details.workspaces.map((w) => `${w.phase} ${w.network}`)])).toEqual([
      ['process:spe-environment-setup', 'workspace.provision', ['setup proxied']],
      ['process:spe-environment-setup', 'workspace.disable-network', ['setup none']],
    ]);
    expect(await verifyAuditLog(knex)).toMatchObject({ ok: true });
  });
});

function change(action: string, n: number) {
  return { actor: 'process:spe-environment-setup', action, idempotencyKey: `${action}/p/${n}` };
}
