/**
 * Start, end, intermediate catch and throw events with Zeebe semantics, through the official client.
 * Docs: https://docs.camunda.io/docs/components/modeler/bpmn/{none-events,message-events,signal-events,
 * error-events,escalation-events,terminate-events,link-events}/
 * Cases that only start an instance and check its outcome are data: fixtures/constructs/<name>.expect.json, run by
 * fixtures.integration.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEngine, waitFor, type TestEngine } from '../support/harness.js';

let t: TestEngine;

beforeAll(async () => {
  t = await startTestEngine();
  await t.deploy(
    'start-message.bpmn',
    'start-signal.bpmn',
    'catch-message.bpmn',
    'catch-signal.bpmn',
    'message-end-job.bpmn',
    'signal-end.bpmn',
    'signal-end-listener.bpmn',
    'start-message-wait.bpmn',
    'signal-throw-intermediate.bpmn',
  );
});

afterAll(async () => {
  await t?.stop();
});

describe('start events', () => {
  it('message start event: a published message creates an instance carrying the message variables', async () => {
    await t.publishMessage('order-placed', '', { orderId: 7 });
    const instance = await waitFor(async () => (await t.instancesOf('start-message'))[0], { message: 'an instance of start-message' });
    const key = String(instance.processInstanceKey);
    await t.waitForInstanceState(key, 'COMPLETED');
    expect(await t.variables(key)).toEqual({ orderId: 7 });
    expect(await t.completedElementIds(key)).toEqual(['start', 'end']);
  });

  it('message start event: no second instance while one started by the same correlation key is active', async () => {
    // https://docs.camunda.io/docs/components/modeler/bpmn/message-events/#message-start-events
    await t.publishMessage('ticket-opened', 'T-1', { n: 1 });
    await t.waitFor(async () => (await t.instancesOf('start-message-wait')).length === 1, { message: 'first ticket instance' });
    await t.publishMessage('ticket-opened', 'T-1', { n: 2 });
    await t.publishMessage('ticket-opened', 'T-2', { n: 3 });
    await t.waitFor(async () => (await t.instancesOf('start-message-wait')).length === 2, { message: 'second ticket instance' });
    const instances = await t.instancesOf('start-message-wait');
    const ns = await Promise.all(instances.map(async (i) => (await t.variables(String(i.processInstanceKey))).n));
    expect(ns.sort()).toEqual([1, 3]);
  });

  it('signal start event: a broadcast signal creates an instance with the signal variables', async () => {
    await t.broadcastSignal('go-signal', { reason: 'audit' });
    const instance = await waitFor(async () => (await t.instancesOf('start-signal'))[0], { message: 'an instance of start-signal' });
    const key = String(instance.processInstanceKey);
    await t.waitForInstanceState(key, 'COMPLETED');
    expect(await t.variables(key)).toEqual({ reason: 'audit' });
  });
});

describe('intermediate catch events', () => {
  it('message catch correlates only to the instance whose correlation key matches', async () => {
    const a = await t.createInstance('catch-message', { orderId: 'order-a' });
    const b = await t.createInstance('catch-message', { orderId: 'order-b' });
    await t.waitForActiveElement(a, 'wait_payment');
    await t.waitForActiveElement(b, 'wait_payment');

    await t.publishMessage('payment-done', 'order-b', { paid: 42 });
    await t.waitForInstanceState(b, 'COMPLETED');
    expect(await t.variables(b)).toEqual({ orderId: 'order-b', paid: 42 });
    expect((await t.getInstance(a)).state).toBe('ACTIVE');
    expect(await t.activeElementIds(a)).toEqual(['wait_payment']);

    await t.publishMessage('payment-done', 'order-a', { paid: 1 });
    await t.waitForInstanceState(a, 'COMPLETED');
    expect((await t.variables(a)).paid).toBe(1);
  });

  it('a message is correlated only once per process: of two instances waiting with the same key, one gets it', async () => {
    // https://docs.camunda.io/docs/components/concepts/messages/#message-cardinality
    const a = await t.createInstance('catch-message', { orderId: 'same' });
    const b = await t.createInstance('catch-message', { orderId: 'same' });
    await t.waitForActiveElement(a, 'wait_payment');
    await t.waitForActiveElement(b, 'wait_payment');
    await t.publishMessage('payment-done', 'same', { paid: 'once' });
    await t.waitFor(async () => [(await t.getInstance(a)).state, (await t.getInstance(b)).state].includes('COMPLETED'), { message: 'one completed' });
    await new Promise((resolve) => setTimeout(resolve, 200));
    const states = [(await t.getInstance(a)).state, (await t.getInstance(b)).state].sort();
    expect(states).toEqual(['ACTIVE', 'COMPLETED']);
    await t.publishMessage('payment-done', 'same', { paid: 'twice' });
    await t.waitForInstanceState(a, 'COMPLETED');
    await t.waitForInstanceState(b, 'COMPLETED');
  });

  it('a buffered message (TTL) published before the subscription opens is correlated on arrival', async () => {
    await t.publishMessage('payment-done', 'order-early', { paid: 'early' }, 60_000);
    const key = await t.createInstance('catch-message', { orderId: 'order-early' });
    await t.waitForInstanceState(key, 'COMPLETED');
    expect((await t.variables(key)).paid).toBe('early');
  });

  it('the correlation key is fixed when the subscription opens; a later variable change does not move it', async () => {
    // https://docs.camunda.io/docs/components/concepts/messages/#message-subscriptions
    const key = await t.createInstance('catch-message', { orderId: 'before' });
    await t.waitForActiveElement(key, 'wait_payment');
    await t.api.createElementInstanceVariables({ elementInstanceKey: t.key(key), variables: { orderId: 'after' } });
    await t.publishMessage('payment-done', 'after', { paid: 'wrong' });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await t.getInstance(key)).state).toBe('ACTIVE');
    await t.publishMessage('payment-done', 'before', { paid: 'right' });
    await t.waitForInstanceState(key, 'COMPLETED');
    expect((await t.variables(key)).paid).toBe('right');
  });

  it('a numeric correlation key is matched as its string form', async () => {
    const key = await t.createInstance('catch-message', { orderId: 123 });
    await t.waitForActiveElement(key, 'wait_payment');
    await t.publishMessage('payment-done', '123', { paid: 'numeric' });
    await t.waitForInstanceState(key, 'COMPLETED');
    expect(await t.variables(key)).toEqual({ orderId: 123, paid: 'numeric' });
  });

  it('a buffered message whose TTL has passed on the engine clock is not correlated', async () => {
    const now = Date.now();
    await t.pinClock(now);
    await t.publishMessage('payment-done', 'order-expired', { paid: 'late' }, 60_000);
    await t.pinClock(now + 2 * 60_000);
    const key = await t.createInstance('catch-message', { orderId: 'order-expired' });
    await t.waitForActiveElement(key, 'wait_payment');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await t.getInstance(key)).state).toBe('ACTIVE');
    await t.resetClock();
  });

  it('signal catch completes every waiting instance on broadcast', async () => {
    const a = await t.createInstance('catch-signal');
    const b = await t.createInstance('catch-signal');
    await t.waitForActiveElement(a, 'wait_signal');
    await t.waitForActiveElement(b, 'wait_signal');
    await t.broadcastSignal('release-signal', { released: true });
    await t.waitForInstanceState(a, 'COMPLETED');
    await t.waitForInstanceState(b, 'COMPLETED');
    expect((await t.variables(a)).released).toBe(true);
  });

  it('an intermediate signal throw event triggers waiting signal catch events and continues', async () => {
    const waiting = await t.createInstance('catch-signal');
    await t.waitForActiveElement(waiting, 'wait_signal');
    const thrower = await t.createInstance('signal-throw-intermediate');
    await t.waitForInstanceState(thrower, 'COMPLETED');
    await t.waitForInstanceState(waiting, 'COMPLETED');
    expect(await t.completedElementIds(thrower)).toEqual(['start', 'announce', 'after', 'end']);
  });
});

describe('end events', () => {
  it('message throw and message end events with a task definition create jobs, in order', async () => {
    const key = await t.createInstance('message-end-job', { to: 'ops' });
    const throwJob = await t.waitForJob('msg-throw-job');
    expect(String(throwJob.elementId)).toBe('notify');
    expect(throwJob.variables).toEqual({ to: 'ops' });
    await throwJob.complete({ sent1: true });
    const endJob = await t.waitForJob('msg-end-job');
    expect(String(endJob.elementId)).toBe('end_msg');
    await endJob.complete({ sent2: true });
    await t.waitForInstanceState(key, 'COMPLETED');
    expect(await t.variables(key)).toEqual({ to: 'ops', sent1: true, sent2: true });
    expect(await t.completedElementIds(key)).toEqual(['start', 'notify', 'end_msg']);
  });

  it('signal end event broadcasts its signal to waiting catch events', async () => {
    const listener = await t.createInstance('signal-end-listener');
    await t.waitForActiveElement(listener, 'wait_done');
    const thrower = await t.createInstance('signal-end');
    await t.waitForInstanceState(thrower, 'COMPLETED');
    await t.waitForInstanceState(listener, 'COMPLETED');
    expect(await t.completedElementIds(listener)).toEqual(['start', 'wait_done', 'end']);
    expect(await t.completedElementIds(thrower)).toEqual(['start', 'end_signal']);
  });
});
