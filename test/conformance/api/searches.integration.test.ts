/**
 * Read side used by a timeline view: process definitions (search, get, XML), element instances (all element
 * instances of an instance, in order, with states) and variables search.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NOW, key } from '../support/harness.js';
import { expectRefused, fixtureFile, fixtureText, startApiEngine, type TestEngine } from './api-support.js';

const byKey = (a: { elementInstanceKey: unknown }, b: { elementInstanceKey: unknown }) => {
  const ka = BigInt(String(a.elementInstanceKey));
  const kb = BigInt(String(b.elementInstanceKey));
  return ka < kb ? -1 : ka > kb ? 1 : 0;
};

describe('REST /v2 searches', () => {
  let t: TestEngine;
  let serviceTaskKey: string;
  beforeAll(async () => {
    t = await startApiEngine();
    const deployed = await t.deploy('api-service-task.bpmn', 'api-subprocess-vars.bpmn');
    serviceTaskKey = String(deployed.processes.find((p) => p.processDefinitionId === 'api-service-task')?.processDefinitionKey);
    await t.client.createDeployment({ resources: [await fixtureFile('api-versioned-v1.bpmn', 'api-versioned.bpmn')] });
    await t.client.createDeployment({ resources: [await fixtureFile('api-versioned-v2.bpmn', 'api-versioned.bpmn')] });
  });
  afterAll(async () => {
    await t?.stop();
  });

  async function completedServiceInstance(): Promise<string> {
    const pik = await t.createInstance('api-service-task', { orderId: 'S-1' });
    const job = await t.waitFor(async () => (await t.client.activateJobs({ type: 'api-work', timeout: 30_000, maxJobsToActivate: 10, requestTimeout: 1_000 })).jobs.find((j) => String(j.processInstanceKey) === pik), { message: `the job of ${pik}` });
    if (!job) throw new Error('no job activated');
    await t.client.completeJob({ jobKey: job.jobKey, variables: { orderId: 'S-2', done: true } });
    await t.waitForInstanceState(pik, 'COMPLETED');
    return pik;
  }

  it('searches process definitions by id with the documented fields, and GET by key agrees', async () => {
    const result = await t.client.searchProcessDefinitions({ filter: { processDefinitionId: 'api-service-task' } }, NOW);
    expect(result.items ?? []).toHaveLength(1);
    expect(result.items?.[0]).toEqual({
      processDefinitionKey: serviceTaskKey,
      processDefinitionId: 'api-service-task',
      name: 'API service task',
      version: 1,
      resourceName: 'api-service-task.bpmn',
      tenantId: '<default>',
      hasStartForm: false,
    });
    const got = await t.client.getProcessDefinition({ processDefinitionKey: key(serviceTaskKey) }, NOW);
    expect(got.processDefinitionId).toBe('api-service-task');
    expect(got.version).toBe(1);
  });

  it('filters process definitions by isLatestVersion and version', async () => {
    const latest = await t.client.searchProcessDefinitions({ filter: { processDefinitionId: 'api-versioned', isLatestVersion: true } }, NOW);
    expect((latest.items ?? []).map((d) => d.version)).toEqual([2]);
    const first = await t.client.searchProcessDefinitions({ filter: { processDefinitionId: 'api-versioned', version: 1 } }, NOW);
    expect((first.items ?? []).map((d) => d.version)).toEqual([1]);
    const all = await t.client.searchProcessDefinitions({ filter: { processDefinitionId: 'api-versioned' }, sort: [{ field: 'version', order: 'DESC' }] }, NOW);
    expect((all.items ?? []).map((d) => d.version)).toEqual([2, 1]);
  });

  it('returns the deployed XML unchanged', async () => {
    const xml = await t.client.getProcessDefinitionXml({ processDefinitionKey: key(serviceTaskKey) }, NOW);
    expect(typeof xml).toBe('string');
    expect(xml).toBe(await fixtureText('api-service-task.bpmn'));
    await expectRefused(t.client.getProcessDefinitionXml({ processDefinitionKey: key('2251799813999999') }, NOW), 404, 'NOT_FOUND');
  });

  it('lists every element instance of a finished instance, in order, with types, names and states', async () => {
    const pik = await completedServiceInstance();
    const result = await t.client.searchElementInstances(
      { filter: { processInstanceKey: key(pik) }, sort: [{ field: 'elementInstanceKey', order: 'ASC' }], page: { limit: 100 } },
      NOW,
    );
    const items = (result.items ?? []).filter((e) => e.type !== 'PROCESS');
    expect(items.map((e) => [e.elementId, e.type, e.elementName, e.state])).toEqual([
      ['start', 'START_EVENT', 'Start', 'COMPLETED'],
      ['task', 'SERVICE_TASK', 'Work', 'COMPLETED'],
      ['end', 'END_EVENT', 'End', 'COMPLETED'],
    ]);
    expect([...items].sort(byKey).map((e) => e.elementId)).toEqual(['start', 'task', 'end']);
    for (const e of items) {
      expect(e.processInstanceKey).toBe(pik);
      expect(e.processDefinitionKey).toBe(serviceTaskKey);
      expect(e.processDefinitionId).toBe('api-service-task');
      expect(e.hasIncident).toBe(false);
      expect(e.tenantId).toBe('<default>');
      expect(Date.parse(String(e.endDate))).toBeGreaterThanOrEqual(Date.parse(e.startDate));
    }
    const starts = items.map((e) => Date.parse(e.startDate));
    expect([...starts].sort((a, b) => a - b)).toEqual(starts);
  });

  it('filters element instances by state and elementId, and GET by key agrees', async () => {
    const pik = await t.createInstance('api-service-task', { orderId: 'S-3' });
    await t.waitForActiveElement(pik, 'task');
    const active = await t.client.searchElementInstances({ filter: { processInstanceKey: key(pik), state: 'ACTIVE' } }, NOW);
    expect((active.items ?? []).filter((e) => e.type !== 'PROCESS').map((e) => e.elementId)).toEqual(['task']);
    const task = await t.client.searchElementInstances({ filter: { processInstanceKey: key(pik), elementId: key('task') } }, NOW);
    expect(task.items ?? []).toHaveLength(1);
    const [item] = task.items ?? [];
    expect(item?.endDate ?? undefined).toBeUndefined();
    const got = await t.client.getElementInstance({ elementInstanceKey: item!.elementInstanceKey }, NOW);
    expect(got).toMatchObject({ elementId: 'task', state: 'ACTIVE', type: 'SERVICE_TASK', processInstanceKey: pik });
    await t.client.cancelProcessInstance({ processInstanceKey: key(pik) });
    const terminated = await t.client.searchElementInstances({ filter: { processInstanceKey: key(pik), state: 'TERMINATED' } }, NOW);
    expect((terminated.items ?? []).filter((e) => e.type !== 'PROCESS').map((e) => e.elementId)).toEqual(['task']);
  });

  it('shows nested element instances and filters them by their scope (elementInstanceScopeKey)', async () => {
    const pik = await t.createInstance('api-subprocess-vars');
    await t.waitForUserTask(pik, 'inner-task');
    const all = await t.client.searchElementInstances(
      { filter: { processInstanceKey: key(pik) }, sort: [{ field: 'elementInstanceKey', order: 'ASC' }] },
      NOW,
    );
    const rows = (all.items ?? []).filter((e) => e.type !== 'PROCESS').map((e) => [e.elementId, e.type, e.state]);
    expect(rows).toEqual([
      ['start', 'START_EVENT', 'COMPLETED'],
      ['sub', 'SUB_PROCESS', 'ACTIVE'],
      ['sub-start', 'START_EVENT', 'COMPLETED'],
      ['inner-task', 'USER_TASK', 'ACTIVE'],
    ]);
    const sub = (all.items ?? []).find((e) => e.elementId === 'sub');
    const children = await t.client.searchElementInstances({ filter: { elementInstanceScopeKey: sub!.elementInstanceKey } }, NOW);
    expect((children.items ?? []).map((e) => e.elementId).sort()).toEqual(['inner-task', 'sub-start']);
    const top = await t.client.searchElementInstances({ filter: { elementInstanceScopeKey: key(pik) } }, NOW);
    expect((top.items ?? []).map((e) => e.elementId).sort()).toEqual(['start', 'sub']);
  });

  it('returns a long variable value in full with truncateValues false and from GET', async () => {
    const long = 'x'.repeat(20_000);
    const pik = await t.createInstance('api-service-task', { long });
    const result = await t.client.searchVariables({ filter: { processInstanceKey: key(pik), name: 'long' }, truncateValues: false }, NOW);
    const [variable] = result.items ?? [];
    expect(variable?.isTruncated).toBe(false);
    expect(JSON.parse(String(variable?.value))).toBe(long);
    const got = await t.client.getVariable({ variableKey: variable!.variableKey }, NOW);
    expect(JSON.parse(String(got.value))).toBe(long);
    await t.client.cancelProcessInstance({ processInstanceKey: key(pik) });
  });

  it('searches variables by process instance and name, showing the latest value as JSON text', async () => {
    const pik = await completedServiceInstance();
    const result = await t.client.searchVariables({ filter: { processInstanceKey: key(pik), name: 'orderId' } }, NOW);
    expect(result.items ?? []).toHaveLength(1);
    const [variable] = result.items ?? [];
    expect(variable).toMatchObject({ name: 'orderId', value: '"S-2"', isTruncated: false, scopeKey: pik, processInstanceKey: pik, tenantId: '<default>' });
    expect(variable?.variableKey).toMatch(/^\d+$/);
    const all = await t.client.searchVariables({ filter: { processInstanceKey: key(pik) }, sort: [{ field: 'name', order: 'ASC' }] }, NOW);
    expect((all.items ?? []).map((v) => [v.name, v.value])).toEqual([
      ['done', 'true'],
      ['orderId', '"S-2"'],
    ]);
    const got = await t.client.getVariable({ variableKey: variable!.variableKey }, NOW);
    expect(got).toMatchObject({ name: 'orderId', value: '"S-2"', scopeKey: pik });
  });
});
