/**
 * Topology and deployments (POST /v2/deployments, multipart): several resources per request, .bpmn and .form
 * together, Zeebe's versioning (identical resource → same version and key, changed → version + 1; new
 * instances use the latest version, running ones keep theirs; forms likewise), atomic refusal.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NOW, fixturePath, key } from '../support/harness.js';
import { expectRefused, fixtureFile, startApiEngine, type TestEngine } from './api-support.js';

describe('REST /v2 topology and deployments', () => {
  let t: TestEngine;
  beforeAll(async () => {
    t = await startApiEngine();
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('GET /topology describes a single broker with one healthy leader partition', async () => {
    const topology = await t.client.getTopology();
    expect(topology.clusterSize).toBe(1);
    expect(topology.brokers).toHaveLength(1);
    expect(topology.partitionsCount).toBeGreaterThanOrEqual(1);
    expect(topology.gatewayVersion).toMatch(/^8\.8\./);
    const partitions = topology.brokers[0]?.partitions ?? [];
    expect(partitions.length).toBe(topology.partitionsCount);
    expect(partitions.every((p) => p.role === 'leader' && p.health === 'healthy')).toBe(true);
  });

  it('deploys a .bpmn and a .form in one multipart request and reports both', async () => {
    const result = await t.client.createDeployment({
      resources: [await fixtureFile('api-user-task.bpmn'), await fixtureFile('api-review-form.form')],
    });
    expect(result.deploymentKey).toMatch(/^\d+$/);
    expect(result.tenantId).toBe('<default>');
    expect(result.deployments).toHaveLength(2);
    expect(result.processes).toHaveLength(1);
    expect(result.forms).toHaveLength(1);
    const [process] = result.processes;
    expect(process).toMatchObject({ processDefinitionId: 'api-user-task', processDefinitionVersion: 1, resourceName: 'api-user-task.bpmn', tenantId: '<default>' });
    expect(process?.processDefinitionKey).toMatch(/^\d+$/);
    const [form] = result.forms;
    expect(form).toMatchObject({ formId: 'api-review-form', version: 1, resourceName: 'api-review-form.form', tenantId: '<default>' });
    expect(form?.formKey).toMatch(/^\d+$/);
    expect(form?.formKey).not.toBe(process?.processDefinitionKey);
  });

  it('deploys several processes in one request through deployResourcesFromFiles', async () => {
    const result = await t.client.deployResourcesFromFiles([fixturePath('api-service-task.bpmn'), fixturePath('api-script-sum.bpmn')]);
    expect(result.processes.map((p) => p.processDefinitionId).sort()).toEqual(['api-script-sum', 'api-service-task']);
    expect(result.processes.every((p) => p.processDefinitionVersion === 1)).toBe(true);
    const keys = new Set(result.processes.map((p) => String(p.processDefinitionKey)));
    expect(keys.size).toBe(2);
  });

  it('versions processes as Zeebe does: identical → same version and key, changed → version + 1', async () => {
    const first = await t.client.createDeployment({ resources: [await fixtureFile('api-versioned-v1.bpmn', 'api-versioned.bpmn')] });
    const again = await t.client.createDeployment({ resources: [await fixtureFile('api-versioned-v1.bpmn', 'api-versioned.bpmn')] });
    const changed = await t.client.createDeployment({ resources: [await fixtureFile('api-versioned-v2.bpmn', 'api-versioned.bpmn')] });
    const v1 = first.processes[0];
    expect(v1?.processDefinitionVersion).toBe(1);
    expect(again.processes[0]?.processDefinitionVersion).toBe(1);
    expect(again.processes[0]?.processDefinitionKey).toBe(v1?.processDefinitionKey);
    expect(again.deploymentKey).not.toBe(first.deploymentKey);
    expect(changed.processes[0]?.processDefinitionVersion).toBe(2);
    expect(changed.processes[0]?.processDefinitionKey).not.toBe(v1?.processDefinitionKey);

    const search = await t.client.searchProcessDefinitions({ filter: { processDefinitionId: 'api-versioned' }, sort: [{ field: 'version', order: 'ASC' }] }, NOW);
    expect((search.items ?? []).map((d) => d.version)).toEqual([1, 2]);
    expect(Number(search.page.totalItems)).toBe(2);
  });

  it('starts new instances on the latest version while running ones keep theirs', async () => {
    const defs = await t.client.searchProcessDefinitions({ filter: { processDefinitionId: 'api-versioned' }, sort: [{ field: 'version', order: 'ASC' }] }, NOW);
    const [v1, v2] = defs.items ?? [];
    expect(v2?.version).toBe(2);
    // An instance pinned to version 1 (by key) waits in v1's user task.
    const old = await t.client.createProcessInstance({ processDefinitionKey: key(String(v1?.processDefinitionKey)) });
    expect(old.processDefinitionVersion).toBe(1);
    await t.waitForActiveElement(String(old.processInstanceKey), 'step-v1');
    // By id without version: latest.
    const latest = await t.client.createProcessInstance({ processDefinitionId: key('api-versioned') });
    expect(latest.processDefinitionVersion).toBe(2);
    expect(latest.processDefinitionKey).toBe(v2?.processDefinitionKey);
    await t.waitForActiveElement(String(latest.processInstanceKey), 'step-v2');
    // By id with an explicit version.
    const explicit = await t.client.createProcessInstance({ processDefinitionId: key('api-versioned'), processDefinitionVersion: 1 });
    expect(explicit.processDefinitionKey).toBe(v1?.processDefinitionKey);

    // Deploying yet another change does not move the running instance.
    await t.client.createDeployment({ resources: [await fixtureFile('api-versioned-v1.bpmn', 'api-versioned.bpmn')] });
    const running = await t.getInstance(String(old.processInstanceKey));
    expect(running.processDefinitionVersion).toBe(1);
    expect(running.processDefinitionKey).toBe(v1?.processDefinitionKey);
    expect(await t.activeElementIds(String(old.processInstanceKey))).toEqual(['step-v1']);
  });

  it('versions forms the same way: identical → same version and key, changed → version + 1', async () => {
    const first = await t.client.createDeployment({ resources: [await fixtureFile('api-review-form.form')] });
    const before = first.forms[0];
    expect(before?.formId).toBe('api-review-form');
    // Already deployed with the user task above: identical content keeps version 1 and its key.
    expect(before?.version).toBe(1);
    const changed = await t.client.createDeployment({ resources: [await fixtureFile('api-review-form-v2.form', 'api-review-form.form')] });
    expect(changed.forms[0]?.version).toBe(2);
    expect(changed.forms[0]?.formKey).not.toBe(before?.formKey);
    const same = await t.client.createDeployment({ resources: [await fixtureFile('api-review-form-v2.form', 'api-review-form.form')] });
    expect(same.forms[0]?.version).toBe(2);
    expect(same.forms[0]?.formKey).toBe(changed.forms[0]?.formKey);
  });

  it('refuses a deployment with an unsupported element with 400 naming it, and stores nothing of the request', async () => {
    const problem = await expectRefused(
      t.client.createDeployment({ resources: [await fixtureFile('api-paging.bpmn'), await fixtureFile('api-unsupported.bpmn')] }),
      400,
      'INVALID_ARGUMENT',
    );
    expect(problem.detail).toContain('complex-gw');
    const search = await t.client.searchProcessDefinitions({ filter: { processDefinitionId: 'api-paging' } }, NOW);
    expect(search.items).toHaveLength(0);
    const unsupported = await t.client.searchProcessDefinitions({ filter: { processDefinitionId: 'api-unsupported' } }, NOW);
    expect(unsupported.items).toHaveLength(0);
  });

  it('refuses two resources with the same process id in one request, storing neither', async () => {
    const before = await t.client.searchProcessDefinitions({ filter: { processDefinitionId: 'api-versioned' } }, NOW);
    await expectRefused(
      t.client.createDeployment({ resources: [await fixtureFile('api-versioned-v1.bpmn', 'one.bpmn'), await fixtureFile('api-versioned-v2.bpmn', 'two.bpmn')] }),
      400,
      'INVALID_ARGUMENT',
    );
    const after = await t.client.searchProcessDefinitions({ filter: { processDefinitionId: 'api-versioned' } }, NOW);
    expect(Number(after.page.totalItems)).toBe(Number(before.page.totalItems));
  });

  it('refuses a resource that is not BPMN XML, a form that is not JSON, and an unknown resource type with 400', async () => {
    const garbage = new File(['this is <not xml'], 'broken.bpmn', { type: 'application/octet-stream' });
    await expectRefused(t.client.createDeployment({ resources: [garbage] }), 400, 'INVALID_ARGUMENT');
    const badForm = new File(['{"id": "half-a-form", '], 'broken.form', { type: 'application/octet-stream' });
    const formProblem = await expectRefused(t.client.createDeployment({ resources: [badForm] }), 400, 'INVALID_ARGUMENT');
    expect(formProblem.detail).toContain('broken.form');
    const text = new File(['hello'], 'notes.txt', { type: 'text/plain' });
    const textProblem = await expectRefused(t.client.createDeployment({ resources: [text] }), 400, 'INVALID_ARGUMENT');
    expect(textProblem.detail).toContain('notes.txt');
  });
});
