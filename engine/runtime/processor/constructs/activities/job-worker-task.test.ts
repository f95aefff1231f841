import { afterEach, describe, expect, it } from 'vitest';
import { flow, job } from '../../../testing/bpmn-builder.js';
import { constructKit, type ConstructKit } from '../../../testing/construct-kit.js';

let k: ConstructKit;
afterEach(async () => k?.core.stop());

describe.each([
  ['serviceTask', 'service-task.ts'],
  ['sendTask', 'send-task.ts'],
  ['businessRuleTask', 'business-rule-task.ts'],
])('%s (%s)', (tag) => {
  it('creates a job of the FEEL type with the headers and completes with the variables the worker sends', async () => {
    k = await constructKit();
    await k.deployProcess('jobs', `<bpmn:startEvent id="s" /><bpmn:${tag} id="t"><bpmn:extensionElements><zeebe:taskDefinition type="=&quot;work-&quot; + area" retries="5" />
      <zeebe:taskHeaders><zeebe:header key="kind" value="demo" /></zeebe:taskHeaders></bpmn:extensionElements></bpmn:${tag}>
      <bpmn:endEvent id="e" />${flow('f1', 's', 't')}${flow('f2', 't', 'e')}`);
    const pik = await k.start('jobs', { area: 'x' });
    const [activated] = await k.activate('work-x');
    expect(activated?.job.retries).toBe(5);
    expect(activated?.job.customHeaders).toEqual({ kind: 'demo' });
    expect(await k.state(pik)).toBe('ACTIVE');
    await k.core.completeJob(activated!.job.jobKey, { done: 'yes' });
    expect(await k.state(pik)).toBe('COMPLETED');
    expect(await k.variable(pik, 'done')).toBe('yes');
  });
});

describe('job-worker tasks on termination', () => {
  it('cancelling the instance cancels the waiting job', async () => {
    k = await constructKit();
    await k.deployProcess('jobs', `<bpmn:startEvent id="s" /><bpmn:serviceTask id="t">${job('work')}</bpmn:serviceTask>${flow('f1', 's', 't')}`);
    const pik = await k.start('jobs');
    await k.core.cancelProcessInstance(pik);
    expect(await k.activate('work')).toEqual([]);
    const jobs = await k.queries.searchJobs({ filters: [{ field: 'processInstanceKey', op: '$eq', value: pik }], sort: [], offset: 0, limit: 10 });
    expect(jobs.items.map((j) => j.state)).toEqual(['CANCELED']);
  });
});
