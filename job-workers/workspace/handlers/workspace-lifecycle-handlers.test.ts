import { describe, expect, it } from 'vitest';
import { BPMN_ERRORS } from '../../../shared/index.js';
import { BusinessRuleError, NonRetryableError } from '../../runtime/job-errors.js';
import { deletionCertificateHash, type DeletionCertificate } from '../reconcile/deletion-certificate.js';
import { NOW, toAnalysis, workspaceKit } from '../testing/workspace-test-kit.js';

const SHA = 'a'.repeat(64);
const access = (kit: ReturnType<typeof workspaceKit>) =>
  [...kit.driver.objects.values()].find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'workspace-access')?.data as Record<string, string> | undefined;

describe('workspace.scan-ingress', () => {
  it('passes a manifest whose entries all have a path, a SHA-256 and a size', async () => {
    const kit = workspaceKit();
    await kit.run(kit.job(kit.types.workspaceProvision, { phase: 'ingress' }));
    const variables = await kit.run(kit.job(kit.types.workspaceScanIngress, {}, { dataHolder: 'dana', uploadManifest: { files: [{ path: 'cohort/a.csv', sha256: SHA, sizeBytes: 12 }] } }));
    expect(variables.ingressScanResult).toEqual({ passed: true, files: 1, checkedAt: NOW.toISOString(), dataHolder: 'dana' });
    expect(kit.store.rows.get('permit-1/ingress')?.observed?.lastScan).toEqual({ at: NOW.toISOString(), dataHolder: 'dana', files: 1, findings: [] });
  });

  it('fails with INGRESS_CHECK_FAILED and the findings when a SHA-256 is missing or malformed', async () => {
    const kit = workspaceKit();
    const manifest = {
      files: [
        { path: 'cohort/a.csv', sha256: SHA, sizeBytes: 1 },
        { path: 'cohort/b.csv', sizeBytes: 2 },
        { path: 'cohort/c.csv', sha256: 'ABC', sizeBytes: 3 },
        { path: '../etc/passwd', sha256: SHA, sizeBytes: 4 },
      ],
    };
    const error = await kit.run(kit.job(kit.types.workspaceScanIngress, {}, { dataHolder: 'dana', uploadManifest: manifest })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BusinessRuleError);
    expect((error as BusinessRuleError).code).toBe(BPMN_ERRORS.ingressCheckFailed);
    expect((error as BusinessRuleError).variables.ingressCheckFindings).toEqual([
      { path: 'cohort/b.csv', message: 'the SHA-256 checksum is missing' },
      { path: 'cohort/c.csv', message: 'the SHA-256 checksum is malformed (expected 64 lower-case hex characters)' },
      { path: '../etc/passwd', message: 'the path must be relative and must not contain "..", empty segments or control characters' },
    ]);
    expect((error as Error).message).toMatch(/delivery of dana failed the ingress checks: cohort\/b\.csv: the SHA-256 checksum is missing/);
  });

  it('fails when no manifest came with the upload', async () => {
    const kit = workspaceKit();
    const error = (await kit.run(kit.job(kit.types.workspaceScanIngress)).catch((e: unknown) => e)) as BusinessRuleError;
    expect(error.variables.ingressCheckFindings).toEqual([{ message: 'no upload manifest came with the upload confirmation' }]);
  });
});

describe('workspace.suspend and workspace.resume', () => {
  it('halts every session at once and brings the workspace back as it was', async () => {
    const kit = workspaceKit();
    await toAnalysis(kit);
    const suspended = await kit.run(kit.job(kit.types.workspaceSuspend));
    expect(suspended.workspaceRemovedObjects).toEqual(['v1/Pod/spe-permit-permit-1/workspace', 'networking.k8s.io/v1/NetworkPolicy/spe-permit-permit-1/workspace-access']);
    expect(access(kit)).toMatchObject({ 'allowed-users': '[]', 'researcher-access': 'false' });
    expect(kit.driver.list()).toContain('PersistentVolumeClaim/prepared');

    await kit.run(kit.job(kit.types.workspaceResume));
    expect(kit.driver.list()).toEqual(expect.arrayContaining(['Pod/workspace', 'NetworkPolicy/workspace-access']));
  });
});

describe('the access list on every workspace task', () => {
  it('names the research team from provisioning on, nobody while frozen or suspended, and is gone after teardown', async () => {
    const kit = workspaceKit();
    kit.store.members.set('permit-1', ['alice']);
    await kit.run(kit.job(kit.types.workspaceProvision, { phase: 'setup' }));
    expect(access(kit)).toMatchObject({ 'allowed-users': '["alice"]', 'researcher-access': 'true' });

    await kit.run(kit.job(kit.types.workspaceFreeze));
    expect(access(kit)).toMatchObject({ 'allowed-users': '[]', 'researcher-access': 'false' });

    // A member added meanwhile is on the list as soon as the next task renders the workspace.
    kit.store.members.set('permit-1', ['alice', 'bob']);
    await kit.run(kit.job(kit.types.workspaceDisableNetwork, { permanent: 'true' }));
    await kit.run(kit.job(kit.types.workspaceStart));
    expect(access(kit)?.['allowed-users']).toBe('["alice","bob"]');

    await kit.run(kit.job(kit.types.workspaceSuspend));
    expect(access(kit)?.['allowed-users']).toBe('[]');
    await kit.run(kit.job(kit.types.workspaceResume));
    expect(access(kit)?.['allowed-users']).toBe('["alice","bob"]');

    await kit.run(kit.job(kit.types.workspaceTeardown, { phase: 'analysis' }));
    expect(access(kit)).toBeUndefined();
  });
});

describe('workspace.sync-access', () => {
  it('lets exactly the current research team in', async () => {
    const kit = workspaceKit();
    kit.store.members.set('permit-1', ['bob', 'alice']);
    await toAnalysis(kit);
    const variables = await kit.run(kit.job(kit.types.workspaceSyncAccess));
    expect(variables.workspaceAccessMembers).toEqual(['alice', 'bob']);
    expect(access(kit)).toMatchObject({ 'allowed-users': '["alice","bob"]', 'researcher-access': 'true' });
    kit.store.members.set('permit-1', ['alice']);
    await kit.run(kit.job(kit.types.workspaceSyncAccess));
    expect(access(kit)?.['allowed-users']).toBe('["alice"]');
  });
});

describe('workspace.release-outputs', () => {
  it('copies the request files with a Job that mounts /outputs read-only', async () => {
    const kit = workspaceKit();
    await toAnalysis(kit);
    kit.store.egressFiles.set('permit-1/E-1', ['tables/table-1.csv', 'figure 2.png']);
    const variables = await kit.run(kit.job(kit.types.workspaceReleaseOutputs, {}, { egressRequestId: 'E-1' }));
    expect(variables.releasedFiles).toEqual(['tables/table-1.csv', 'figure 2.png']);
    const job = kit.driver.objects.get(`batch/v1/Job/spe-permit-permit-1/${String(variables.releaseJob)}`) as { spec: { template: { spec: { containers: { command: string[]; volumeMounts: unknown[] }[] } } } } | undefined;
    expect(job?.spec.template.spec.containers[0]?.command.slice(-3)).toEqual(['E-1', 'tables/table-1.csv', 'figure 2.png']);
    expect(job?.spec.template.spec.containers[0]?.volumeMounts).toContainEqual({ name: 'outputs', mountPath: '/outputs', readOnly: true });
    expect(kit.driver.list()).toContain('PersistentVolumeClaim/release');
  });

  it('refuses paths outside /outputs and unknown requests', async () => {
    const kit = workspaceKit();
    await toAnalysis(kit);
    kit.store.egressFiles.set('permit-1/E-2', ['../raw/secret.csv']);
    await expect(kit.run(kit.job(kit.types.workspaceReleaseOutputs, {}, { egressRequestId: 'E-2' }))).rejects.toThrow(/paths outside \/outputs: "\.\.\/raw\/secret\.csv"/);
    await expect(kit.run(kit.job(kit.types.workspaceReleaseOutputs, {}, { egressRequestId: 'E-9' }))).rejects.toThrow(NonRetryableError);
  });
});

describe('closure: teardown, archive, delete-data', () => {
  it('tears down compute but keeps storage, archives outputs, then deletes everything with a proof of deletion', async () => {
    const kit = workspaceKit();
    await toAnalysis(kit);
    await kit.run(kit.job(kit.types.workspaceTeardown, { phase: 'analysis' }));
    expect(kit.driver.list()).toEqual([
      'Namespace/spe-permit-permit-1',
      'NetworkPolicy/default-deny',
      'PersistentVolumeClaim/outputs',
      'PersistentVolumeClaim/prepared',
      'PersistentVolumeClaim/workspace-disk',
      'ResourceQuota/workspace-quota',
      expect.stringMatching(/^VolumeSnapshot\/workspace-disk-review-/),
    ]);
    const archived = await kit.run(kit.job(kit.types.workspaceArchive));
    expect(archived.archiveSnapshot).toEqual({ name: 'outputs-archive', retainUntil: '2027-03-02T10:00:00.000Z' });

    const job = kit.job(kit.types.workspaceDeleteData);
    const variables = await kit.run(job);
    const certificate = variables.deletionCertificate as DeletionCertificate;
    expect(kit.driver.list()).toEqual([]);
    expect(certificate).toMatchObject({ permitId: 'permit-1', namespace: 'spe-permit-permit-1', deletedAt: NOW.toISOString(), driver: 'in-memory' });
    expect(certificate.deleted.filter((d) => d.existed).map((d) => d.ref)).toEqual(
      expect.arrayContaining(['v1/PersistentVolumeClaim/spe-permit-permit-1/prepared', 'v1/PersistentVolumeClaim/spe-permit-permit-1/outputs', 'snapshot.storage.k8s.io/v1/VolumeSnapshot/spe-permit-permit-1/outputs-archive']),
    );
    expect(certificate.deleted.at(-1)).toEqual({ ref: 'v1/Namespace/spe-permit-permit-1', existed: true });
    expect(certificate.retained).toEqual([expect.objectContaining({ retainUntil: '2027-03-02T10:00:00.000Z' })]);
    expect(certificate.hash).toBe(deletionCertificateHash(certificate));
    expect(deletionCertificateHash({ ...certificate, deletedAt: '2026-03-02T00:00:00.000Z' })).not.toBe(certificate.hash);
    expect(kit.store.deletions).toEqual([expect.objectContaining({ permitId: 'permit-1', actor: 'process:spe-environment-setup', certificate })]);

    const again = await kit.run(job);
    expect(again.deletionCertificate).toEqual(certificate);
    expect(kit.store.deletions).toHaveLength(1);
  });

  it('tears down nothing when nothing was provisioned, and archives nothing without outputs', async () => {
    const kit = workspaceKit();
    expect((await kit.run(kit.job(kit.types.workspaceTeardown, { phase: 'analysis' }))).workspaceObjects).toEqual([]);
    await kit.run(kit.job(kit.types.workspaceProvision, { phase: 'setup' }));
    expect((await kit.run(kit.job(kit.types.workspaceArchive))).archiveSnapshot).toBeNull();
    // Closure after a rejected setup: "teardown analysis" removes the setup workspace too.
    await kit.run(kit.job(kit.types.workspaceTeardown, { phase: 'analysis' }));
    expect(kit.driver.list()).not.toContain('Pod/workspace');
  });
});
