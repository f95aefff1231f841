import { afterEach, describe, expect, it } from 'vitest';
import { flow } from '../../../testing/bpmn-builder.js';
import { constructKit, type ConstructKit } from '../../../testing/construct-kit.js';

let k: ConstructKit;
afterEach(async () => k?.core.stop());

describe('manual and undefined tasks', () => {
  it('complete at once and apply their output mappings', async () => {
    k = await constructKit();
    await k.deployProcess('mt', `<bpmn:startEvent id="s" />
      <bpmn:manualTask id="m"><bpmn:extensionElements><zeebe:ioMapping><zeebe:output source="=1 + 1" target="two" /></zeebe:ioMapping></bpmn:extensionElements></bpmn:manualTask>
      <bpmn:task id="t" /><bpmn:endEvent id="e" />${flow('f1', 's', 'm')}${flow('f2', 'm', 't')}${flow('f3', 't', 'e')}`);
    const pik = await k.start('mt');
    expect(await k.trail(pik)).toEqual(['s:COMPLETED', 'm:COMPLETED', 't:COMPLETED', 'e:COMPLETED']);
    expect(await k.variable(pik, 'two')).toBe(2);
  });
});
