/**
 * Timers of any length, driven by the engine clock (`PUT /v2/clock`): durations, dates, cycles, long timers
 * (30 days is longer than setTimeout's 24.8-day limit; one year for a permit expiry), timer start events and
 * timer boundary events.
 * Docs: https://docs.camunda.io/docs/components/modeler/bpmn/timer-events/
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEngine, type TestEngine } from '../support/harness.js';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

let t: TestEngine;
/** The pinned engine clock; only moves forward in this file. */
let clock = Date.now();

async function advance(ms: number): Promise<void> {
  clock += ms;
  await t.pinClock(clock);
}

beforeAll(async () => {
  t = await startTestEngine();
  await t.pinClock(clock);
  await t.deploy(
    'timer-duration.bpmn',
    'timer-one-year.bpmn',
    'timer-30-days.bpmn',
    'timer-feel-duration.bpmn',
    'boundary-timer.bpmn',
    'boundary-timer-cycle.bpmn',
  );
});

afterAll(async () => {
  await t?.stop();
});

async function settle(): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 250));
}

describe('timer intermediate catch events', () => {
  it('a PT1H duration does not fire early and fires once the clock passes it', async () => {
    const key = await t.createInstance('timer-duration');
    await t.waitForActiveElement(key, 'wait');
    await advance(59 * MINUTE);
    await settle();
    expect((await t.getInstance(key)).state).toBe('ACTIVE');
    await advance(2 * MINUTE);
    await t.waitForInstanceState(key, 'COMPLETED');
    expect(await t.completedElementIds(key)).toEqual(['start', 'wait', 'end']);
  });

  it('a 30-day timer (beyond the 24.8-day setTimeout limit) fires after 30 days, not after 29', async () => {
    const key = await t.createInstance('timer-30-days');
    await t.waitForActiveElement(key, 'wait');
    await advance(29 * DAY);
    await settle();
    expect((await t.getInstance(key)).state).toBe('ACTIVE');
    await advance(1 * DAY + MINUTE);
    await t.waitForInstanceState(key, 'COMPLETED');
  });

  it('a one-year (P1Y) timer fires when the clock is a year ahead', async () => {
    const key = await t.createInstance('timer-one-year');
    await t.waitForActiveElement(key, 'wait');
    await advance(300 * DAY);
    await settle();
    expect((await t.getInstance(key)).state).toBe('ACTIVE');
    await advance(66 * DAY + MINUTE);
    await t.waitForInstanceState(key, 'COMPLETED');
  });

  it('a FEEL duration expression is evaluated on activation', async () => {
    const key = await t.createInstance('timer-feel-duration', { waitFor: 'PT10M' });
    await t.waitForActiveElement(key, 'wait');
    await advance(9 * MINUTE);
    await settle();
    expect((await t.getInstance(key)).state).toBe('ACTIVE');
    await advance(2 * MINUTE);
    await t.waitForInstanceState(key, 'COMPLETED');
  });

  it('a duration expression that yields no duration raises an incident', async () => {
    const key = await t.createInstance('timer-feel-duration', {});
    const incident = await t.waitForIncident(key);
    expect(incident.errorType).toBe('EXTRACT_VALUE_ERROR');
    expect(String(incident.elementId)).toBe('wait');
  });
});

describe('timer boundary events', () => {
  it('interrupting PT5M: the task is terminated when the timer fires', async () => {
    const key = await t.createInstance('boundary-timer');
    await t.waitForActiveElement(key, 'task');
    await advance(6 * MINUTE);
    await t.waitForInstanceState(key, 'COMPLETED');
    const states = (await t.elementInstances(key)).filter((e) => e.elementId === 'task').map((e) => e.state);
    expect(states).toEqual(['TERMINATED']);
    expect((await t.variables(key)).path).toBe('boundary');
    expect(await t.activate('boundary-timer-job')).toEqual([]);
  });

  it('completing the task first cancels its timer: a later clock move fires nothing', async () => {
    const key = await t.createInstance('boundary-timer');
    const job = await t.waitForJob('boundary-timer-job');
    await job.complete();
    await t.waitForInstanceState(key, 'COMPLETED');
    await advance(10 * MINUTE);
    await settle();
    const ids = (await t.elementInstances(key)).map((e) => e.elementId);
    expect(ids).not.toContain('boundary');
    expect(ids).toContain('end');
  });

  it('non-interrupting cycle R2/PT10M fires exactly twice while the task stays active', async () => {
    const key = await t.createInstance('boundary-timer-cycle');
    await t.waitForActiveElement(key, 'task');
    const boundaryRuns = async () => (await t.elementInstances(key)).filter((e) => e.elementId === 'end_boundary').length;
    await advance(11 * MINUTE);
    await t.waitFor(async () => (await boundaryRuns()) === 1, { message: 'first cycle' });
    await advance(11 * MINUTE);
    await t.waitFor(async () => (await boundaryRuns()) === 2, { message: 'second cycle' });
    await advance(30 * MINUTE);
    await settle();
    expect(await boundaryRuns()).toBe(2);
    const job = await t.waitForJob('boundary-timer-cycle-job');
    await job.complete();
    await t.waitForInstanceState(key, 'COMPLETED');
  });
});

describe('timer start events', () => {
  it('a cycle R3/PT1M creates exactly three instances as the clock moves on', async () => {
    // deployed now so that its first due date is one minute after the current pinned clock
    await t.deploy('timer-start-cycle.bpmn');
    const count = async () => (await t.instancesOf('timer-start-cycle')).length;
    await settle();
    expect(await count()).toBe(0);
    await advance(MINUTE + 5_000);
    await t.waitFor(async () => (await count()) === 1, { message: 'first timer start' });
    await advance(MINUTE + 5_000);
    await t.waitFor(async () => (await count()) === 2, { message: 'second timer start' });
    await advance(MINUTE + 5_000);
    await t.waitFor(async () => (await count()) === 3, { message: 'third timer start' });
    await advance(10 * MINUTE);
    await settle();
    expect(await count()).toBe(3);
    const instances = await t.instancesOf('timer-start-cycle');
    expect(instances.map((i) => i.state)).toEqual(['COMPLETED', 'COMPLETED', 'COMPLETED']);
  });
});

describe('timer dates', () => {
  it('a timeDate catch event and a timeDate start event fire when the clock reaches the date', async () => {
    await t.deploy('timer-date.bpmn', 'timer-start-date.bpmn');
    const key = await t.createInstance('timer-date');
    await t.waitForActiveElement(key, 'wait');
    expect(await t.instancesOf('timer-start-date')).toHaveLength(0);
    clock = Date.parse('2099-01-01T00:00:01Z');
    await t.pinClock(clock);
    await t.waitFor(async () => (await t.instancesOf('timer-start-date')).length === 1, { message: 'timer start by date' });
    expect((await t.getInstance(key)).state).toBe('ACTIVE');
    clock = Date.parse('2099-06-01T00:00:01Z');
    await t.pinClock(clock);
    await t.waitForInstanceState(key, 'COMPLETED');
    await t.resetClock();
  });
});
