/**
 * Embedded sub-processes and event sub-processes (message, timer, error; interrupting and not).
 * Docs: https://docs.camunda.io/docs/components/modeler/bpmn/{embedded-subprocesses,event-subprocesses}/
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEngine, type TestEngine } from '../support/harness.js';

let t: TestEngine;

beforeAll(async () => {
  t = await startTestEngine();
  await t.deploy(
    'embedded-subprocess.bpmn',
    'esp-message-interrupting.bpmn',
    'esp-message-nonint.bpmn',
    'esp-timer-interrupting.bpmn',
    'esp-timer-nonint.bpmn',
    'esp-error.bpmn',
    'esp-error-end.bpmn',
    'terminate-in-subprocess.bpmn',
    'esp-in-subprocess.bpmn',
    'error-bubbling.bpmn',
  );
});

afterAll(async () => {
  await t?.stop();
});

async function statesOf(key: string, elementId: string): Promise<string[]> {
  return (await t.elementInstances(key)).filter((e) => e.elementId === elementId).map((e) => e.state);
}

describe('embedded sub-process', () => {
  it('runs its inner flow from its none start event; variables written inside reach the process', async () => {
    const key = await t.createInstance('embedded-subprocess', { x: 4 });
    await t.waitForInstanceState(key, 'COMPLETED');
    const elements = await t.elementInstances(key);
    expect(elements.find((e) => e.elementId === 'sub')?.type).toBe('SUB_PROCESS');
    // inner elements in sequence, then the sub-process, then what follows it
    const completed = await t.completedElementIds(key);
    expect(completed.filter((id) => id.startsWith('sub_') || id === 'inner')).toEqual(['sub_start', 'inner', 'sub_end']);
    expect(completed.filter((id) => ['start', 'after', 'end'].includes(id))).toEqual(['start', 'after', 'end']);
    expect(completed).toContain('sub');
    expect(await t.variables(key)).toEqual({ x: 4, y: 12, z: 13 });
  });
});

describe('terminate end event inside a sub-process', () => {
  it('terminates only the sub-process scope: the sub-process completes and the flow continues after it', async () => {
    // https://docs.camunda.io/docs/components/modeler/bpmn/terminate-events/
    const key = await t.createInstance('terminate-in-subprocess');
    await t.waitForInstanceState(key, 'COMPLETED');
    expect(await statesOf(key, 'sub_wait')).toEqual(['TERMINATED']);
    expect(await statesOf(key, 'sub')).toEqual(['COMPLETED']);
    expect(await statesOf(key, 'after')).toEqual(['COMPLETED']);
    expect(await statesOf(key, 'sub_end')).toEqual([]);
    expect((await t.variables(key)).continued).toBe('after-sub');
  });
});

describe('event sub-process with message start event', () => {
  it('interrupting: the message terminates the main flow and the event sub-process completes the instance', async () => {
    const key = await t.createInstance('esp-message-interrupting', { orderId: 'o-1' });
    await t.waitForActiveElement(key, 'main_task');
    await t.publishMessage('cancel-order', 'o-1', { cancelReason: 'customer' });
    await t.waitForInstanceState(key, 'COMPLETED');
    expect(await statesOf(key, 'main_task')).toEqual(['TERMINATED']);
    expect(await statesOf(key, 'esp')).toEqual(['COMPLETED']);
    expect(await statesOf(key, 'end')).toEqual([]);
    expect(await t.variables(key)).toEqual({ orderId: 'o-1', cancelReason: 'customer', espResult: 'triggered' });
  });

  it('non-interrupting: the event sub-process runs while the main task stays active', async () => {
    const key = await t.createInstance('esp-message-nonint', { orderId: 'o-2' });
    await t.waitForActiveElement(key, 'main_task');
    await t.publishMessage('note-order', 'o-2');
    await t.waitFor(async () => (await statesOf(key, 'esp')).includes('COMPLETED'), { message: 'event sub-process completed' });
    expect(await statesOf(key, 'main_task')).toEqual(['ACTIVE']);
    expect((await t.getInstance(key)).state).toBe('ACTIVE');
    const job = await t.waitForJob('esp-message-nonint-job');
    await job.complete({ mainDone: true });
    await t.waitForInstanceState(key, 'COMPLETED');
    expect(await t.variables(key)).toEqual({ orderId: 'o-2', espResult: 'triggered', mainDone: true });
  });
});

describe('scopes', () => {
  it('an interrupting event sub-process inside a sub-process interrupts only that sub-process, which then completes', async () => {
    const key = await t.createInstance('esp-in-subprocess', { caseId: 'c-9' });
    await t.waitForActiveElement(key, 'sub_task');
    await t.publishMessage('skip-step', 'c-9');
    await t.waitForInstanceState(key, 'COMPLETED');
    expect(await statesOf(key, 'sub_task')).toEqual(['TERMINATED']);
    expect(await statesOf(key, 'inner_esp')).toEqual(['COMPLETED']);
    expect(await statesOf(key, 'sub')).toEqual(['COMPLETED']);
    expect(await statesOf(key, 'sub_end')).toEqual([]);
    expect((await t.variables(key)).afterSub).toBe('continued');
  });

  it('a worker error inside a nested sub-process bubbles up to the error boundary of the outer sub-process', async () => {
    const key = await t.createInstance('error-bubbling');
    const job = await t.waitForJob('deep-job');
    await job.error({ errorCode: 'DEEP', errorMessage: 'from the depths' });
    await t.waitForInstanceState(key, 'COMPLETED');
    expect(await statesOf(key, 'deep_task')).toEqual(['TERMINATED']);
    expect(await statesOf(key, 'inner')).toEqual(['TERMINATED']);
    expect(await statesOf(key, 'outer')).toEqual(['TERMINATED']);
    expect(await statesOf(key, 'end_caught')).toEqual(['COMPLETED']);
    expect(await statesOf(key, 'end')).toEqual([]);
  });
});

describe('event sub-process with timer start event', () => {
  it('interrupting: when the timer is due the main task is terminated', async () => {
    const now = Date.now();
    await t.pinClock(now);
    const key = await t.createInstance('esp-timer-interrupting');
    await t.waitForActiveElement(key, 'main_task');
    await t.pinClock(now + 4 * 60_000);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await statesOf(key, 'main_task')).toEqual(['ACTIVE']);
    await t.pinClock(now + 6 * 60_000);
    await t.waitForInstanceState(key, 'COMPLETED');
    expect(await statesOf(key, 'main_task')).toEqual(['TERMINATED']);
    expect(await statesOf(key, 'esp_end')).toEqual(['COMPLETED']);
    await t.resetClock();
  });

  it('non-interrupting: the timer runs the event sub-process once and the main task continues', async () => {
    const now = Date.now();
    await t.pinClock(now);
    const key = await t.createInstance('esp-timer-nonint');
    await t.waitForActiveElement(key, 'main_task');
    await t.pinClock(now + 6 * 60_000);
    await t.waitFor(async () => (await statesOf(key, 'esp')).includes('COMPLETED'), { message: 'event sub-process completed' });
    expect(await statesOf(key, 'main_task')).toEqual(['ACTIVE']);
    const job = await t.waitForJob('esp-timer-nonint-job');
    await job.complete();
    await t.waitForInstanceState(key, 'COMPLETED');
    expect(await statesOf(key, 'esp')).toEqual(['COMPLETED']);
    await t.resetClock();
  });
});

describe('event sub-process with error start event', () => {
  it('catches a BPMN error thrown by a job worker and completes the instance', async () => {
    const key = await t.createInstance('esp-error');
    const job = await t.waitForJob('esp-error-job');
    await job.error({ errorCode: 'PAY_FAILED', errorMessage: 'insufficient funds' });
    await t.waitForInstanceState(key, 'COMPLETED');
    expect(await statesOf(key, 'main_task')).toEqual(['TERMINATED']);
    expect(await statesOf(key, 'esp')).toEqual(['COMPLETED']);
    expect(await t.incidents(key)).toEqual([]);
  });

  it('catches an error end event thrown in the same scope', async () => {
    const key = await t.createInstance('esp-error-end');
    await t.waitForInstanceState(key, 'COMPLETED');
    expect(await statesOf(key, 'esp_work')).toEqual(['COMPLETED']);
    expect((await t.variables(key)).espResult).toBe('triggered');
    expect(await t.incidents(key)).toEqual([]);
  });
});
