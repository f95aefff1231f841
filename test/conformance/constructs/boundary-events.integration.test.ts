/**
 * Boundary events (error, message, signal; interrupting and not) on a waiting service task. Timer boundary
 * events are in timers.integration.test.ts, escalation boundary events in events.integration.test.ts.
 * Docs: https://docs.camunda.io/docs/components/modeler/bpmn/events/#boundary-events
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEngine, type TestEngine } from '../support/harness.js';

let t: TestEngine;

beforeAll(async () => {
  t = await startTestEngine();
  await t.deploy(
    'boundary-error.bpmn',
    'boundary-error-catchall.bpmn',
    'boundary-message.bpmn',
    'boundary-message-nonint.bpmn',
    'boundary-signal.bpmn',
    'boundary-signal-nonint.bpmn',
  );
});

afterAll(async () => {
  await t?.stop();
});

async function stateOf(key: string, elementId: string): Promise<string[]> {
  return (await t.elementInstances(key)).filter((e) => e.elementId === elementId).map((e) => e.state);
}

describe('error boundary events', () => {
  it('a BPMN error thrown by the worker with a matching code is caught; its variables reach the process', async () => {
    const key = await t.createInstance('boundary-error');
    const job = await t.waitForJob('boundary-error-job');
    await job.error({ errorCode: 'PAYMENT_REJECTED', errorMessage: 'card declined', variables: { reason: 'declined' } });
    await t.waitForInstanceState(key, 'COMPLETED');
    expect(await stateOf(key, 'task')).toEqual(['TERMINATED']);
    expect(await stateOf(key, 'end_boundary')).toEqual(['COMPLETED']);
    expect(await stateOf(key, 'end')).toEqual([]);
    const vars = await t.variables(key);
    expect(vars.path).toBe('boundary');
    expect(vars.reason).toBe('declined');
  });

  it('an error boundary without errorRef catches any error code', async () => {
    const key = await t.createInstance('boundary-error-catchall');
    const job = await t.waitForJob('boundary-error-catchall-job');
    await job.error({ errorCode: 'ANYTHING', errorMessage: 'x' });
    await t.waitForInstanceState(key, 'COMPLETED');
    expect(await stateOf(key, 'end_boundary')).toEqual(['COMPLETED']);
    expect(await t.incidents(key)).toEqual([]);
  });

  it('an error whose code matches no catch event raises an UNHANDLED_ERROR_EVENT incident', async () => {
    const key = await t.createInstance('boundary-error');
    const job = await t.waitForJob('boundary-error-job');
    await job.error({ errorCode: 'OTHER_CODE', errorMessage: 'nobody catches this' });
    const incident = await t.waitForIncident(key);
    expect(incident.errorType).toBe('UNHANDLED_ERROR_EVENT');
    expect((await t.getInstance(key)).state).toBe('ACTIVE');
  });
});

describe('message boundary events', () => {
  it('interrupting: the message for this instance cancels the task and takes the boundary path', async () => {
    const a = await t.createInstance('boundary-message', { orderId: 'm-1' });
    const b = await t.createInstance('boundary-message', { orderId: 'm-2' });
    await t.waitForActiveElement(a, 'task');
    await t.waitForActiveElement(b, 'task');
    await t.publishMessage('cancel-request', 'm-1', { cancelledBy: 'customer' });
    await t.waitForInstanceState(a, 'COMPLETED');
    expect(await stateOf(a, 'task')).toEqual(['TERMINATED']);
    expect((await t.variables(a)).cancelledBy).toBe('customer');
    // the other instance is untouched and its job is still there
    expect(await t.activeElementIds(b)).toEqual(['task']);
    const job = await t.waitForJob('boundary-message-job');
    expect(String(job.processInstanceKey)).toBe(b);
    await job.complete();
    await t.waitForInstanceState(b, 'COMPLETED');
    expect(await stateOf(b, 'end')).toEqual(['COMPLETED']);
    expect(await stateOf(b, 'boundary')).toEqual([]);
  });

  it('non-interrupting: each message runs the boundary path while the task stays active', async () => {
    const key = await t.createInstance('boundary-message-nonint', { orderId: 'n-1' });
    await t.waitForActiveElement(key, 'task');
    await t.publishMessage('ping', 'n-1');
    await t.waitFor(async () => (await stateOf(key, 'end_boundary')).length === 1, { message: 'first boundary path' });
    await t.publishMessage('ping', 'n-1');
    await t.waitFor(async () => (await stateOf(key, 'end_boundary')).length === 2, { message: 'second boundary path' });
    expect(await stateOf(key, 'task')).toEqual(['ACTIVE']);
    const job = await t.waitForJob('boundary-message-nonint-job');
    await job.complete();
    await t.waitForInstanceState(key, 'COMPLETED');
    expect(await stateOf(key, 'task')).toEqual(['COMPLETED']);
    expect(await stateOf(key, 'end')).toEqual(['COMPLETED']);
  });
});

describe('signal boundary events', () => {
  it('interrupting: a broadcast signal cancels the task', async () => {
    const key = await t.createInstance('boundary-signal');
    await t.waitForActiveElement(key, 'task');
    await t.broadcastSignal('abort-signal');
    await t.waitForInstanceState(key, 'COMPLETED');
    expect(await stateOf(key, 'task')).toEqual(['TERMINATED']);
    expect(await stateOf(key, 'end_boundary')).toEqual(['COMPLETED']);
  });

  it('non-interrupting: the boundary path runs and the task keeps waiting for its worker', async () => {
    const key = await t.createInstance('boundary-signal-nonint');
    await t.waitForActiveElement(key, 'task');
    await t.broadcastSignal('poke-signal');
    await t.waitFor(async () => (await stateOf(key, 'end_boundary')).length === 1, { message: 'boundary path' });
    expect(await stateOf(key, 'task')).toEqual(['ACTIVE']);
    const job = await t.waitForJob('boundary-signal-nonint-job');
    await job.complete();
    await t.waitForInstanceState(key, 'COMPLETED');
  });
});
