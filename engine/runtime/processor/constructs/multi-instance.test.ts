import { afterEach, describe, expect, it } from 'vitest';
import { flow, job } from '../../testing/bpmn-builder.js';
import { constructKit, type ConstructKit } from '../../testing/construct-kit.js';

let k: ConstructKit;
afterEach(async () => k?.core.stop());

const loop = (attrs: string, condition = '') =>
  `<bpmn:multiInstanceLoopCharacteristics ${attrs.includes('sequential') ? 'isSequential="true"' : ''}><bpmn:extensionElements><zeebe:loopCharacteristics inputCollection="=items" inputElement="item" outputCollection="results" outputElement="=item * 10" /></bpmn:extensionElements>${condition}</bpmn:multiInstanceLoopCharacteristics>`;

describe('multi-instance', () => {
  it('sequential: one inner instance at a time with loopCounter, outputs collected in order', async () => {
    k = await constructKit();
    await k.deployProcess('mi', `<bpmn:startEvent id="s" /><bpmn:serviceTask id="t">${job('item')}${loop('sequential')}</bpmn:serviceTask><bpmn:endEvent id="e" />
      ${flow('f1', 's', 't')}${flow('f2', 't', 'e')}`);
    const pik = await k.start('mi', { items: [1, 2, 3] });
    const seen: unknown[] = [];
    for (let i = 0; i < 3; i++) {
      const jobs = await k.activate('item');
      expect(jobs).toHaveLength(1);
      seen.push([jobs[0]!.variables.item, jobs[0]!.variables.loopCounter]);
      await k.core.completeJob(jobs[0]!.job.jobKey);
    }
    expect(seen).toEqual([[1, 1], [2, 2], [3, 3]]);
    expect(await k.state(pik)).toBe('COMPLETED');
    expect(await k.variable(pik, 'results')).toEqual([10, 20, 30]);
  });

  it('parallel with a completion condition: ends early and terminates the inner instances still running', async () => {
    k = await constructKit();
    await k.deployProcess('mi', `<bpmn:startEvent id="s" /><bpmn:serviceTask id="t">${job('item')}${loop('parallel', '<bpmn:completionCondition>=numberOfCompletedInstances &gt;= 2</bpmn:completionCondition>')}</bpmn:serviceTask>
      <bpmn:endEvent id="e" />${flow('f1', 's', 't')}${flow('f2', 't', 'e')}`);
    const pik = await k.start('mi', { items: [1, 2, 3] });
    const jobs = await k.activate('item');
    expect(jobs).toHaveLength(3);
    await k.core.completeJob(jobs[0]!.job.jobKey);
    await k.core.completeJob(jobs[1]!.job.jobKey);
    expect(await k.state(pik)).toBe('COMPLETED');
    expect((await k.trail(pik)).filter((e) => e.startsWith('t:'))).toEqual(['t:COMPLETED', 't:COMPLETED', 't:COMPLETED', 't:TERMINATED']);
  });
});
