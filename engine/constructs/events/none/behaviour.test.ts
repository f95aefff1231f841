import { afterEach, describe, expect, it } from 'vitest';
import { flow } from '../../../runtime/testing/bpmn-builder.js';
import { constructKit, type ConstructKit } from '../../../runtime/testing/construct-kit.js';

let k: ConstructKit;
afterEach(async () => k?.core.stop());

describe('none events', () => {
  it('a none start event, a none intermediate throw event and a none end event each complete and the instance completes', async () => {
    k = await constructKit();
    await k.deployProcess('none', `<bpmn:startEvent id="s" /><bpmn:intermediateThrowEvent id="t" /><bpmn:endEvent id="e" />
      ${flow('f1', 's', 't')}${flow('f2', 't', 'e')}`);
    const pik = await k.start('none');
    expect(await k.state(pik)).toBe('COMPLETED');
    expect(await k.trail(pik)).toEqual(['s:COMPLETED', 't:COMPLETED', 'e:COMPLETED']);
  });
});
