import { afterEach, describe, expect, it } from 'vitest';
import { flow } from '../../../runtime/testing/bpmn-builder.js';
import { constructKit, type ConstructKit } from '../../../runtime/testing/construct-kit.js';

let k: ConstructKit;
afterEach(async () => k?.core.stop());

describe('link events', () => {
  it('a link throw event continues at the link catch event of the same name, not at another one', async () => {
    k = await constructKit();
    await k.deployProcess('link', `<bpmn:startEvent id="s" />
      <bpmn:intermediateThrowEvent id="throwA"><bpmn:linkEventDefinition name="A" /></bpmn:intermediateThrowEvent>
      <bpmn:intermediateCatchEvent id="catchA"><bpmn:linkEventDefinition name="A" /></bpmn:intermediateCatchEvent>
      <bpmn:intermediateThrowEvent id="throwB"><bpmn:linkEventDefinition name="B" /></bpmn:intermediateThrowEvent>
      <bpmn:intermediateCatchEvent id="catchB"><bpmn:linkEventDefinition name="B" /></bpmn:intermediateCatchEvent>
      <bpmn:endEvent id="e" />
      ${flow('f1', 's', 'throwA')}${flow('f2', 'catchA', 'throwB')}${flow('f3', 'catchB', 'e')}`);
    const pik = await k.start('link');
    expect(await k.state(pik)).toBe('COMPLETED');
    expect(await k.trail(pik)).toEqual(['s:COMPLETED', 'throwA:COMPLETED', 'catchA:COMPLETED', 'throwB:COMPLETED', 'catchB:COMPLETED', 'e:COMPLETED']);
  });
});
