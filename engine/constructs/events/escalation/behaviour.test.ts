import { afterEach, describe, expect, it } from 'vitest';
import { flow } from '../../../runtime/testing/bpmn-builder.js';
import { constructKit, type ConstructKit } from '../../../runtime/testing/construct-kit.js';

let k: ConstructKit;
afterEach(async () => k?.core.stop());

const ESC = '<bpmn:escalation id="Esc" escalationCode="LATE" />';

describe('escalation events', () => {
  it('a non-interrupting escalation boundary event runs beside the sub-process, whose throw event goes on', async () => {
    k = await constructKit();
    await k.deployProcess('esc', `<bpmn:startEvent id="s" />
      <bpmn:subProcess id="sub"><bpmn:startEvent id="ss" /><bpmn:intermediateThrowEvent id="raise"><bpmn:escalationEventDefinition escalationRef="Esc" /></bpmn:intermediateThrowEvent><bpmn:endEvent id="se" />${flow('g1', 'ss', 'raise')}${flow('g2', 'raise', 'se')}</bpmn:subProcess>
      <bpmn:boundaryEvent id="noted" attachedToRef="sub" cancelActivity="false"><bpmn:escalationEventDefinition escalationRef="Esc" /></bpmn:boundaryEvent>
      <bpmn:endEvent id="done" /><bpmn:endEvent id="handled" />
      ${flow('f1', 's', 'sub')}${flow('f2', 'sub', 'done')}${flow('f3', 'noted', 'handled')}`, ESC);
    const pik = await k.start('esc');
    expect(await k.state(pik)).toBe('COMPLETED');
    expect((await k.trail(pik)).sort()).toEqual(['done:COMPLETED', 'handled:COMPLETED', 'noted:COMPLETED', 'raise:COMPLETED', 's:COMPLETED', 'se:COMPLETED', 'ss:COMPLETED', 'sub:COMPLETED']);
  });

  it('an escalation nobody catches is no incident: the throw event completes', async () => {
    k = await constructKit();
    await k.deployProcess('esc', `<bpmn:startEvent id="s" /><bpmn:endEvent id="e"><bpmn:escalationEventDefinition escalationRef="Esc" /></bpmn:endEvent>${flow('f1', 's', 'e')}`, ESC);
    const pik = await k.start('esc');
    expect(await k.state(pik)).toBe('COMPLETED');
    expect(await k.incidents(pik)).toEqual([]);
  });
});
