import { afterEach, describe, expect, it } from 'vitest';
import { flow } from '../../../runtime/testing/bpmn-builder.js';
import { constructKit, type ConstructKit } from '../../../runtime/testing/construct-kit.js';

let k: ConstructKit;
afterEach(async () => k?.core.stop());

const ERRORS = '<bpmn:error id="Known" errorCode="KNOWN" /><bpmn:error id="Dynamic" errorCode="=code" />';

function diagram(): string {
  return `<bpmn:startEvent id="s" />
    <bpmn:subProcess id="sub"><bpmn:startEvent id="ss" /><bpmn:endEvent id="throw"><bpmn:errorEventDefinition errorRef="Dynamic" /></bpmn:endEvent>${flow('g1', 'ss', 'throw')}</bpmn:subProcess>
    <bpmn:boundaryEvent id="caught" attachedToRef="sub"><bpmn:errorEventDefinition errorRef="Known" /></bpmn:boundaryEvent>
    <bpmn:endEvent id="done" /><bpmn:endEvent id="handled" />
    ${flow('f1', 's', 'sub')}${flow('f2', 'sub', 'done')}${flow('f3', 'caught', 'handled')}`;
}

describe('error events', () => {
  it('an error end event with a FEEL code is caught by the boundary event with that code, instead of leaving the sub-process normally', async () => {
    k = await constructKit();
    await k.deployProcess('err', diagram(), ERRORS);
    const pik = await k.start('err', { code: 'KNOWN' });
    expect(await k.state(pik)).toBe('COMPLETED');
    expect(await k.trail(pik)).toEqual(['s:COMPLETED', 'sub:TERMINATED', 'ss:COMPLETED', 'throw:TERMINATED', 'caught:COMPLETED', 'handled:COMPLETED']);
  });

  it('an error nobody catches is an UNHANDLED_ERROR_EVENT incident at the end event', async () => {
    k = await constructKit();
    await k.deployProcess('err', diagram(), ERRORS);
    const pik = await k.start('err', { code: 'OTHER' });
    expect(await k.state(pik)).toBe('ACTIVE');
    expect(await k.incidents(pik)).toEqual(['UNHANDLED_ERROR_EVENT']);
  });
});
