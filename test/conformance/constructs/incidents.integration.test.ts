/**
 * Incidents: job retries exhausted, uncaught BPMN error, failing expressions; all resolvable.
 * Docs: https://docs.camunda.io/docs/components/concepts/incidents/
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { key, startTestEngine, type TestEngine } from '../support/harness.js';

let t: TestEngine;

beforeAll(async () => {
  t = await startTestEngine();
  await t.deploy('incident-job.bpmn', 'incident-error.bpmn', 'incident-expression.bpmn', 'exclusive-no-match.bpmn');
});

afterAll(async () => {
  await t?.stop();
});

describe('job retries exhausted', () => {
  it('failing with retries 0 raises JOB_NO_RETRIES; PATCH retries + resolve makes the job activatable again', async () => {
    const pik = await t.createInstance('incident-job');
    const first = await t.waitForJob('incident-job');
    expect(first.retries).toBe(2);
    await first.fail({ retries: 1, errorMessage: 'first try failed' });
    const second = await t.waitForJob('incident-job');
    expect(second.retries).toBe(1);
    expect(String(second.jobKey)).toBe(String(first.jobKey));
    await second.fail({ retries: 0, errorMessage: 'backend down' });

    const incident = await t.waitForIncident(pik);
    expect(incident.errorType).toBe('JOB_NO_RETRIES');
    expect(incident.errorMessage).toBe('backend down');
    expect(String(incident.elementId)).toBe('task');
    expect(String(incident.jobKey)).toBe(String(first.jobKey));
    expect((await t.getInstance(pik)).hasIncident).toBe(true);
    // no retries left: nothing to activate
    expect(await t.activate('incident-job')).toEqual([]);

    await t.api.updateJob({ jobKey: first.jobKey, changeset: { retries: 1 } });
    await t.api.resolveIncident({ incidentKey: key(String(incident.incidentKey)) });
    const third = await t.waitForJob('incident-job');
    expect(third.retries).toBe(1);
    await third.complete({ recovered: true });
    await t.waitForInstanceState(pik, 'COMPLETED');
    expect((await t.incidents(pik)).map((i) => i.state)).toEqual(['RESOLVED']);
    expect((await t.getInstance(pik)).hasIncident).toBe(false);
    expect(await t.variables(pik)).toEqual({ recovered: true });
  });
});

describe('uncaught BPMN error', () => {
  it('a job error with no catch event raises UNHANDLED_ERROR_EVENT naming the error code', async () => {
    const pik = await t.createInstance('incident-error');
    const job = await t.waitForJob('incident-error-job');
    await job.error({ errorCode: 'NOT_MODELLED', errorMessage: 'nobody listens' });
    const incident = await t.waitForIncident(pik);
    expect(incident.errorType).toBe('UNHANDLED_ERROR_EVENT');
    expect(String(incident.errorMessage)).toContain('NOT_MODELLED');
    expect(String(incident.elementId)).toBe('task');
    expect((await t.getInstance(pik)).state).toBe('ACTIVE');
  });
});

describe('failing expressions', () => {
  it('a job type expression that yields no string raises EXTRACT_VALUE_ERROR; fixing the variable and resolving continues', async () => {
    const pik = await t.createInstance('incident-expression');
    const incident = await t.waitForIncident(pik);
    expect(incident.errorType).toBe('EXTRACT_VALUE_ERROR');
    expect(String(incident.elementId)).toBe('task');
    expect(await t.activate('dynamic-job')).toEqual([]);

    await t.api.createElementInstanceVariables({ elementInstanceKey: key(pik), variables: { taskType: 'dynamic-job' } });
    await t.api.resolveIncident({ incidentKey: key(String(incident.incidentKey)) });
    const job = await t.waitForJob('dynamic-job');
    expect(String(job.processInstanceKey)).toBe(pik);
    await job.complete();
    await t.waitForInstanceState(pik, 'COMPLETED');
    expect((await t.incidents(pik)).every((i) => i.state === 'RESOLVED')).toBe(true);
  });

  it('a gateway whose conditions all fail raises CONDITION_ERROR; resolving after fixing the data takes the flow', async () => {
    const pik = await t.createInstance('exclusive-no-match', { amount: 50 });
    const incident = await t.waitForIncident(pik);
    expect(incident.errorType).toBe('CONDITION_ERROR');
    await t.api.createElementInstanceVariables({ elementInstanceKey: key(pik), variables: { amount: 500 } });
    await t.api.resolveIncident({ incidentKey: key(String(incident.incidentKey)) });
    await t.waitForInstanceState(pik, 'COMPLETED');
    expect((await t.completedElementIds(pik)).filter((id) => id.startsWith('end'))).toEqual(['end_yes']);
  });

  it('resolving without fixing the cause raises a new incident', async () => {
    const pik = await t.createInstance('exclusive-no-match', { amount: 1 });
    const first = await t.waitForIncident(pik);
    await t.api.resolveIncident({ incidentKey: key(String(first.incidentKey)) });
    const second = await t.waitFor(
      async () => (await t.incidents(pik)).find((i) => i.state === 'ACTIVE' && String(i.incidentKey) !== String(first.incidentKey)),
      { message: 'a new incident' },
    );
    expect(second.errorType).toBe('CONDITION_ERROR');
    expect((await t.getInstance(pik)).state).toBe('ACTIVE');
  });
});
