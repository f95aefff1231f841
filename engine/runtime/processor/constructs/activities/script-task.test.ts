import { afterEach, describe, expect, it } from 'vitest';
import { flow, job } from '../../../testing/bpmn-builder.js';
import { constructKit, type ConstructKit } from '../../../testing/construct-kit.js';

let k: ConstructKit;
afterEach(async () => k?.core.stop());

describe('script tasks', () => {
  it('a FEEL script sets its result variable and completes at once', async () => {
    k = await constructKit();
    await k.deployProcess('script', `<bpmn:startEvent id="s" />
      <bpmn:scriptTask id="calc"><bpmn:extensionElements><zeebe:script expression="=a + b" resultVariable="sum" /></bpmn:extensionElements></bpmn:scriptTask>
      <bpmn:endEvent id="e" />${flow('f1', 's', 'calc')}${flow('f2', 'calc', 'e')}`);
    const pik = await k.start('script', { a: 2, b: 3 });
    expect(await k.state(pik)).toBe('COMPLETED');
    expect(await k.variable(pik, 'sum')).toBe(5);
  });

  it('a script whose result cannot be a variable value (a function) is an EXTRACT_VALUE_ERROR incident', async () => {
    k = await constructKit();
    await k.deployProcess('script', `<bpmn:startEvent id="s" />
      <bpmn:scriptTask id="calc"><bpmn:extensionElements><zeebe:script expression="=function(x) x" resultVariable="sum" /></bpmn:extensionElements></bpmn:scriptTask>
      <bpmn:endEvent id="e" />${flow('f1', 's', 'calc')}${flow('f2', 'calc', 'e')}`);
    const pik = await k.start('script');
    expect(await k.incidents(pik)).toEqual(['EXTRACT_VALUE_ERROR']);
    expect(await k.trail(pik)).toEqual(['s:COMPLETED', 'calc:ACTIVE']);
  });

  it('with a task definition it is a job like a service task', async () => {
    k = await constructKit();
    await k.deployProcess('script', `<bpmn:startEvent id="s" /><bpmn:scriptTask id="calc">${job('run-script')}</bpmn:scriptTask>
      <bpmn:endEvent id="e" />${flow('f1', 's', 'calc')}${flow('f2', 'calc', 'e')}`);
    const pik = await k.start('script');
    expect(await k.completeJobs('run-script')).toBe(1);
    expect(await k.state(pik)).toBe('COMPLETED');
  });
});
