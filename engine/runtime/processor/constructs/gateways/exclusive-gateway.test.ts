import { afterEach, describe, expect, it } from 'vitest';
import { flow } from '../../../testing/bpmn-builder.js';
import { constructKit, type ConstructKit } from '../../../testing/construct-kit.js';

let k: ConstructKit;
afterEach(async () => k?.core.stop());

const diagram = `<bpmn:startEvent id="s" /><bpmn:exclusiveGateway id="g" default="toC" />
  <bpmn:endEvent id="a" /><bpmn:endEvent id="b" /><bpmn:endEvent id="c" />
  ${flow('f0', 's', 'g')}${flow('toA', 'g', 'a', '=x &gt; 1')}${flow('toB', 'g', 'b', '=x &gt; 0')}${flow('toC', 'g', 'c')}`;

describe('exclusive gateways', () => {
  it('takes the first flow whose condition is true, in model order', async () => {
    k = await constructKit();
    await k.deployProcess('xor', diagram);
    expect(await k.trail(await k.start('xor', { x: 5 }))).toEqual(['s:COMPLETED', 'g:COMPLETED', 'a:COMPLETED']);
    expect(await k.trail(await k.start('xor', { x: 1 }))).toEqual(['s:COMPLETED', 'g:COMPLETED', 'b:COMPLETED']);
  });

  it('takes the default flow when no condition is true', async () => {
    k = await constructKit();
    await k.deployProcess('xor', diagram);
    expect(await k.trail(await k.start('xor', { x: 0 }))).toEqual(['s:COMPLETED', 'g:COMPLETED', 'c:COMPLETED']);
  });

  it('without a default flow, no true condition is a CONDITION_ERROR incident; resolving it chooses again', async () => {
    k = await constructKit();
    await k.deployProcess('xor', `<bpmn:startEvent id="s" /><bpmn:exclusiveGateway id="g" /><bpmn:endEvent id="a" />
      ${flow('f0', 's', 'g')}${flow('toA', 'g', 'a', '=x &gt; 1')}`);
    const pik = await k.start('xor', { x: 0 });
    expect(await k.incidents(pik)).toEqual(['CONDITION_ERROR']);
    const incidents = await k.queries.searchIncidents({ filters: [{ field: 'processInstanceKey', op: '$eq', value: pik }], sort: [], offset: 0, limit: 10 });
    await k.core.setVariables(pik, { variables: { x: 2 } });
    await k.core.resolveIncident(incidents.items[0]!.incidentKey);
    expect(await k.state(pik)).toBe('COMPLETED');
  });
});
