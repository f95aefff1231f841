/**
 * Element instance variables (PUT /element-instances/{key}/variables, local and propagating) and incidents
 * (search, get, resolve after the job's retries were raised).
 *
 * Zeebe's documented propagation: with local=false each variable is set on the nearest scope (from the given
 * element instance upwards) that already defines it, otherwise on the process instance (root) scope; with
 * local=true all variables are set on the given scope only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NOW, key } from '../support/harness.js';
import { expectRefused, startApiEngine, type TestEngine } from './api-support.js';

describe('REST /v2 element instance variables', () => {
  let t: TestEngine;
  beforeAll(async () => {
    t = await startApiEngine();
    await t.deploy('api-subprocess-vars.bpmn', 'api-service-task.bpmn');
  });
  afterAll(async () => {
    await t?.stop();
  });

  async function waitingInSubprocess() {
    const pik = await t.createInstance('api-subprocess-vars', { outer: 'o' });
    const task = await t.waitForUserTask(pik, 'inner-task');
    const sub = (await t.elementInstances(pik)).find((e) => e.elementId === 'sub' && e.state === 'ACTIVE');
    if (!sub) throw new Error('sub-process element instance not found');
    return { pik, taskScope: String(task.elementInstanceKey), subScope: sub.elementInstanceKey, userTaskKey: String(task.userTaskKey) };
  }

  it('starts with the input mapping local to the sub-process', async () => {
    const { pik, subScope, taskScope } = await waitingInSubprocess();
    expect(await t.variables(pik)).toEqual({ outer: 'o' });
    expect(await t.variables(pik, subScope)).toEqual({ inner: 1 });
    expect(await t.variables(pik, taskScope)).toEqual({});
  });

  it('local=false updates each variable where it is defined and puts new ones on the root scope', async () => {
    const { pik, subScope, taskScope } = await waitingInSubprocess();
    await t.client.createElementInstanceVariables({ elementInstanceKey: key(taskScope), variables: { inner: 2, outer: 'o2', fresh: 'x' } });
    expect(await t.variables(pik, taskScope)).toEqual({});
    expect(await t.variables(pik, subScope)).toEqual({ inner: 2 });
    expect(await t.variables(pik)).toEqual({ outer: 'o2', fresh: 'x' });
  });

  it('local=true sets every variable on the given scope only', async () => {
    const { pik, subScope, taskScope, userTaskKey } = await waitingInSubprocess();
    await t.client.createElementInstanceVariables({ elementInstanceKey: key(taskScope), variables: { inner: 99, mine: true }, local: true });
    expect(await t.variables(pik, taskScope)).toEqual({ inner: 99, mine: true });
    expect(await t.variables(pik, subScope)).toEqual({ inner: 1 });
    expect(await t.variables(pik)).toEqual({ outer: 'o' });
    // The task's variables include its own scope and every parent scope.
    const visible = await t.client.searchUserTaskVariables({ userTaskKey: key(userTaskKey) }, NOW);
    const pairs = (visible.items ?? []).map((v) => `${v.name}=${v.value}`);
    expect(pairs).toEqual(expect.arrayContaining(['outer="o"', 'inner=99', 'mine=true']));
  });

  it('refuses a scope that has ended with 404 and changes nothing', async () => {
    const { pik, taskScope, userTaskKey } = await waitingInSubprocess();
    await t.client.completeUserTask({ userTaskKey: key(userTaskKey) });
    await t.waitForInstanceState(pik, 'COMPLETED');
    await expectRefused(t.client.createElementInstanceVariables({ elementInstanceKey: key(taskScope), variables: { late: true } }), 404, 'NOT_FOUND');
    expect(await t.variables(pik)).toEqual({ outer: 'o' });
  });

  it('accepts the process instance key as the scope', async () => {
    const { pik } = await waitingInSubprocess();
    await t.client.createElementInstanceVariables({ elementInstanceKey: key(pik), variables: { top: { level: 1 } } });
    expect(await t.variables(pik)).toEqual({ outer: 'o', top: { level: 1 } });
  });

  it('refuses an unknown element instance with 404 and a non-object variables document with 400', async () => {
    await expectRefused(t.client.createElementInstanceVariables({ elementInstanceKey: key('2251799813999999'), variables: { a: 1 } }), 404, 'NOT_FOUND');
    const { pik, taskScope } = await waitingInSubprocess();
    await expectRefused(t.client.createElementInstanceVariables({ elementInstanceKey: key(taskScope), variables: [1, 2] as never }), 400);
    expect(await t.variables(pik)).toEqual({ outer: 'o' });
    expect(await t.variables(pik, taskScope)).toEqual({});
  });
});

describe('REST /v2 incidents', () => {
  let t: TestEngine;
  beforeAll(async () => {
    t = await startApiEngine();
    await t.deploy('api-service-task.bpmn');
  });
  afterAll(async () => {
    await t?.stop();
  });

  async function incidentInstance() {
    const pik = await t.createInstance('api-service-task', { orderId: 'I-1' });
    const job = await t.waitFor(async () => (await t.client.activateJobs({ type: 'api-work', timeout: 30_000, maxJobsToActivate: 10, requestTimeout: 1_000 })).jobs.find((j) => String(j.processInstanceKey) === pik), { message: `the job of ${pik}` });
    if (!job) throw new Error('no job activated');
    await t.client.failJob({ jobKey: job.jobKey, retries: 0, errorMessage: 'no retries left' });
    const incident = await t.waitForIncident(pik);
    return { pik, job, incident };
  }

  it('search finds the incident with its documented fields; GET returns the same', async () => {
    const { pik, job, incident } = await incidentInstance();
    const result = await t.client.searchIncidents({ filter: { processInstanceKey: key(pik), state: 'ACTIVE' } }, NOW);
    expect(result.items ?? []).toHaveLength(1);
    expect(Number(result.page.totalItems)).toBe(1);
    const [found] = result.items ?? [];
    expect(found).toMatchObject({
      incidentKey: incident.incidentKey,
      errorType: 'JOB_NO_RETRIES',
      errorMessage: 'no retries left',
      elementId: 'task',
      elementInstanceKey: job.elementInstanceKey,
      processInstanceKey: pik,
      processDefinitionId: 'api-service-task',
      processDefinitionKey: job.processDefinitionKey,
      jobKey: job.jobKey,
      state: 'ACTIVE',
      tenantId: '<default>',
    });
    expect(Number.isNaN(Date.parse(String(found?.creationTime)))).toBe(false);
    const byType = await t.client.searchIncidents({ filter: { errorType: 'JOB_NO_RETRIES' }, page: { limit: 100 } }, NOW);
    expect((byType.items ?? []).map((i) => String(i.incidentKey))).toContain(String(incident.incidentKey));
    const got = await t.client.getIncident({ incidentKey: key(String(incident.incidentKey)) }, NOW);
    expect(got).toMatchObject({ incidentKey: incident.incidentKey, errorType: 'JOB_NO_RETRIES', state: 'ACTIVE' });
    const elements = await t.client.searchElementInstances({ filter: { processInstanceKey: key(pik), elementId: key('task') } }, NOW);
    expect(elements.items?.[0]).toMatchObject({ hasIncident: true, incidentKey: incident.incidentKey, state: 'ACTIVE' });
    expect((await t.getInstance(pik)).hasIncident).toBe(true);
    const withIncident = await t.client.searchProcessInstances({ filter: { hasIncident: true }, page: { limit: 100 } }, NOW);
    expect((withIncident.items ?? []).map((i) => String(i.processInstanceKey))).toContain(pik);
  });

  it('resolving after raising the retries makes the job activatable again and the instance can finish', async () => {
    const { pik, job, incident } = await incidentInstance();
    await t.client.updateJob({ jobKey: job.jobKey, changeset: { retries: 1 } });
    await t.client.resolveIncident({ incidentKey: key(String(incident.incidentKey)) });
    const resolved = await t.client.getIncident({ incidentKey: key(String(incident.incidentKey)) }, NOW);
    expect(resolved.state).toBe('RESOLVED');
    expect((await t.getInstance(pik)).hasIncident).toBe(false);
    const active = await t.client.searchIncidents({ filter: { processInstanceKey: key(pik), state: 'ACTIVE' } }, NOW);
    expect(active.items ?? []).toHaveLength(0);

    const [again] = (await t.client.activateJobs({ type: 'api-work', timeout: 30_000, maxJobsToActivate: 1, requestTimeout: 5_000 })).jobs;
    expect(again?.jobKey).toBe(job.jobKey);
    expect(again?.retries).toBe(1);
    await t.client.completeJob({ jobKey: job.jobKey, variables: { recovered: true } });
    await t.waitForInstanceState(pik, 'COMPLETED');
    expect(await t.variables(pik)).toEqual({ orderId: 'I-1', recovered: true });
    // A resolved incident no longer exists in the runtime: resolving again is NOT_FOUND, as in Zeebe.
    await expectRefused(t.client.resolveIncident({ incidentKey: key(String(incident.incidentKey)) }), 404, 'NOT_FOUND');
  });

  it('resolving an unknown incident is 404', async () => {
    await expectRefused(t.client.resolveIncident({ incidentKey: key('2251799813999999') }), 404, 'NOT_FOUND');
  });
});
