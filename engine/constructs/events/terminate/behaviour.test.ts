import { afterEach, describe, expect, it } from 'vitest';
import { flow, job } from '../../../runtime/testing/bpmn-builder.js';
import { constructKit, type ConstructKit } from '../../../runtime/testing/construct-kit.js';

let k: ConstructKit;
afterEach(async () => k?.core.stop());

describe('terminate end events', () => {
  it('terminates the other tokens of its scope (and their jobs) and completes the scope', async () => {
    k = await constructKit();
    await k.deployProcess('term', `<bpmn:startEvent id="s" /><bpmn:parallelGateway id="fork" />
      <bpmn:serviceTask id="slow">${job('slow')}</bpmn:serviceTask><bpmn:endEvent id="e1" />
      <bpmn:endEvent id="kill"><bpmn:terminateEventDefinition /></bpmn:endEvent>
      ${flow('f1', 's', 'fork')}${flow('f2', 'fork', 'slow')}${flow('f3', 'fork', 'kill')}${flow('f4', 'slow', 'e1')}`);
    const pik = await k.start('term');
    expect(await k.state(pik)).toBe('COMPLETED');
    expect(await k.trail(pik)).toEqual(['s:COMPLETED', 'fork:COMPLETED', 'slow:TERMINATED', 'kill:COMPLETED']);
    expect(await k.activate('slow')).toEqual([]);
  });
});
