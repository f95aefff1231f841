/**
 * Process instances: create by id and by key with variables, awaitCompletion + fetchVariables, cancel,
 * search with filters and paging, get.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NOW, key } from '../support/harness.js';
import { expectRefused, startApiEngine, type TestEngine } from './api-support.js';

describe('REST /v2 process instances', () => {
  let t: TestEngine;
  let serviceTaskKey: string;
  beforeAll(async () => {
    t = await startApiEngine();
    const deployed = await t.deploy('api-service-task.bpmn', 'api-script-sum.bpmn', 'api-paging.bpmn');
    serviceTaskKey = String(deployed.processes.find((p) => p.processDefinitionId === 'api-service-task')?.processDefinitionKey);
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('creates an instance by process id and answers with its keys and definition', async () => {
    const created = await t.client.createProcessInstance({ processDefinitionId: key('api-service-task') });
    expect(created.processInstanceKey).toMatch(/^\d+$/);
    expect(created.processDefinitionKey).toBe(serviceTaskKey);
    expect(created.processDefinitionId).toBe('api-service-task');
    expect(created.processDefinitionVersion).toBe(1);
    expect(created.tenantId).toBe('<default>');
    expect(created.variables).toEqual({});
  });

  it('creates an instance by key with variables and GET returns it ACTIVE with those variables', async () => {
    const before = Date.now();
    const created = await t.client.createProcessInstance({
      processDefinitionKey: key(serviceTaskKey),
      variables: { orderId: 'A-1', amount: 12.5, items: [1, 2], nested: { ok: true } },
    });
    const pik = String(created.processInstanceKey);
    const instance = await t.client.getProcessInstance({ processInstanceKey: created.processInstanceKey }, NOW);
    expect(instance).toMatchObject({
      processInstanceKey: pik,
      processDefinitionKey: serviceTaskKey,
      processDefinitionId: 'api-service-task',
      processDefinitionName: 'API service task',
      processDefinitionVersion: 1,
      state: 'ACTIVE',
      hasIncident: false,
      tenantId: '<default>',
    });
    expect(instance.endDate ?? undefined).toBeUndefined();
    expect(Date.parse(instance.startDate)).toBeGreaterThanOrEqual(before - 1000);
    expect(await t.variables(pik)).toEqual({ orderId: 'A-1', amount: 12.5, items: [1, 2], nested: { ok: true } });
    await t.waitForActiveElement(pik, 'task');
  });

  it('awaitCompletion returns the final variables, filtered by fetchVariables', async () => {
    const all = await t.client.createProcessInstance({
      processDefinitionId: key('api-script-sum'),
      variables: { a: 2, b: 3, note: 'x' },
      awaitCompletion: true,
    });
    expect(all.variables).toEqual({ a: 2, b: 3, note: 'x', sum: 5 });
    const state = await t.getInstance(String(all.processInstanceKey));
    expect(state.state).toBe('COMPLETED');
    expect(state.endDate).toBeTruthy();

    const some = await t.client.createProcessInstance({
      processDefinitionId: key('api-script-sum'),
      variables: { a: 40, b: 2, note: 'y' },
      awaitCompletion: true,
      fetchVariables: ['sum', 'a'],
    });
    expect(some.variables).toEqual({ sum: 42, a: 40 });
  });

  it('awaitCompletion that outlasts requestTimeout is refused with 504 and the instance keeps running', async () => {
    const before = (await t.client.searchProcessInstances({ filter: { processDefinitionId: 'api-service-task' } }, NOW)).page.totalItems;
    await expectRefused(
      t.client.createProcessInstance({ processDefinitionId: key('api-service-task'), awaitCompletion: true, requestTimeout: 300 }),
      504,
    );
    const after = await t.client.searchProcessInstances({ filter: { processDefinitionId: 'api-service-task', state: 'ACTIVE' } }, NOW);
    expect(Number(after.page.totalItems)).toBeGreaterThan(0);
    expect(Number((await t.client.searchProcessInstances({ filter: { processDefinitionId: 'api-service-task' } }, NOW)).page.totalItems)).toBe(Number(before) + 1);
  });

  it('cancels an active instance: TERMINATED with an end date, its waiting task terminated; cancelling again is 404', async () => {
    const pik = await t.createInstance('api-service-task');
    await t.waitForActiveElement(pik, 'task');
    const activated = await t.client.activateJobs({ type: 'api-work', timeout: 60_000, maxJobsToActivate: 100, requestTimeout: -1 });
    const jobKey = activated.jobs.find((j) => String(j.processInstanceKey) === pik)?.jobKey;
    expect(jobKey).toBeDefined();
    await t.client.cancelProcessInstance({ processInstanceKey: key(pik) });
    const instance = await t.getInstance(pik);
    expect(instance.state).toBe('TERMINATED');
    expect(instance.endDate).toBeTruthy();
    const task = (await t.elementInstances(pik)).find((e) => e.elementId === 'task');
    expect(task?.state).toBe('TERMINATED');
    // Its job is gone with it.
    await expectRefused(t.client.completeJob({ jobKey: key(String(jobKey)) }), 404, 'NOT_FOUND');
    // Zeebe rejects cancelling an instance that is no longer active with NOT_FOUND.
    await expectRefused(t.client.cancelProcessInstance({ processInstanceKey: key(pik) }), 404, 'NOT_FOUND');
    expect((await t.getInstance(pik)).state).toBe('TERMINATED');
  });

  it('searches by processDefinitionId and state', async () => {
    const active = await t.createInstance('api-service-task');
    const cancelled = await t.createInstance('api-service-task');
    await t.client.cancelProcessInstance({ processInstanceKey: key(cancelled) });

    const activeHits = await t.client.searchProcessInstances({ filter: { processDefinitionId: 'api-service-task', state: 'ACTIVE' }, page: { limit: 100 } }, NOW);
    const activeKeys = (activeHits.items ?? []).map((i) => String(i.processInstanceKey));
    expect(activeKeys).toContain(active);
    expect(activeKeys).not.toContain(cancelled);
    expect((activeHits.items ?? []).every((i) => i.state === 'ACTIVE' && i.processDefinitionId === 'api-service-task')).toBe(true);

    const terminated = await t.client.searchProcessInstances({ filter: { state: 'TERMINATED' }, page: { limit: 100 } }, NOW);
    const terminatedKeys = (terminated.items ?? []).map((i) => String(i.processInstanceKey));
    expect(terminatedKeys).toContain(cancelled);
    expect(terminatedKeys).not.toContain(active);

    const other = await t.client.searchProcessInstances({ filter: { processDefinitionId: 'api-script-sum' }, page: { limit: 100 } }, NOW);
    expect((other.items ?? []).map((i) => String(i.processInstanceKey))).not.toContain(active);

    const byKey = await t.client.searchProcessInstances({ filter: { processInstanceKey: key(active) } }, NOW);
    expect((byKey.items ?? []).map((i) => String(i.processInstanceKey))).toEqual([active]);
    expect(Number(byKey.page.totalItems)).toBe(1);
  });

  it('supports the advanced filter operators $in, $neq and $like', async () => {
    const a = await t.createInstance('api-service-task');
    const b = await t.createInstance('api-service-task');
    const c = await t.createInstance('api-service-task');
    await t.client.cancelProcessInstance({ processInstanceKey: key(c) });
    const keys = (r: { items?: Array<{ processInstanceKey: unknown }> }) => (r.items ?? []).map((i) => String(i.processInstanceKey)).sort();

    const byKeys = await t.client.searchProcessInstances({ filter: { processInstanceKey: { $in: [key(a), key(c)] } } }, NOW);
    expect(keys(byKeys)).toEqual([a, c].sort());
    const notTerminated = await t.client.searchProcessInstances(
      { filter: { processInstanceKey: { $in: [key(a), key(b), key(c)] }, state: { $neq: 'TERMINATED' } } },
      NOW,
    );
    expect(keys(notTerminated)).toEqual([a, b].sort());
    const states = await t.client.searchProcessInstances(
      { filter: { processInstanceKey: { $in: [key(a), key(b), key(c)] }, state: { $in: ['TERMINATED', 'COMPLETED'] } } },
      NOW,
    );
    expect(keys(states)).toEqual([c]);
    const like = await t.client.searchProcessInstances(
      { filter: { processInstanceKey: { $in: [key(a), key(b)] }, processDefinitionId: { $like: 'api-service-*' } } },
      NOW,
    );
    expect(keys(like)).toEqual([a, b].sort());
    const unlike = await t.client.searchProcessInstances({ filter: { processInstanceKey: key(a), processDefinitionId: { $like: 'api-script*' } } }, NOW);
    expect(keys(unlike)).toEqual([]);
  });

  it('pages through search results with from/limit, sorted, with the full total on every page', async () => {
    const created: string[] = [];
    for (let i = 0; i < 5; i++) created.push(await t.createInstance('api-paging', { i }));
    const query = (from: number) =>
      t.client.searchProcessInstances(
        { filter: { processDefinitionId: 'api-paging' }, sort: [{ field: 'processInstanceKey', order: 'ASC' }], page: { from, limit: 2 } },
        NOW,
      );
    const pages = [await query(0), await query(2), await query(4)];
    expect(pages.map((p) => Number(p.page.totalItems))).toEqual([5, 5, 5]);
    expect(pages.map((p) => (p.items ?? []).length)).toEqual([2, 2, 1]);
    const seen = pages.flatMap((p) => (p.items ?? []).map((i) => String(i.processInstanceKey)));
    const sorted = [...created].sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : BigInt(a) > BigInt(b) ? 1 : 0));
    expect(seen).toEqual(sorted);

    const desc = await t.client.searchProcessInstances(
      { filter: { processDefinitionId: 'api-paging' }, sort: [{ field: 'processInstanceKey', order: 'DESC' }], page: { limit: 1 } },
      NOW,
    );
    expect((desc.items ?? []).map((i) => String(i.processInstanceKey))).toEqual([sorted[4]]);
  });

  it('creating an instance of a version that does not exist is 404', async () => {
    await expectRefused(t.client.createProcessInstance({ processDefinitionId: key('api-service-task'), processDefinitionVersion: 99 }), 404, 'NOT_FOUND');
    await expectRefused(t.client.createProcessInstance({ processDefinitionKey: key('2251799813999999') }), 404, 'NOT_FOUND');
  });

  it('GET of an unknown process instance is 404', async () => {
    await expectRefused(t.client.getProcessInstance({ processInstanceKey: key('2251799813999999') }, NOW), 404, 'NOT_FOUND');
  });

  it('creating an instance of an unknown process is 404 and creates nothing', async () => {
    await expectRefused(t.client.createProcessInstance({ processDefinitionId: key('api-does-not-exist') }), 404, 'NOT_FOUND');
    const hits = await t.client.searchProcessInstances({ filter: { processDefinitionId: 'api-does-not-exist' } }, NOW);
    expect(Number(hits.page.totalItems)).toBe(0);
  });
});
