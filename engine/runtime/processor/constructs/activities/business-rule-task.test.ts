import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { dmn, literal, table } from '../../../../dmn/test-dmn.js';
import { EngineClock } from '../../../clock.js';
import { EngineCore } from '../../../engine.js';
import { EngineQueryService } from '../../../engine-queries.js';
import { definitions, flow } from '../../../testing/bpmn-builder.js';
import { constructKit, type ConstructKit } from '../../../testing/construct-kit.js';
import { InMemoryStore } from '../../../testing/in-memory-store.js';

let k: ConstructKit;
afterEach(async () => k?.core.stop());

/** start → business rule task `rule` (its extension elements `ext`) → end. */
const ruleProcess = (ext: string) => `<bpmn:startEvent id="s" />
  <bpmn:businessRuleTask id="rule"><bpmn:extensionElements>${ext}</bpmn:extensionElements></bpmn:businessRuleTask>
  <bpmn:endEvent id="e" />${flow('f1', 's', 'rule')}${flow('f2', 'rule', 'e')}`;

const called = (decisionId: string, resultVariable = 'result', binding = '') =>
  `<zeebe:calledDecision decisionId="${decisionId}" resultVariable="${resultVariable}" ${binding} />`;

const reviews = dmn(
  table('reviews', {
    hitPolicy: 'FIRST',
    inputs: ['rows'],
    outputs: ['count'],
    rules: [[['< 10'], ['2']], [['-'], ['1']]],
  }),
);

const decisionInstances = async (processInstanceKey: string) =>
  (await k.queries.searchDecisionInstances({ filters: [{ field: 'processInstanceKey', op: '$eq', value: processInstanceKey }], sort: [], offset: 0, limit: 10 })).items;

describe('business rule tasks with a called decision', () => {
  it('evaluate the decision on activation, set the result variable and complete, with a decision instance on the process instance', async () => {
    k = await constructKit();
    await k.deploy('reviews.dmn', reviews);
    await k.deployProcess('brt', ruleProcess(called('reviews', 'requiredReviews')));
    const pik = await k.start('brt', { rows: 4 });
    expect(await k.state(pik)).toBe('COMPLETED');
    expect(await k.variable(pik, 'requiredReviews')).toBe(2);
    const [instance] = await decisionInstances(pik);
    expect(instance).toMatchObject({ decisionDefinitionId: 'reviews', state: 'EVALUATED', result: '2', decisionEvaluationInstanceKey: `${instance!.decisionEvaluationKey}-1` });
    expect(instance!.matchedRules.map((r) => r.ruleIndex)).toEqual([1]);
  });

  it('a required decision is recorded first, the called one last', async () => {
    k = await constructKit();
    await k.deploy('chain.dmn', dmn(literal('base', 'rows * 2') + literal('doubled', 'base + 1', { requires: ['base'] })));
    await k.deployProcess('brt', ruleProcess(called('doubled')));
    const pik = await k.start('brt', { rows: 5 });
    expect(await k.variable(pik, 'result')).toBe(11);
    expect((await decisionInstances(pik)).map((i) => [i.decisionDefinitionId, i.decisionEvaluationInstanceKey.split('-')[1]])).toEqual([['base', '1'], ['doubled', '2']]);
  });

  it('the result variable is local to the task: with output mappings only the mapped variables propagate', async () => {
    k = await constructKit();
    await k.deploy('reviews.dmn', reviews);
    await k.deployProcess('brt', ruleProcess(`${called('reviews')}<zeebe:ioMapping><zeebe:output source="=result + 1" target="n" /></zeebe:ioMapping>`));
    const pik = await k.start('brt', { rows: 40 });
    expect(await k.variable(pik, 'n')).toBe(2);
    expect(await k.variable(pik, 'result')).toBeUndefined();
  });

  it('a missing decision is CALLED_DECISION_ERROR; resolving after deploying it evaluates again', async () => {
    k = await constructKit();
    await k.deployProcess('brt', ruleProcess(called('=name')));
    const pik = await k.start('brt', { name: 'reviews', rows: 1 });
    expect(await k.incidents(pik)).toEqual(['CALLED_DECISION_ERROR']);
    expect(await k.trail(pik)).toEqual(['s:COMPLETED', 'rule:ACTIVE']);
    await k.deploy('reviews.dmn', reviews);
    const [incident] = (await k.queries.searchIncidents({ filters: [{ field: 'processInstanceKey', op: '$eq', value: pik }], sort: [], offset: 0, limit: 1 })).items;
    await k.core.resolveIncident(incident!.incidentKey);
    expect(await k.state(pik)).toBe('COMPLETED');
    expect(await k.variable(pik, 'result')).toBe(2);
  });

  it('a failing evaluation is DECISION_EVALUATION_ERROR naming the decision that failed, and its instance is FAILED', async () => {
    k = await constructKit();
    await k.deploy('strict.dmn', dmn(table('strict', { inputs: ['rows'], outputs: ['count'], rules: [[['-'], ['1']], [['-'], ['2']]] })));
    await k.deployProcess('brt', ruleProcess(called('strict')));
    const pik = await k.start('brt', { rows: 1 });
    expect(await k.incidents(pik)).toEqual(['DECISION_EVALUATION_ERROR']);
    const [incident] = (await k.queries.searchIncidents({ filters: [{ field: 'processInstanceKey', op: '$eq', value: pik }], sort: [], offset: 0, limit: 1 })).items;
    expect(incident!.errorMessage).toMatch(/^Expected to evaluate decision 'strict', but failed to evaluate decision 'strict': /);
    expect((await decisionInstances(pik)).map((i) => i.state)).toEqual(['FAILED']);
  });

  it('with a task definition it is a job like a service task', async () => {
    k = await constructKit();
    await k.deployProcess('brt', ruleProcess('<zeebe:taskDefinition type="rules" />'));
    const pik = await k.start('brt');
    expect(await k.completeJobs('rules')).toBe(1);
    expect(await k.state(pik)).toBe('COMPLETED');
  });
});

describe('deployed decisions after a restart', () => {
  it('are compiled again from their stored XML and evaluate as before', async () => {
    const store = new InMemoryStore();
    const clock = new EngineClock();
    const open = async () => {
      const core = await EngineCore.open({ store, logger: pino({ level: 'silent' }), clock, defaultRequestTimeout: 50 });
      return { core, queries: new EngineQueryService(store, clock, () => core.runtime) };
    };
    const first = await open();
    await first.core.deploy([{ name: 'reviews.dmn', content: Buffer.from(reviews) }]);
    await first.core.stop();
    const second = await open();
    await second.core.deploy([
      { name: 'brt.bpmn', content: Buffer.from(definitions(`<bpmn:process id="brt" isExecutable="true">${ruleProcess(called('reviews'))}</bpmn:process>`)) },
    ]);
    const { instance } = await second.core.createProcessInstance({ processDefinitionId: 'brt', variables: { rows: 3 } });
    expect((await second.queries.getProcessInstance(instance.processInstanceKey)).state).toBe('COMPLETED');
    const again = await second.core.deploy([{ name: 'reviews.dmn', content: Buffer.from(reviews) }]);
    expect(again.decisions?.map((d) => d.version)).toEqual([1]);
    await second.core.stop();
  });

  it('a deleted DRG stays deleted and its version numbers are not given again', async () => {
    const store = new InMemoryStore();
    const clock = new EngineClock();
    const open = () => EngineCore.open({ store, logger: pino({ level: 'silent' }), clock, defaultRequestTimeout: 50 });
    const literalDrg = (text: string) => dmn(literal('answer', text));
    const first = await open();
    await first.deploy([{ name: 'answer.dmn', content: Buffer.from(literalDrg('1')) }]);
    const v2 = await first.deploy([{ name: 'answer.dmn', content: Buffer.from(literalDrg('2')) }]);
    await first.deleteResource(v2.decisionRequirements![0]!.decisionRequirementsKey);
    await first.stop();
    const second = await open();
    expect((await second.evaluateDecision({ decisionDefinitionId: 'answer' })).evaluation.output).toBe(1);
    const v3 = await second.deploy([{ name: 'answer.dmn', content: Buffer.from(literalDrg('3')) }]);
    expect([v3.decisionRequirements![0]!.version, v3.decisions![0]!.version]).toEqual([3, 3]);
    await second.stop();
  });
});
