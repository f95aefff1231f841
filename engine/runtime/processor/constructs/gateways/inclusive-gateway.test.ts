import { afterEach, describe, expect, it } from 'vitest';
import { flow, job } from '../../../testing/bpmn-builder.js';
import { constructKit, type ConstructKit } from '../../../testing/construct-kit.js';

let k: ConstructKit;
afterEach(async () => k?.core.stop());

describe('inclusive gateways', () => {
  it('forks on every true condition and joins only the branches that were taken', async () => {
    k = await constructKit();
    await k.deployProcess('or', `<bpmn:startEvent id="s" /><bpmn:inclusiveGateway id="fork" />
      <bpmn:serviceTask id="a">${job('a')}</bpmn:serviceTask><bpmn:serviceTask id="b">${job('b')}</bpmn:serviceTask><bpmn:serviceTask id="c">${job('c')}</bpmn:serviceTask>
      <bpmn:inclusiveGateway id="join" /><bpmn:endEvent id="e" />
      ${flow('f0', 's', 'fork')}${flow('fa', 'fork', 'a', '=x &gt; 0')}${flow('fb', 'fork', 'b', '=x &gt; 1')}${flow('fc', 'fork', 'c', '=x &gt; 5')}
      ${flow('ja', 'a', 'join')}${flow('jb', 'b', 'join')}${flow('jc', 'c', 'join')}${flow('fe', 'join', 'e')}`);
    const pik = await k.start('or', { x: 2 });
    expect(await k.completeJobs('c')).toBe(0);
    expect(await k.completeJobs('a')).toBe(1);
    expect(await k.state(pik)).toBe('ACTIVE');
    expect(await k.completeJobs('b')).toBe(1);
    expect(await k.state(pik)).toBe('COMPLETED');
    expect((await k.trail(pik)).filter((e) => e.startsWith('join'))).toEqual(['join:COMPLETED']);
  });
});
