import { describe, expect, it } from 'vitest';
import { createTestEngine } from './testing/engine-harness.js';

const bpmn = (body: string) => `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="d" targetNamespace="http://bpmn.io/schema/bpmn">
${body}
</bpmn:definitions>`;

const serviceTask = bpmn(`<bpmn:process id="p1" isExecutable="true">
  <bpmn:startEvent id="start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
  <bpmn:serviceTask id="task"><bpmn:extensionElements><zeebe:taskDefinition type="work" retries="2" /></bpmn:extensionElements><bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing></bpmn:serviceTask>
  <bpmn:endEvent id="end"><bpmn:incoming>f2</bpmn:incoming></bpmn:endEvent>
  <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="task" />
  <bpmn:sequenceFlow id="f2" sourceRef="task" targetRef="end" />
</bpmn:process>`);

describe('engine core', () => {
  it('runs a service task process to completion through a job', async () => {
    const { core, queries, deploy } = await createTestEngine();
    await deploy('p1.bpmn', serviceTask);
    const { instance } = await core.createProcessInstance({ processDefinitionId: 'p1', variables: { a: 1 } });
    const jobs = await core.activateJobs({ type: 'work', timeout: 1000, maxJobsToActivate: 5, worker: 'w' });
    expect(jobs).toHaveLength(1);
    expect(jobs[0]!.variables).toEqual({ a: 1 });
    await core.completeJob(jobs[0]!.job.jobKey, { b: 2 });
    const pi = await queries.getProcessInstance(instance.processInstanceKey);
    expect(pi.state).toBe('COMPLETED');
    const vars = await queries.searchVariables({ filters: [{ field: 'processInstanceKey', op: '$eq', value: instance.processInstanceKey }], sort: [], offset: 0, limit: 100 });
    expect(Object.fromEntries(vars.items.map((v) => [v.name, JSON.parse(v.value)]))).toEqual({ a: 1, b: 2 });
    const els = await queries.searchElementInstances({ filters: [{ field: 'processInstanceKey', op: '$eq', value: instance.processInstanceKey }], sort: [], offset: 0, limit: 100 });
    expect(els.items.map((e) => [e.elementId, e.state])).toEqual([['start', 'COMPLETED'], ['task', 'COMPLETED'], ['end', 'COMPLETED']]);
    await core.stop();
  });

  it('long-polls and wakes as soon as a job is created', async () => {
    const { core, deploy } = await createTestEngine();
    await deploy('p1.bpmn', serviceTask);
    const polling = core.activateJobs({ type: 'work', timeout: 1000, maxJobsToActivate: 5, requestTimeout: 5000 });
    await core.createProcessInstance({ processDefinitionId: 'p1' });
    const jobs = await polling;
    expect(jobs).toHaveLength(1);
    await core.stop();
  });

  it('hands each job to one of two activations waiting for its type (a worker runtime keeps two in flight)', async () => {
    const { core, deploy } = await createTestEngine();
    await deploy('p1.bpmn', serviceTask);
    const first = core.activateJobs({ type: 'work', worker: 'a', timeout: 1000, maxJobsToActivate: 2, requestTimeout: 5000 });
    const second = core.activateJobs({ type: 'work', worker: 'b', timeout: 1000, maxJobsToActivate: 2, requestTimeout: 5000 });
    const created = await Promise.all([1, 2, 3].map(() => core.createProcessInstance({ processDefinitionId: 'p1' })));
    const [a, b] = await Promise.all([first, second]);
    const keysA = a.map((j) => j.job.jobKey);
    const keysB = b.map((j) => j.job.jobKey);
    expect(keysA.filter((key) => keysB.includes(key))).toEqual([]);
    expect(new Set([...keysA, ...keysB]).size).toBe(keysA.length + keysB.length);
    expect([...a, ...b].map((j) => j.job.processInstanceKey).sort()).toEqual(created.map((c) => c.instance.processInstanceKey).sort());
    // Every job is taken: a third request finds none.
    expect(await core.activateJobs({ type: 'work', timeout: 1000, maxJobsToActivate: 5, requestTimeout: -1 })).toEqual([]);
    await core.stop();
  });

  it('raises an incident when retries are exhausted', async () => {
    const { core, queries, deploy } = await createTestEngine();
    await deploy('p1.bpmn', serviceTask);
    await core.createProcessInstance({ processDefinitionId: 'p1' });
    const [job] = await core.activateJobs({ type: 'work', timeout: 1000, maxJobsToActivate: 1 });
    await core.failJob(job!.job.jobKey, { retries: 0, errorMessage: 'boom' });
    const incidents = await queries.searchIncidents({ filters: [], sort: [], offset: 0, limit: 10 });
    expect(incidents.items.map((i) => [i.errorType, i.errorMessage, i.state])).toEqual([['JOB_NO_RETRIES', 'boom', 'ACTIVE']]);
    await core.updateJob(job!.job.jobKey, { retries: 1 });
    await core.resolveIncident(incidents.items[0]!.incidentKey);
    const again = await core.activateJobs({ type: 'work', timeout: 1000, maxJobsToActivate: 1 });
    expect(again).toHaveLength(1);
    await core.stop();
  });
});
