/**
 * Call activities: called by process id, variable propagation in both directions, io mappings.
 * Docs: https://docs.camunda.io/docs/components/modeler/bpmn/call-activities/#variable-mappings
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NOW, key, startTestEngine, type TestEngine } from '../support/harness.js';

let t: TestEngine;

beforeAll(async () => {
  t = await startTestEngine();
  await t.deploy('ca-child.bpmn', 'ca-parent-all.bpmn', 'ca-parent-mapped.bpmn', 'ca-parent-input.bpmn', 'ca-child-wait.bpmn', 'ca-parent-wait.bpmn', 'ca-child-error.bpmn', 'ca-parent-error.bpmn', 'ca-parent-dynamic.bpmn', 'ca-parent-boundary.bpmn');
});

afterAll(async () => {
  await t?.stop();
});

async function childOf(parentKey: string, childProcessId = 'ca-child'): Promise<string> {
  const found = await t.waitFor(
    async () => {
      const result = await t.api.searchProcessInstances({ filter: { parentProcessInstanceKey: key(parentKey) } }, NOW);
      return result.items?.[0];
    },
    { message: `a child instance of ${parentKey}` },
  );
  expect(String(found.processDefinitionId)).toBe(childProcessId);
  return String(found.processInstanceKey);
}

describe('call activity', () => {
  it('starts the latest version of the called process, waits for it, then continues', async () => {
    const parent = await t.createInstance('ca-parent-all', { input: 5 });
    await t.waitForInstanceState(parent, 'COMPLETED');
    const child = await childOf(parent);
    const childInstance = await t.getInstance(child);
    expect(childInstance.state).toBe('COMPLETED');
    expect(String(childInstance.parentProcessInstanceKey)).toBe(parent);
    const call = (await t.elementInstances(parent)).find((e) => e.elementId === 'call');
    expect(call?.type).toBe('CALL_ACTIVITY');
    expect(call?.state).toBe('COMPLETED');
    expect(await t.completedElementIds(parent)).toEqual(['start', 'call', 'end']);
  });

  it('by default all parent variables are copied into the child and all child variables come back', async () => {
    const parent = await t.createInstance('ca-parent-all', { input: 5, note: 'from-parent' });
    await t.waitForInstanceState(parent, 'COMPLETED');
    const child = await childOf(parent);
    expect(await t.variables(child)).toEqual({ input: 5, note: 'from-parent', childResult: 10, childOnly: 'child-only' });
    expect(await t.variables(parent)).toEqual({ input: 5, note: 'from-parent', childResult: 10, childOnly: 'child-only' });
  });

  it('propagateAllChildVariables=false: only the output mappings come back', async () => {
    const parent = await t.createInstance('ca-parent-mapped', { input: 7 });
    await t.waitForInstanceState(parent, 'COMPLETED');
    expect(await t.variables(parent)).toEqual({ input: 7, fromChild: 14 });
  });

  it('propagateAllParentVariables=false: the child sees only its input mappings', async () => {
    const parent = await t.createInstance('ca-parent-input', { base: 1, secret: 's3cr3t' });
    await t.waitForInstanceState(parent, 'COMPLETED');
    const child = await childOf(parent);
    const childVars = await t.variables(child);
    expect(childVars.input).toBe(2);
    expect(childVars).not.toHaveProperty('secret');
    expect(childVars).not.toHaveProperty('base');
    // child variables propagate back by default; `input` is local to the call activity (input mapping) and ends with it
    expect(await t.variables(parent)).toEqual({ base: 1, secret: 's3cr3t', childResult: 4, childOnly: 'child-only' });
  });

  it('cancelling the parent terminates the called child instance and its job', async () => {
    const parent = await t.createInstance('ca-parent-wait', {});
    const child = await childOf(parent, 'ca-child-wait');
    await t.waitForActiveElement(child, 'child_task');
    await t.api.cancelProcessInstance({ processInstanceKey: key(parent) });
    await t.waitForInstanceState(parent, 'TERMINATED');
    await t.waitForInstanceState(child, 'TERMINATED');
    expect(await t.activate('ca-child-wait-job')).toEqual([]);
  });

  it('with propagateAllChildVariables=false and no output mappings nothing comes back', async () => {
    const parent = await t.createInstance('ca-parent-wait', { keep: 1 });
    const child = await childOf(parent, 'ca-child-wait');
    const job = await t.waitForJob('ca-child-wait-job');
    expect(String(job.processInstanceKey)).toBe(child);
    await job.complete({ fromChildJob: 'x' });
    await t.waitForInstanceState(parent, 'COMPLETED');
    expect(await t.variables(child)).toEqual({ keep: 1, fromChildJob: 'x' });
    expect(await t.variables(parent)).toEqual({ keep: 1 });
  });

  it('a BPMN error thrown in the child is caught by an error boundary event on the call activity', async () => {
    const parent = await t.createInstance('ca-parent-error');
    await t.waitForInstanceState(parent, 'COMPLETED');
    const child = await childOf(parent, 'ca-child-error');
    expect((await t.getInstance(child)).state).toBe('TERMINATED');
    const elements = await t.elementInstances(parent);
    expect(elements.find((e) => e.elementId === 'call')?.state).toBe('TERMINATED');
    expect(elements.find((e) => e.elementId === 'end_error')?.state).toBe('COMPLETED');
    expect(elements.some((e) => e.elementId === 'end')).toBe(false);
    expect(await t.incidents(parent)).toEqual([]);
  });

  it('a called process id that is not deployed raises CALLED_ELEMENT_ERROR; fixing the variable and resolving continues', async () => {
    const parent = await t.createInstance('ca-parent-dynamic', { childId: 'not-deployed', input: 3 });
    const incident = await t.waitForIncident(parent);
    expect(incident.errorType).toBe('CALLED_ELEMENT_ERROR');
    expect(String(incident.elementId)).toBe('call');
    await t.api.createElementInstanceVariables({ elementInstanceKey: key(parent), variables: { childId: 'ca-child' } });
    await t.api.resolveIncident({ incidentKey: key(String(incident.incidentKey)) });
    await t.waitForInstanceState(parent, 'COMPLETED');
    expect((await t.variables(parent)).childResult).toBe(6);
  });

  it('an interrupting boundary event on the call activity terminates the child; its variables do not come back', async () => {
    const parent = await t.createInstance('ca-parent-boundary', { ticket: 'c-1' });
    const child = await childOf(parent, 'ca-child-wait');
    await t.waitForActiveElement(child, 'child_task');
    await t.api.createElementInstanceVariables({ elementInstanceKey: key(child), variables: { childState: 'half-done' } });
    await t.publishMessage('abort-call', 'c-1');
    await t.waitForInstanceState(parent, 'COMPLETED');
    expect((await t.getInstance(child)).state).toBe('TERMINATED');
    expect((await t.elementInstances(parent)).find((e) => e.elementId === 'end_aborted')?.state).toBe('COMPLETED');
    expect(await t.variables(parent)).toEqual({ ticket: 'c-1' });
    expect(await t.activate('ca-child-wait-job')).toEqual([]);
  });
});
