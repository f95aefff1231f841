import { afterEach, describe, expect, it } from 'vitest';
import { flow, job } from '../../../testing/bpmn-builder.js';
import { constructKit, type ConstructKit } from '../../../testing/construct-kit.js';

let k: ConstructKit;
afterEach(async () => k?.core.stop());

const SIG = '<bpmn:signal id="Go" name="go" />';

describe('intermediate catch events', () => {
  it('waits for its event, closes its subscription when it arrives, and a second signal finds nobody', async () => {
    k = await constructKit();
    await k.deployProcess('ice', `<bpmn:startEvent id="s" /><bpmn:intermediateCatchEvent id="wait"><bpmn:signalEventDefinition signalRef="Go" /></bpmn:intermediateCatchEvent>
      <bpmn:serviceTask id="after">${job('after')}</bpmn:serviceTask><bpmn:endEvent id="e" />
      ${flow('f1', 's', 'wait')}${flow('f2', 'wait', 'after')}${flow('f3', 'after', 'e')}`, SIG);
    const pik = await k.start('ice');
    expect(await k.trail(pik)).toEqual(['s:COMPLETED', 'wait:ACTIVE']);
    await k.core.broadcastSignal({ signalName: 'go', variables: { n: 1 } });
    await k.core.broadcastSignal({ signalName: 'go', variables: { n: 2 } });
    expect(await k.trail(pik)).toEqual(['s:COMPLETED', 'wait:COMPLETED', 'after:ACTIVE']);
    expect(await k.variable(pik, 'n')).toBe(1);
  });
});
