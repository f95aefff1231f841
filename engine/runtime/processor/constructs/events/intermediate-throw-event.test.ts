import { afterEach, describe, expect, it } from 'vitest';
import { flow, job } from '../../../testing/bpmn-builder.js';
import { constructKit, type ConstructKit } from '../../../testing/construct-kit.js';

let k: ConstructKit;
afterEach(async () => k?.core.stop());

const SIG = '<bpmn:signal id="Go" name="=&quot;go-&quot; + which" />';

describe('intermediate throw events', () => {
  it('a signal throw event broadcasts the signal named by FEEL and the token goes on', async () => {
    k = await constructKit();
    await k.deployProcess('catcher', `<bpmn:startEvent id="s" /><bpmn:intermediateCatchEvent id="wait"><bpmn:signalEventDefinition signalRef="Go" /></bpmn:intermediateCatchEvent><bpmn:endEvent id="e" />
      ${flow('f1', 's', 'wait')}${flow('f2', 'wait', 'e')}`, SIG);
    await k.deployProcess('thrower', `<bpmn:startEvent id="s" /><bpmn:intermediateThrowEvent id="shout"><bpmn:signalEventDefinition signalRef="Go" /></bpmn:intermediateThrowEvent>
      <bpmn:serviceTask id="after">${job('after')}</bpmn:serviceTask>${flow('f1', 's', 'shout')}${flow('f2', 'shout', 'after')}`, SIG);
    const catcher = await k.start('catcher', { which: 'a' });
    const other = await k.start('catcher', { which: 'b' });
    const thrower = await k.start('thrower', { which: 'a' });
    expect(await k.trail(thrower)).toEqual(['s:COMPLETED', 'shout:COMPLETED', 'after:ACTIVE']);
    expect(await k.state(catcher)).toBe('COMPLETED');
    expect(await k.state(other)).toBe('ACTIVE');
  });

  it('a signal name that cannot be evaluated is an incident at the throw event', async () => {
    k = await constructKit();
    await k.deployProcess('thrower', `<bpmn:startEvent id="s" /><bpmn:intermediateThrowEvent id="shout"><bpmn:signalEventDefinition signalRef="Go" /></bpmn:intermediateThrowEvent>
      <bpmn:endEvent id="e" />${flow('f1', 's', 'shout')}${flow('f2', 'shout', 'e')}`, SIG);
    const pik = await k.start('thrower');
    expect(await k.incidents(pik)).toEqual(['EXTRACT_VALUE_ERROR']);
    expect(await k.trail(pik)).toEqual(['s:COMPLETED', 'shout:ACTIVE']);
  });
});
