import { describe, expect, it } from 'vitest';
import { BPMN_ERRORS } from '../../../shared/index.js';
import { BusinessRuleError, NonRetryableError, TransientError } from '../../runtime/job-errors.js';
import { WorkspaceConflictError, WorkspaceDriverError, WorkspaceUnavailableError } from '../drivers/workspace-driver.js';
import { toAnalysis, workspaceKit } from '../testing/workspace-test-kit.js';

const SETUP_OBJECTS = [
  'ConfigMap/workspace-access',
  'Namespace/spe-permit-permit-1',
  'NetworkPolicy/default-deny',
  'NetworkPolicy/workspace-access',
  'NetworkPolicy/workspace-egress-proxy',
  'PersistentVolumeClaim/workspace-disk',
  'Pod/workspace',
  'ResourceQuota/workspace-quota',
];

describe('workspace.provision', () => {
  it('creates the setup workspace and returns the objects, the namespace and the state', async () => {
    const kit = workspaceKit();
    const variables = await kit.run(kit.job(kit.types.workspaceProvision, { phase: 'setup' }));
    expect(kit.driver.list()).toEqual(SETUP_OBJECTS);
    expect(variables).toMatchObject({
      workspaceNamespace: 'spe-permit-permit-1',
      workspaceObserved: { driver: 'in-memory', present: 8, missing: [] },
      workspaceState: { phase: 'setup', status: 'active', running: true, network: 'proxied', mounts: [] },
    });
    expect(variables.workspaceObjects).toContain('v1/Pod/spe-permit-permit-1/workspace');
    expect(kit.desired('setup')).toMatchObject({ phase: 'setup', network: 'proxied' });
    expect(kit.store.rows.get('permit-1/setup')?.observed).toMatchObject({ driver: 'in-memory', failure: null, job: expect.stringContaining('workspace.provision/permit-1/') });
  });

  it('changes nothing when the same job is delivered twice', async () => {
    const kit = workspaceKit();
    const job = kit.job(kit.types.workspaceProvision, { phase: 'setup' });
    const first = await kit.run(job);
    const snapshot = structuredClone([...kit.driver.objects]);
    const second = await kit.run(job);
    expect([...kit.driver.objects]).toEqual(snapshot);
    expect(second.workspaceObjects).toEqual(first.workspaceObjects);
    expect(second.workspaceRemovedObjects).toEqual([]);
  });

  it('turns an API refusal midway into WORKSPACE_PROVISIONING_REJECTED naming what was applied and where it stopped', async () => {
    const kit = workspaceKit();
    kit.driver.failNext((ref) => ref.kind === 'PersistentVolumeClaim', (completed, failed) => new WorkspaceConflictError('admission webhook denied the claim', { completed, failed, statusCode: 422 }));
    const error = await kit.run(kit.job(kit.types.workspaceProvision, { phase: 'setup' })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BusinessRuleError);
    const rejected = error as BusinessRuleError;
    expect(rejected.code).toBe(BPMN_ERRORS.provisioningRejected);
    expect(rejected.message).toMatch(/applying v1\/PersistentVolumeClaim\/spe-permit-permit-1\/workspace-disk failed \(HTTP 422\): admission webhook denied the claim; already done: v1\/Namespace\/spe-permit-permit-1, /);
    expect(rejected.variables.workspaceCompletedObjects).toEqual([
      'v1/Namespace/spe-permit-permit-1',
      'v1/ResourceQuota/spe-permit-permit-1/workspace-quota',
      'networking.k8s.io/v1/NetworkPolicy/spe-permit-permit-1/default-deny',
      'networking.k8s.io/v1/NetworkPolicy/spe-permit-permit-1/workspace-access',
      'networking.k8s.io/v1/NetworkPolicy/spe-permit-permit-1/workspace-egress-proxy',
      'v1/ConfigMap/spe-permit-permit-1/workspace-access',
    ]);
    expect(rejected.variables.workspaceFailedObject).toBe('v1/PersistentVolumeClaim/spe-permit-permit-1/workspace-disk');
    expect(kit.store.rows.get('permit-1/setup')?.observed?.failure).toMatchObject({ failed: 'v1/PersistentVolumeClaim/spe-permit-permit-1/workspace-disk' });

    // RETRY from the operators: the same phase is applied in full and the failure is cleared.
    await kit.run(kit.job(kit.types.workspaceProvision, { phase: 'setup' }));
    expect(kit.driver.list()).toEqual(SETUP_OBJECTS);
    expect(kit.store.rows.get('permit-1/setup')?.observed?.failure).toBeNull();
  });

  it('retries when the API server is unavailable and raises an incident for other driver failures', async () => {
    const kit = workspaceKit();
    kit.driver.failNext(() => true, (completed, failed) => new WorkspaceUnavailableError('connect ECONNREFUSED', { completed, failed }));
    await expect(kit.run(kit.job(kit.types.workspaceProvision, { phase: 'setup' }))).rejects.toThrow(TransientError);
    kit.driver.failNext((ref) => ref.kind === 'Pod', (completed, failed) => new WorkspaceDriverError('pods is forbidden: User "spe" cannot create', { completed, failed, statusCode: 403 }));
    const error = await kit.run(kit.job(kit.types.workspaceProvision, { phase: 'setup' })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NonRetryableError);
    expect((error as Error).message).toMatch(/HTTP 403.*already done: .*PersistentVolumeClaim/);
  });

  it('refuses a missing or unknown phase header', async () => {
    const kit = workspaceKit();
    await expect(kit.run(kit.job(kit.types.workspaceProvision))).rejects.toThrow('task header "phase" is missing');
    await expect(kit.run(kit.job(kit.types.workspaceProvision, { phase: 'moon' }))).rejects.toThrow(NonRetryableError);
  });
});

describe('BPMN 3 steps: submit, review, approval', () => {
  it('switches the internet off, freezes with a snapshot, then becomes the analysis workspace with read-only prepared data', async () => {
    const kit = workspaceKit();
    await kit.run(kit.job(kit.types.workspaceProvision, { phase: 'setup' }));
    const off = await kit.run(kit.job(kit.types.workspaceDisableNetwork, { permanent: 'false' }));
    expect(off.workspaceRemovedObjects).toEqual(['networking.k8s.io/v1/NetworkPolicy/spe-permit-permit-1/workspace-egress-proxy']);
    const frozen = await kit.run(kit.job(kit.types.workspaceFreeze));
    expect(frozen.workspaceSnapshot).toMatch(/^workspace-disk-review-[0-9a-f]{10}$/);
    expect(kit.driver.list()).not.toContain('Pod/workspace');
    expect(kit.driver.list()).toContain(`VolumeSnapshot/${String(frozen.workspaceSnapshot)}`);

    const started = await toAnalysis(kit);
    expect(started.workspaceState).toMatchObject({ phase: 'analysis', network: 'none', networkLocked: true, running: true, mounts: [{ volume: 'prepared', readOnly: true }, { volume: 'outputs', readOnly: false }] });
    expect(kit.desired('setup')).toMatchObject({ status: 'promoted' });
    expect(kit.driver.list()).not.toContain('NetworkPolicy/workspace-egress-proxy');
    expect(kit.driver.list()).toEqual(expect.arrayContaining(['Pod/workspace', 'PersistentVolumeClaim/prepared', 'PersistentVolumeClaim/outputs']));
  });

  it('re-opens the proxied internet and restarts the workspace on rework', async () => {
    const kit = workspaceKit();
    await kit.run(kit.job(kit.types.workspaceProvision, { phase: 'setup' }));
    await kit.run(kit.job(kit.types.workspaceDisableNetwork, { permanent: 'false' }));
    await kit.run(kit.job(kit.types.workspaceFreeze));
    await kit.run(kit.job(kit.types.workspaceEnableNetwork, { mode: 'proxied' }));
    await kit.run(kit.job(kit.types.workspaceStart));
    expect(kit.driver.list()).toEqual(expect.arrayContaining(['NetworkPolicy/workspace-egress-proxy', 'Pod/workspace']));
  });

  it('never lets the internet back into analysis, nor data into setup, nor writable prepared data into analysis', async () => {
    const setup = workspaceKit();
    await setup.run(setup.job(setup.types.workspaceProvision, { phase: 'setup' }));
    await expect(setup.run(setup.job(setup.types.workspaceMountData, { volume: 'prepared', readOnly: 'true' }))).rejects.toThrow(/setup workspace never gets data volumes/);
    await expect(setup.run(setup.job(setup.types.workspaceMountOutputs))).rejects.toThrow(NonRetryableError);

    const kit = workspaceKit();
    await toAnalysis(kit);
    await expect(kit.run(kit.job(kit.types.workspaceEnableNetwork, { mode: 'proxied' }))).rejects.toThrow(/never gets it back/);
    await expect(kit.run(kit.job(kit.types.workspaceMountData, { volume: 'prepared', readOnly: 'false' }))).rejects.toThrow(/read-only in analysis/);
    await expect(kit.run(kit.job(kit.types.workspaceMountData, { volume: 'raw', readOnly: 'true' }))).rejects.toThrow(/never \/raw/);
    await expect(kit.run(kit.job(kit.types.workspaceProvision, { phase: 'setup' }))).rejects.toThrow(/became the analysis workspace/);
  });

  it('replaces the running pod when its mounts change (pod specs are immutable)', async () => {
    const kit = workspaceKit();
    await toAnalysis(kit);
    const unmounted = await kit.run(kit.job(kit.types.workspaceUnmount, { volume: 'outputs' }));
    expect(unmounted.workspaceRemovedObjects).toEqual(['v1/Pod/spe-permit-permit-1/workspace']);
    const podNow = [...kit.driver.objects.values()].find((o) => o.kind === 'Pod') as { spec: { volumes: { name: string }[] } } | undefined;
    expect(podNow?.spec.volumes.map((v) => v.name)).toEqual(['workspace-disk', 'prepared', 'tmp']);
    expect(kit.driver.list()).toContain('PersistentVolumeClaim/outputs');
  });

  it('needs a provisioned workspace', async () => {
    const kit = workspaceKit();
    await expect(kit.run(kit.job(kit.types.workspaceStart))).rejects.toThrow(/no active setup or analysis workspace; provision it first/);
  });
});
