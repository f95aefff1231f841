/**
 * Exclusive, parallel, inclusive and event-based gateways.
 * Docs: https://docs.camunda.io/docs/components/modeler/bpmn/{exclusive-gateways,parallel-gateways,
 * inclusive-gateways,event-based-gateways}/
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEngine, type TestEngine } from '../support/harness.js';

let t: TestEngine;

beforeAll(async () => {
  t = await startTestEngine();
  await t.deploy('exclusive-gateway.bpmn', 'exclusive-no-match.bpmn', 'parallel-gateway.bpmn', 'inclusive-gateway.bpmn', 'event-based-gateway.bpmn', 'exclusive-merge.bpmn');
});

afterAll(async () => {
  await t?.stop();
});

async function endReached(key: string): Promise<string[]> {
  return (await t.completedElementIds(key)).filter((id) => id.startsWith('end'));
}

async function countOf(key: string, elementId: string, state = 'COMPLETED'): Promise<number> {
  return (await t.elementInstances(key)).filter((e) => e.elementId === elementId && e.state === state).length;
}

describe('exclusive gateway', () => {
  it.each([
    // 500 fulfils both conditions: the first flow in XML order wins
    [500, 'end_big'],
    [50, 'end_medium'],
    [5, 'end_small'],
  ])('amount %d takes the flow to %s (conditions in order, then the default flow)', async (amount, expected) => {
    const key = await t.createInstance('exclusive-gateway', { amount });
    await t.waitForInstanceState(key, 'COMPLETED');
    expect(await endReached(key)).toEqual([expected]);
  });

  it('no fulfilled condition and no default flow raises a CONDITION_ERROR incident on the gateway', async () => {
    const key = await t.createInstance('exclusive-no-match', { amount: 50 });
    const incident = await t.waitForIncident(key);
    expect(incident.errorType).toBe('CONDITION_ERROR');
    expect(String(incident.elementId)).toBe('decide');
    expect((await t.getInstance(key)).hasIncident).toBe(true);
  });
});

describe('exclusive gateway as a merge', () => {
  it('does not synchronise: each arriving token passes through, so the next task runs twice', async () => {
    const key = await t.createInstance('exclusive-merge');
    const jobs = await t.waitFor(
      async () => {
        const found = await t.api.searchJobs({ filter: { processInstanceKey: t.key(key), type: 'exclusive-merge-job' } }, { consistency: { waitUpToMs: 0 } });
        return (found.items ?? []).length === 2 ? found.items : undefined;
      },
      { message: 'two jobs after the exclusive merge' },
    );
    expect(jobs).toHaveLength(2);
    expect(await countOf(key, 'merge')).toBe(2);
    for (let i = 0; i < 2; i += 1) await (await t.waitForJob('exclusive-merge-job')).complete();
    await t.waitForInstanceState(key, 'COMPLETED');
    expect(await countOf(key, 'end')).toBe(2);
  });
});

describe('parallel gateway', () => {
  it('forks both branches and joins once: the step after the join sees both results', async () => {
    const key = await t.createInstance('parallel-gateway');
    await t.waitForInstanceState(key, 'COMPLETED');
    expect(await t.variables(key)).toEqual({ a: 1, b: 2, c: 3 });
    expect(await countOf(key, 'join')).toBe(1);
    expect(await countOf(key, 'sum')).toBe(1);
    const completed = await t.completedElementIds(key);
    expect(completed.indexOf('join')).toBeGreaterThan(completed.indexOf('set_a'));
    expect(completed.indexOf('join')).toBeGreaterThan(completed.indexOf('set_b'));
    expect(completed.slice(-2)).toEqual(['sum', 'end']);
  });
});

describe('inclusive gateway', () => {
  it('forks every fulfilled branch and the converging gateway waits for all of them', async () => {
    const key = await t.createInstance('inclusive-gateway', { wantA: true, wantB: true });
    const jobA = await t.waitForJob('inclusive-a');
    const jobB = await t.waitForJob('inclusive-b');
    await jobA.complete({ fromA: 1 });
    await t.waitFor(async () => (await countOf(key, 'task_a')) === 1, { message: 'task_a completed' });
    // the join must still be waiting for branch b
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await countOf(key, 'merge')).toBe(0);
    expect(await countOf(key, 'after')).toBe(0);
    expect((await t.getInstance(key)).state).toBe('ACTIVE');
    await jobB.complete({ fromB: 2 });
    await t.waitForInstanceState(key, 'COMPLETED');
    expect(await countOf(key, 'merge')).toBe(1);
    expect(await countOf(key, 'after')).toBe(1);
    expect(await t.variables(key)).toEqual({ wantA: true, wantB: true, fromA: 1, fromB: 2, merged: 'merged' });
  });

  it('the converging gateway does not wait for a branch that was not taken', async () => {
    const key = await t.createInstance('inclusive-gateway', { wantA: true, wantB: false });
    const jobA = await t.waitForJob('inclusive-a');
    await jobA.complete();
    await t.waitForInstanceState(key, 'COMPLETED');
    const elementIds = (await t.elementInstances(key)).map((e) => e.elementId);
    expect(elementIds).not.toContain('task_b');
    expect(await countOf(key, 'merge')).toBe(1);
    expect((await t.variables(key)).merged).toBe('merged');
  });

  it('takes the default flow when no condition is fulfilled', async () => {
    const key = await t.createInstance('inclusive-gateway', { wantA: false, wantB: false });
    await t.waitForInstanceState(key, 'COMPLETED');
    expect(await endReached(key)).toEqual(['end_none']);
  });
});

describe('event-based gateway', () => {
  it('the message wins: the timer is cancelled and only the message path runs', async () => {
    const key = await t.createInstance('event-based-gateway', { requestId: 'r-1' });
    // the gateway itself waits; its events get element instances only when they are triggered
    await t.waitForActiveElement(key, 'race');
    await t.publishMessage('reply', 'r-1', { answer: 'yes' });
    await t.waitForInstanceState(key, 'COMPLETED');
    expect(await endReached(key)).toEqual(['end_reply']);
    expect((await t.variables(key)).answer).toBe('yes');
    const elementIds = (await t.elementInstances(key)).map((e) => e.elementId);
    expect(elementIds).not.toContain('timed_out');
    expect(await t.completedElementIds(key)).toEqual(['start', 'race', 'got_reply', 'end_reply']);
  });

  it('the timer wins when the clock passes its due date: the message subscription is closed', async () => {
    const start = Date.now();
    await t.pinClock(start);
    const key = await t.createInstance('event-based-gateway', { requestId: 'r-2' });
    await t.waitForActiveElement(key, 'race');
    await t.pinClock(start + 9 * 60_000);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await t.getInstance(key)).state).toBe('ACTIVE');
    await t.pinClock(start + 11 * 60_000);
    await t.waitForInstanceState(key, 'COMPLETED');
    expect(await endReached(key)).toEqual(['end_timeout']);
    // a late reply finds no subscription any more: correlate answers NOT_FOUND
    await expect(t.api.correlateMessage({ name: 'reply', correlationKey: 'r-2' })).rejects.toBeTruthy();
    await t.resetClock();
  });
});
