/**
 * zeebe:ioMapping and Zeebe's variable scopes and propagation.
 * Docs: https://docs.camunda.io/docs/components/concepts/variables/#variable-scopes
 *       https://docs.camunda.io/docs/components/concepts/variables/#inputoutput-variable-mappings
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NOW, key, startTestEngine, type TestEngine } from '../support/harness.js';

let t: TestEngine;

beforeAll(async () => {
  t = await startTestEngine();
  await t.deploy('vars-input-mapping.bpmn', 'vars-output-mapping.bpmn', 'vars-no-mapping.bpmn', 'vars-scopes.bpmn');
});

afterAll(async () => {
  await t?.stop();
});

describe('input mappings', () => {
  it('create local variables of the task (FEEL, static text, nested targets) that the worker sees but the process does not keep', async () => {
    const pik = await t.createInstance('vars-input-mapping', { price: 21, currency: 'EUR' });
    const job = await t.waitForJob('vars-input-job');
    expect(job.variables).toEqual({
      price: 21,
      currency: 'EUR',
      doubledPrice: 42,
      label: 'static-text',
      cfg: { amount: 21, currency: 'EUR' },
    });
    // local variables live on the task's element instance scope
    const local = await t.variables(pik, String(job.elementInstanceKey));
    expect(local).toEqual({ doubledPrice: 42, label: 'static-text', cfg: { amount: 21, currency: 'EUR' } });
    await job.complete();
    await t.waitForInstanceState(pik, 'COMPLETED');
    expect(await t.variables(pik)).toEqual({ price: 21, currency: 'EUR' });
  });
});

describe('output mappings', () => {
  it('with output mappings only the mapped variables reach the process; the job variables stay local', async () => {
    const pik = await t.createInstance('vars-output-mapping', {});
    const job = await t.waitForJob('vars-output-job');
    await job.complete({ raw: 5, noise: 'dropped' });
    await t.waitForInstanceState(pik, 'COMPLETED');
    expect(await t.variables(pik)).toEqual({ final: 6 });
  });

  it('without output mappings all job variables are merged into the process scope', async () => {
    const pik = await t.createInstance('vars-no-mapping', { existing: 'old' });
    const job = await t.waitForJob('vars-plain-job');
    await job.complete({ existing: 'new', added: [1, 2] });
    await t.waitForInstanceState(pik, 'COMPLETED');
    expect(await t.variables(pik)).toEqual({ existing: 'new', added: [1, 2] });
  });
});

describe('variable scopes', () => {
  it('a variable is updated in the nearest scope that defines it; new variables go to the process scope', async () => {
    const pik = await t.createInstance('vars-scopes', {});
    const job = await t.waitForJob('vars-scope-job');
    expect(job.variables).toEqual({ counter: 0 });
    await job.complete({ counter: 5, other: 'x' });
    await t.waitForInstanceState(pik, 'COMPLETED');
    const vars = await t.variables(pik);
    // counter was local to the sub-process (input mapping): updated there (seen as 5 by the next step), gone after it
    expect(vars).toEqual({ other: 'x', seenCounter: 6 });
  });

  it('variables set with local=false on an element instance propagate like job variables', async () => {
    const pik = await t.createInstance('vars-no-mapping', { a: 1 });
    const job = await t.waitForJob('vars-plain-job');
    await t.api.createElementInstanceVariables({ elementInstanceKey: job.elementInstanceKey, variables: { a: 2, b: 3 } });
    expect(await t.variables(pik)).toEqual({ a: 2, b: 3 });
    await t.api.createElementInstanceVariables({ elementInstanceKey: job.elementInstanceKey, variables: { onlyHere: true }, local: true });
    expect(await t.variables(pik, String(job.elementInstanceKey))).toEqual({ onlyHere: true });
    expect(await t.variables(pik)).toEqual({ a: 2, b: 3 });
    await job.complete();
    await t.waitForInstanceState(pik, 'COMPLETED');
  });

  it('createProcessInstance with awaitCompletion returns the final variables (fetchVariables filters them)', async () => {
    const worker = t.worker('vars-plain-job', (job) => job.complete({ result: 'ok', extra: 1 }));
    try {
      const result = await t.api.createProcessInstance({
        processDefinitionId: key('vars-no-mapping'),
        variables: { input: 'in' },
        awaitCompletion: true,
        fetchVariables: ['result', 'input'],
      });
      expect(result.variables).toEqual({ result: 'ok', input: 'in' });
      const search = await t.api.searchVariables({ filter: { processInstanceKey: key(String(result.processInstanceKey)) }, page: { limit: 100 } }, NOW);
      expect(search.items?.map((v) => v.name).sort()).toEqual(['extra', 'input', 'result']);
    } finally {
      worker.stop();
    }
  });
});
