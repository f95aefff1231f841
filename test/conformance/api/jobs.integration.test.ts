/**
 * Jobs: activation (shape, fetchVariable, maxJobsToActivate, long polling that wakes on job creation),
 * completion with variables, failure with retries / retryBackOff, retries 0 → incident, BPMN error,
 * PATCH retries/timeout, and the job timeout handing the job to another activation.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { key } from '../support/harness.js';
import { expectRefused, startApiEngine, type TestEngine } from './api-support.js';

const TYPE = 'api-work';

describe('REST /v2 jobs', () => {
  let t: TestEngine;
  const created: string[] = [];
  beforeAll(async () => {
    t = await startApiEngine();
    await t.deploy('api-service-task.bpmn', 'api-error-boundary.bpmn');
  });
  afterEach(async () => {
    await t.resetClock();
    for (const pik of created.splice(0)) {
      await t.client.cancelProcessInstance({ processInstanceKey: key(pik) }).catch(() => undefined);
    }
  });
  afterAll(async () => {
    await t?.stop();
  });

  async function start(processId = 'api-service-task', variables: Record<string, unknown> = {}): Promise<string> {
    const pik = await t.createInstance(processId, variables);
    created.push(pik);
    return pik;
  }

  async function activate(type = TYPE, options: { timeout?: number; requestTimeout?: number; worker?: string; max?: number } = {}) {
    const result = await t.client.activateJobs({
      type,
      worker: options.worker ?? 'conformance',
      timeout: options.timeout ?? 30_000,
      maxJobsToActivate: options.max ?? 10,
      requestTimeout: options.requestTimeout ?? 5_000,
    });
    return result.jobs;
  }

  it('activates a job with the documented fields, headers and variables', async () => {
    const pik = await start('api-service-task', { orderId: 'A-1', amount: 3 });
    const before = Date.now();
    const [job, ...rest] = await activate(TYPE, { worker: 'worker-a', timeout: 45_000 });
    expect(rest).toHaveLength(0);
    expect(job).toMatchObject({
      type: TYPE,
      worker: 'worker-a',
      retries: 3,
      elementId: 'task',
      processInstanceKey: pik,
      processDefinitionId: 'api-service-task',
      processDefinitionVersion: 1,
      customHeaders: { region: 'eu' },
      variables: { orderId: 'A-1', amount: 3 },
      tenantId: '<default>',
      kind: 'BPMN_ELEMENT',
    });
    expect(job?.jobKey).toMatch(/^\d+$/);
    expect(job?.elementInstanceKey).toMatch(/^\d+$/);
    const deadline = Number(job?.deadline);
    expect(deadline).toBeGreaterThanOrEqual(before + 45_000 - 1_000);
    expect(deadline).toBeLessThanOrEqual(Date.now() + 45_000 + 1_000);
    // Activated jobs are not handed out twice.
    expect(await activate(TYPE, { requestTimeout: -1 })).toHaveLength(0);
  });

  it('honours fetchVariable and maxJobsToActivate', async () => {
    await start('api-service-task', { a: 1, b: 2 });
    await start('api-service-task', { a: 1, b: 2 });
    await start('api-service-task', { a: 1, b: 2 });
    const first = await t.client.activateJobs({ type: TYPE, timeout: 30_000, maxJobsToActivate: 2, fetchVariable: ['a'], requestTimeout: -1 });
    expect(first.jobs).toHaveLength(2);
    expect(first.jobs.map((j) => j.variables)).toEqual([{ a: 1 }, { a: 1 }]);
    const second = await activate(TYPE, { requestTimeout: -1 });
    expect(second).toHaveLength(1);
    expect(new Set([...first.jobs, ...second].map((j) => String(j.jobKey))).size).toBe(3);
  });

  it('long polling returns as soon as a job is created, well before the requestTimeout', async () => {
    let settled = false;
    const started = Date.now();
    const polling = activate(TYPE, { requestTimeout: 20_000 }).finally(() => {
      settled = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(settled, 'activation must wait while no job exists').toBe(false);
    const pik = await start();
    const jobs = await polling;
    const elapsed = Date.now() - started;
    expect(jobs.map((j) => String(j.processInstanceKey))).toEqual([pik]);
    expect(elapsed).toBeLessThan(20_000);
  });

  it('a waiting long poll also wakes when a failed job becomes activatable again, or an activated one times out', async () => {
    await start();
    const [job] = await activate(TYPE, { worker: 'first', timeout: 5_000 });
    let settled = false;
    const polling = activate(TYPE, { requestTimeout: 20_000, worker: 'second' }).finally(() => {
      settled = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(settled).toBe(false);
    await t.client.failJob({ jobKey: job!.jobKey, retries: 2, errorMessage: 'try again' });
    const [again] = await polling;
    expect(again?.jobKey).toBe(job?.jobKey);
    expect(again?.worker).toBe('second');

    settled = false;
    const third = activate(TYPE, { requestTimeout: 20_000, worker: 'third' }).finally(() => {
      settled = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(settled).toBe(false);
    await t.pinClock(Date.now() + 60_000);
    const [timedOut] = await third;
    expect(timedOut?.jobKey).toBe(job?.jobKey);
    expect(timedOut?.worker).toBe('third');
  });

  it('without long polling (requestTimeout < 0) answers an empty list at once', async () => {
    const jobs = await activate('api-nobody-serves-this', { requestTimeout: -1 });
    expect(jobs).toEqual([]);
  });

  it('completes a job with variables, which land in the process scope and end the instance', async () => {
    const pik = await start('api-service-task', { orderId: 'A-2' });
    const [job] = await activate();
    await t.client.completeJob({ jobKey: job!.jobKey, variables: { result: 'ok', score: 7 } });
    await t.waitForInstanceState(pik, 'COMPLETED');
    expect(await t.variables(pik)).toEqual({ orderId: 'A-2', result: 'ok', score: 7 });
    expect(await t.completedElementIds(pik)).toEqual(['start', 'task', 'end']);
  });

  it('a failed job with retries left is activatable again at once, with the retries the worker set', async () => {
    await start();
    const [job] = await activate();
    await t.client.failJob({ jobKey: job!.jobKey, retries: 1, errorMessage: 'transient' });
    const [again] = await activate();
    expect(again?.jobKey).toBe(job?.jobKey);
    expect(again?.retries).toBe(1);
  });

  it('failJob variables are set on the local scope of the job\'s task', async () => {
    const pik = await start('api-service-task', { orderId: 'A-3' });
    const [job] = await activate();
    await t.client.failJob({ jobKey: job!.jobKey, retries: 2, errorMessage: 'retry me', variables: { attempt: 1 } });
    expect(await t.variables(pik, String(job!.elementInstanceKey))).toEqual({ attempt: 1 });
    expect(await t.variables(pik)).toEqual({ orderId: 'A-3' });
    const [again] = await activate();
    expect(again?.variables).toEqual({ orderId: 'A-3', attempt: 1 });
  });

  it('a long poll with nothing to activate waits for the requestTimeout, then answers an empty list', async () => {
    const started = Date.now();
    const jobs = await activate('api-nobody-serves-this', { requestTimeout: 1_000 });
    expect(jobs).toEqual([]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });

  it('one job wakes exactly one of two waiting long polls', async () => {
    const first = activate(TYPE, { requestTimeout: 8_000, worker: 'one', max: 1 });
    const second = activate(TYPE, { requestTimeout: 8_000, worker: 'two', max: 1 });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const pik = await start();
    const results = await Promise.all([first, second]);
    const jobs = results.flat();
    expect(jobs.map((j) => String(j.processInstanceKey))).toEqual([pik]);
  });

  it('a failed job with retryBackOff is not activatable before the back-off, and is after the clock passes it', async () => {
    await start();
    const [job] = await activate();
    await t.client.failJob({ jobKey: job!.jobKey, retries: 2, errorMessage: 'later', retryBackOff: 60_000 });
    expect(await activate(TYPE, { requestTimeout: -1 })).toHaveLength(0);
    await t.pinClock(Date.now() + 120_000);
    const [again] = await activate(TYPE, { requestTimeout: 5_000 });
    expect(again?.jobKey).toBe(job?.jobKey);
    expect(again?.retries).toBe(2);
  });

  it('failing with retries 0 raises a JOB_NO_RETRIES incident carrying the error message', async () => {
    const pik = await start();
    const [job] = await activate();
    await t.client.failJob({ jobKey: job!.jobKey, retries: 0, errorMessage: 'database down' });
    const incident = await t.waitForIncident(pik);
    expect(incident).toMatchObject({ errorType: 'JOB_NO_RETRIES', errorMessage: 'database down', elementId: 'task', jobKey: job?.jobKey, state: 'ACTIVE' });
    expect((await t.getInstance(pik)).hasIncident).toBe(true);
    expect(await activate(TYPE, { requestTimeout: -1 })).toHaveLength(0);
  });

  it('throwJobError is caught by the matching error boundary event', async () => {
    const pik = await start('api-error-boundary');
    const [job] = await activate('api-risky');
    await t.client.throwJobError({ jobKey: job!.jobKey, errorCode: 'API_REJECTED', errorMessage: 'not allowed' });
    await t.waitForInstanceState(pik, 'COMPLETED');
    expect(await t.completedElementIds(pik)).toEqual(['start', 'caught', 'rejected']);
    const risky = (await t.elementInstances(pik)).find((e) => e.elementId === 'risky');
    expect(risky?.state).toBe('TERMINATED');
  });

  it('throwJobError without a catching event raises an UNHANDLED_ERROR_EVENT incident', async () => {
    const pik = await start();
    const [job] = await activate();
    await t.client.throwJobError({ jobKey: job!.jobKey, errorCode: 'NOBODY_CATCHES', errorMessage: 'oops' });
    const incident = await t.waitForIncident(pik);
    expect(incident.errorType).toBe('UNHANDLED_ERROR_EVENT');
    expect(incident.elementId).toBe('task');
  });

  it('PATCH /jobs/{key} updates retries and timeout (the new deadline counts from now)', async () => {
    await start();
    const [job] = await activate(TYPE, { timeout: 600_000 });
    await t.client.updateJob({ jobKey: job!.jobKey, changeset: { retries: 5, timeout: 1_000 } });
    await t.pinClock(Date.now() + 30_000);
    const [again] = await activate(TYPE, { worker: 'after-update' });
    expect(again?.jobKey).toBe(job?.jobKey);
    expect(again?.retries).toBe(5);
    await expectRefused(t.client.updateJob({ jobKey: key('2251799813999999'), changeset: { retries: 1 } }), 404, 'NOT_FOUND');
  });

  it('a timed-out job is activated by another worker, and completing it by key still works', async () => {
    const pik = await start();
    const [job] = await activate(TYPE, { worker: 'slow', timeout: 2_000 });
    expect(await activate(TYPE, { requestTimeout: -1 })).toHaveLength(0);
    await t.pinClock(Date.now() + 10_000);
    const [again] = await activate(TYPE, { worker: 'fast' });
    expect(again?.jobKey).toBe(job?.jobKey);
    expect(again?.worker).toBe('fast');
    await t.client.completeJob({ jobKey: job!.jobKey, variables: { by: 'slow' } });
    await t.waitForInstanceState(pik, 'COMPLETED');
    expect((await t.variables(pik)).by).toBe('slow');
  });

  it('createJobWorker processes jobs end to end', async () => {
    const pik = await start('api-service-task', { n: 20 });
    const worker = t.client.createJobWorker({
      jobType: TYPE,
      jobTimeoutMs: 30_000,
      maxParallelJobs: 1,
      pollTimeoutMs: 1_000,
      jobHandler: (job) => job.complete({ doubled: Number(job.variables.n) * 2 }),
    });
    try {
      await t.waitForInstanceState(pik, 'COMPLETED');
    } finally {
      worker.stop();
    }
    expect((await t.variables(pik)).doubled).toBe(40);
  });
});
