import { afterEach, describe, expect, it } from 'vitest';
import { flow, job } from '../../../testing/bpmn-builder.js';
import { constructKit, type ConstructKit } from '../../../testing/construct-kit.js';

let k: ConstructKit;
afterEach(async () => k?.core.stop());

describe('parallel gateways', () => {
  it('forks to every branch and joins once a token arrived on every incoming flow', async () => {
    k = await constructKit();
    await k.deployProcess('and', `<bpmn:startEvent id="s" /><bpmn:parallelGateway id="fork" />
      <bpmn:serviceTask id="a">${job('a')}</bpmn:serviceTask><bpmn:serviceTask id="b">${job('b')}</bpmn:serviceTask>
      <bpmn:parallelGateway id="join" /><bpmn:endEvent id="e" />
      ${flow('f0', 's', 'fork')}${flow('fa', 'fork', 'a')}${flow('fb', 'fork', 'b')}${flow('ja', 'a', 'join')}${flow('jb', 'b', 'join')}${flow('fe', 'join', 'e')}`);
    const pik = await k.start('and');
    expect(await k.completeJobs('a')).toBe(1);
    expect(await k.state(pik)).toBe('ACTIVE');
    expect((await k.trail(pik)).some((e) => e.startsWith('join'))).toBe(false);
    expect(await k.completeJobs('b')).toBe(1);
    expect(await k.state(pik)).toBe('COMPLETED');
    expect((await k.trail(pik)).filter((e) => e.startsWith('join') || e.startsWith('e:'))).toEqual(['join:COMPLETED', 'e:COMPLETED']);
  });
});
