/**
 * The controllable clock (PUT /clock pins it, POST /clock/reset returns to system time): record timestamps
 * and timers follow the pinned time.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { key } from '../support/harness.js';
import { expectRefused, sleep, startApiEngine, type TestEngine } from './api-support.js';

const HOUR = 3_600_000;

describe('REST /v2 clock', () => {
  let t: TestEngine;
  beforeAll(async () => {
    t = await startApiEngine();
    await t.deploy('api-timer.bpmn', 'api-service-task.bpmn', 'api-user-task.bpmn', 'api-review-form.form');
  });
  afterEach(async () => {
    await t.client.resetClock();
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('stamps records with the pinned time', async () => {
    const pinned = Date.parse('2030-06-01T08:00:00.000Z');
    await t.client.pinClock({ timestamp: pinned });
    const pik = await t.createInstance('api-timer');
    const instance = await t.getInstance(pik);
    expect(Date.parse(instance.startDate)).toBe(pinned);
  });

  it('fires a timer only once the pinned clock reaches its due date', async () => {
    const pinned = Date.parse('2030-06-01T08:00:00.000Z');
    await t.client.pinClock({ timestamp: pinned });
    const pik = await t.createInstance('api-timer');
    await t.waitForActiveElement(pik, 'wait-hour');

    await t.client.pinClock({ timestamp: pinned + HOUR / 2 });
    await sleep(300);
    expect((await t.getInstance(pik)).state).toBe('ACTIVE');
    expect(await t.activeElementIds(pik)).toEqual(['wait-hour']);

    await t.client.pinClock({ timestamp: pinned + 2 * HOUR });
    const done = await t.waitForInstanceState(pik, 'COMPLETED');
    expect(Date.parse(String(done.endDate))).toBe(pinned + 2 * HOUR);
    expect(await t.completedElementIds(pik)).toEqual(['start', 'wait-hour', 'end']);
  });

  it('counts job deadlines and user task dates from the pinned time', async () => {
    const pinned = Date.parse('2030-06-02T12:00:00.000Z');
    await t.client.pinClock({ timestamp: pinned });
    await t.createInstance('api-service-task');
    const [job] = (await t.client.activateJobs({ type: 'api-work', timeout: 60_000, maxJobsToActivate: 1, requestTimeout: 5_000 })).jobs;
    expect(Number(job?.deadline)).toBe(pinned + 60_000);
    await t.client.cancelProcessInstance({ processInstanceKey: job!.processInstanceKey });

    const pik = await t.createInstance('api-user-task');
    const task = await t.waitForUserTask(pik, 'review');
    expect(Date.parse(String(task.creationDate))).toBe(pinned);
    await t.client.pinClock({ timestamp: pinned + 5_000 });
    await t.client.completeUserTask({ userTaskKey: key(String(task.userTaskKey)) });
    const done = await t.waitForInstanceState(pik, 'COMPLETED');
    expect(Date.parse(String(done.endDate))).toBe(pinned + 5_000);
    const completed = await t.client.getUserTask({ userTaskKey: key(String(task.userTaskKey)) }, { consistency: { waitUpToMs: 0 } });
    expect(Date.parse(String(completed.completionDate))).toBe(pinned + 5_000);
  });

  it('reset returns to system time', async () => {
    await t.client.pinClock({ timestamp: Date.parse('2001-01-01T00:00:00.000Z') });
    await t.client.resetClock();
    const pik = await t.createInstance('api-timer');
    const startDate = Date.parse((await t.getInstance(pik)).startDate);
    expect(Math.abs(startDate - Date.now())).toBeLessThan(60_000);
  });

  it('a pinned clock stands still', async () => {
    const pinned = Date.parse('2030-06-01T08:00:00.000Z');
    await t.client.pinClock({ timestamp: pinned });
    const first = await t.createInstance('api-timer');
    await sleep(50);
    const second = await t.createInstance('api-timer');
    expect(Date.parse((await t.getInstance(first)).startDate)).toBe(pinned);
    expect(Date.parse((await t.getInstance(second)).startDate)).toBe(pinned);
  });

  it('refuses a negative or non-numeric timestamp with 400 and leaves the clock alone', async () => {
    await expectRefused(t.client.pinClock({ timestamp: -5 }), 400);
    await expectRefused(t.client.pinClock({ timestamp: 'tomorrow' as never }), 400);
    const pik = await t.createInstance('api-timer');
    const startDate = Date.parse((await t.getInstance(pik)).startDate);
    expect(Math.abs(startDate - Date.now())).toBeLessThan(60_000);
  });
});
