/**
 * The endpoints a live diagram reads, through the official client (responses validated against the 8.8
 * schemas): the sequence flows an instance took, and element instance statistics per process instance and per
 * process definition (with the 8.8 filter, `$or` included), counted as Operate counts them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { key, NOW } from '../support/harness.js';
import { expectRefused, startApiEngine, type TestEngine } from './api-support.js';

const PROCESS = 'statistics-flow';

describe('REST /v2 live diagram: sequence flows and element statistics', () => {
  let t: TestEngine;
  let definitionKey: string;
  /** Completed through a; waiting at b; failed at a (incident); cancelled at b. */
  const pik: Record<'done' | 'waiting' | 'incident' | 'cancelled', string> = { done: '', waiting: '', incident: '', cancelled: '' };

  beforeAll(async () => {
    t = await startApiEngine();
    const deployment = await t.deploy('statistics-flow.bpmn');
    definitionKey = String(deployment.deployments[0]!.processDefinition!.processDefinitionKey);

    pik.done = await t.createInstance(PROCESS, { path: 'a' });
    const jobA = await t.waitForJob('statistics-a');
    await t.client.completeJob({ jobKey: key(jobA.jobKey) });
    await t.waitForInstanceState(pik.done, 'COMPLETED');

    pik.waiting = await t.createInstance(PROCESS, { path: 'b' });
    pik.incident = await t.createInstance(PROCESS, { path: 'a' });
    const failing = await t.waitForJob('statistics-a');
    await t.client.failJob({ jobKey: key(failing.jobKey), retries: 0, errorMessage: 'no' });
    await t.waitForIncident(pik.incident);
    pik.cancelled = await t.createInstance(PROCESS, { path: 'b' });
    await t.client.cancelProcessInstance({ processInstanceKey: key(pik.cancelled) });
  });
  afterAll(async () => {
    await t?.stop();
  });

  /** Counts by element id (the client parses the int64 counts as bigint). */
  const byElement = (items: Array<{ elementId?: unknown; active?: unknown; canceled?: unknown; incidents?: unknown; completed?: unknown }> | undefined) =>
    Object.fromEntries(
      (items ?? []).map((s) => [
        String(s.elementId),
        { active: Number(s.active), canceled: Number(s.canceled), incidents: Number(s.incidents), completed: Number(s.completed) },
      ]),
    );

  it('lists each sequence flow an instance took once, named <processInstanceKey>_<flow id>', async () => {
    const done = await t.client.getProcessInstanceSequenceFlows({ processInstanceKey: key(pik.done) }, NOW);
    expect(done.items).toEqual(
      ['toGateway', 'toA', 'fromA'].map((flow) => ({
        sequenceFlowId: `${pik.done}_${flow}`,
        processInstanceKey: pik.done,
        processDefinitionKey: definitionKey,
        processDefinitionId: PROCESS,
        elementId: flow,
        tenantId: '<default>',
      })),
    );
    const waiting = await t.client.getProcessInstanceSequenceFlows({ processInstanceKey: key(pik.waiting) }, NOW);
    expect((waiting.items ?? []).map((f) => f.elementId)).toEqual(['toGateway', 'toB']);
    await expectRefused(t.client.getProcessInstanceSequenceFlows({ processInstanceKey: key('2251799813999999') }, NOW), 404);
  });

  it('counts the element instances of one process instance', async () => {
    const done = await t.client.getProcessInstanceStatistics({ processInstanceKey: key(pik.done) }, NOW);
    expect(byElement(done.items)).toEqual({
      start: { active: 0, canceled: 0, incidents: 0, completed: 1 },
      route: { active: 0, canceled: 0, incidents: 0, completed: 1 },
      a: { active: 0, canceled: 0, incidents: 0, completed: 1 },
      end: { active: 0, canceled: 0, incidents: 0, completed: 1 },
    });
    const incident = await t.client.getProcessInstanceStatistics({ processInstanceKey: key(pik.incident) }, NOW);
    expect(byElement(incident.items).a).toEqual({ active: 0, canceled: 0, incidents: 1, completed: 0 });
    const cancelled = await t.client.getProcessInstanceStatistics({ processInstanceKey: key(pik.cancelled) }, NOW);
    expect(byElement(cancelled.items).b).toEqual({ active: 0, canceled: 1, incidents: 0, completed: 0 });
    await expectRefused(t.client.getProcessInstanceStatistics({ processInstanceKey: key('2251799813999999') }, NOW), 404);
  });

  it('counts over the instances of a definition that match the filter', async () => {
    const all = await t.client.getProcessDefinitionStatistics({ processDefinitionKey: key(definitionKey) }, NOW);
    expect(byElement(all.items)).toEqual({
      start: { active: 0, canceled: 0, incidents: 0, completed: 4 },
      route: { active: 0, canceled: 0, incidents: 0, completed: 4 },
      a: { active: 0, canceled: 0, incidents: 1, completed: 1 },
      b: { active: 1, canceled: 1, incidents: 0, completed: 0 },
      end: { active: 0, canceled: 0, incidents: 0, completed: 1 },
    });

    const active = await t.client.getProcessDefinitionStatistics({ processDefinitionKey: key(definitionKey), filter: { state: 'ACTIVE' } }, NOW);
    expect(byElement(active.items)).toEqual({
      start: { active: 0, canceled: 0, incidents: 0, completed: 2 },
      route: { active: 0, canceled: 0, incidents: 0, completed: 2 },
      a: { active: 0, canceled: 0, incidents: 1, completed: 0 },
      b: { active: 1, canceled: 0, incidents: 0, completed: 0 },
    });

    const either = await t.client.getProcessDefinitionStatistics(
      {
        processDefinitionKey: key(definitionKey),
        filter: { $or: [{ processInstanceKey: key(pik.done) }, { state: 'TERMINATED' }] } as never,
      },
      NOW,
    );
    expect(Object.keys(byElement(either.items)).sort()).toEqual(['a', 'b', 'end', 'route', 'start']);
    expect(byElement(either.items).b).toEqual({ active: 0, canceled: 1, incidents: 0, completed: 0 });

    await expectRefused(
      t.client.getProcessDefinitionStatistics({ processDefinitionKey: key(definitionKey), filter: { errorMessage: 'x' } as never }, NOW),
      400,
    );
    await expectRefused(t.client.getProcessDefinitionStatistics({ processDefinitionKey: key('2251799813999999') }, NOW), 404);
  });
});
