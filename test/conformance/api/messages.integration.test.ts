/**
 * Messages: publication (TTL buffering, TTL 0 not buffered, messageId uniqueness within the TTL) and
 * correlation (POST /messages/correlation: to a waiting subscription, 404 when nobody waits).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { key } from '../support/harness.js';
import { expectRefused, sleep, startApiEngine, type TestEngine } from './api-support.js';

const MESSAGE = 'api-order-paid';

describe('REST /v2 messages', () => {
  let t: TestEngine;
  beforeAll(async () => {
    t = await startApiEngine();
    await t.deploy('api-message-catch.bpmn', 'api-message-catch-other.bpmn');
  });
  afterEach(async () => {
    await t.resetClock();
  });
  afterAll(async () => {
    await t?.stop();
  });

  async function waitingInstance(orderId: string): Promise<string> {
    const pik = await t.createInstance('api-message-catch', { orderId });
    await t.waitForActiveElement(pik, 'wait-msg');
    return pik;
  }

  it('publishes a message and answers with its key', async () => {
    const published = await t.client.publishMessage({ name: MESSAGE, correlationKey: 'no-one', timeToLive: 0 });
    expect(published.messageKey).toMatch(/^\d+$/);
    expect(published.tenantId).toBe('<default>');
  });

  it('buffers a message with a TTL for a subscription opened later', async () => {
    await t.client.publishMessage({ name: MESSAGE, correlationKey: 'order-1', timeToLive: 60_000, variables: { paid: 100 } });
    const pik = await t.createInstance('api-message-catch', { orderId: 'order-1' });
    await t.waitForInstanceState(pik, 'COMPLETED');
    expect(await t.variables(pik)).toEqual({ orderId: 'order-1', paid: 100 });
    expect(await t.completedElementIds(pik)).toEqual(['start', 'wait-msg', 'end']);
  });

  it('does not buffer a message with TTL 0', async () => {
    await t.client.publishMessage({ name: MESSAGE, correlationKey: 'order-2', timeToLive: 0, variables: { early: true } });
    const pik = await waitingInstance('order-2');
    await sleep(300);
    expect((await t.getInstance(pik)).state).toBe('ACTIVE');
    expect(await t.activeElementIds(pik)).toEqual(['wait-msg']);
    // The subscription itself works: a message published now is correlated.
    await t.client.publishMessage({ name: MESSAGE, correlationKey: 'order-2', timeToLive: 0, variables: { late: true } });
    await t.waitForInstanceState(pik, 'COMPLETED');
    expect(await t.variables(pik)).toEqual({ orderId: 'order-2', late: true });
  });

  it('does not correlate a buffered message after its TTL has passed', async () => {
    await t.client.publishMessage({ name: MESSAGE, correlationKey: 'order-ttl', timeToLive: 5_000, variables: { stale: true } });
    await t.pinClock(Date.now() + 60_000);
    const pik = await waitingInstance('order-ttl');
    await sleep(300);
    expect((await t.getInstance(pik)).state).toBe('ACTIVE');
    expect(await t.variables(pik)).toEqual({ orderId: 'order-ttl' });
  });

  it('rejects a second message with the same messageId within the TTL with 409 ALREADY_EXISTS, keeping the first', async () => {
    const first = await t.client.publishMessage({ name: MESSAGE, correlationKey: 'order-3', messageId: 'msg-3', timeToLive: 60_000, variables: { n: 1 } });
    expect(first.messageKey).toMatch(/^\d+$/);
    await expectRefused(
      t.client.publishMessage({ name: MESSAGE, correlationKey: 'order-3', messageId: 'msg-3', timeToLive: 60_000, variables: { n: 2 } }),
      409,
      'ALREADY_EXISTS',
    );
    const pik = await t.createInstance('api-message-catch', { orderId: 'order-3' });
    await t.waitForInstanceState(pik, 'COMPLETED');
    expect(await t.variables(pik)).toEqual({ orderId: 'order-3', n: 1 });
    // A second instance finds nothing: the rejected duplicate was not buffered, and a buffered message is
    // correlated at most once per process (Zeebe's message cardinality rule).
    const second = await waitingInstance('order-3');
    await sleep(300);
    expect((await t.getInstance(second)).state).toBe('ACTIVE');
  });

  it('accepts the same messageId again once the first message has expired', async () => {
    await t.client.publishMessage({ name: MESSAGE, correlationKey: 'order-4', messageId: 'msg-4', timeToLive: 1_000 });
    await t.pinClock(Date.now() + 60_000);
    const again = await t.waitFor(
      async () => t.client.publishMessage({ name: MESSAGE, correlationKey: 'order-4', messageId: 'msg-4', timeToLive: 60_000, variables: { second: true } }),
      { timeout: 5_000, message: 'the expired messageId to be accepted again' },
    );
    expect(again.messageKey).toMatch(/^\d+$/);
  });

  it('treats messageId as unique per message name and correlation key, so another key is accepted', async () => {
    await t.client.publishMessage({ name: MESSAGE, correlationKey: 'order-5a', messageId: 'msg-5', timeToLive: 60_000 });
    const other = await t.client.publishMessage({ name: MESSAGE, correlationKey: 'order-5b', messageId: 'msg-5', timeToLive: 60_000 });
    expect(other.messageKey).toMatch(/^\d+$/);
  });

  it('correlates to a waiting instance by correlation key and returns its processInstanceKey', async () => {
    const pik = await waitingInstance('order-6');
    const bystander = await waitingInstance('order-6-other');
    const result = await t.client.correlateMessage({ name: MESSAGE, correlationKey: 'order-6', variables: { via: 'correlate' } });
    expect(result.processInstanceKey).toBe(pik);
    expect(result.messageKey).toMatch(/^\d+$/);
    expect(result.tenantId).toBe('<default>');
    await t.waitForInstanceState(pik, 'COMPLETED');
    expect(await t.variables(pik)).toEqual({ orderId: 'order-6', via: 'correlate' });
    expect((await t.getInstance(bystander)).state).toBe('ACTIVE');
  });

  it('correlates a published message once per process, but to every process that waits (message cardinality)', async () => {
    const a = await waitingInstance('order-8');
    const b = await waitingInstance('order-8');
    const otherPik = await t.createInstance('api-message-catch-other', { orderId: 'order-8' });
    await t.waitForActiveElement(otherPik, 'wait-msg');
    await t.client.publishMessage({ name: MESSAGE, correlationKey: 'order-8', timeToLive: 0, variables: { round: 1 } });
    await t.waitForInstanceState(otherPik, 'COMPLETED');
    await t.waitFor(async () => {
      const states = [(await t.getInstance(a)).state, (await t.getInstance(b)).state];
      return states.includes('COMPLETED') ? states : undefined;
    }, { message: 'one of the two instances of the same process to complete' });
    await sleep(300);
    const states = [(await t.getInstance(a)).state, (await t.getInstance(b)).state].sort();
    expect(states).toEqual(['ACTIVE', 'COMPLETED']);
  });

  it('answers 404 to a correlation nobody waits for, and does not buffer it', async () => {
    await expectRefused(t.client.correlateMessage({ name: MESSAGE, correlationKey: 'order-7', variables: { lost: true } }), 404, 'NOT_FOUND');
    const pik = await waitingInstance('order-7');
    await sleep(300);
    expect((await t.getInstance(pik)).state).toBe('ACTIVE');
    expect(await t.variables(pik)).toEqual({ orderId: 'order-7' });
    await t.client.cancelProcessInstance({ processInstanceKey: key(pik) });
  });
});
