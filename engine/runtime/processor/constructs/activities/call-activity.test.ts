import { afterEach, describe, expect, it } from 'vitest';
import { flow, job } from '../../../testing/bpmn-builder.js';
import { constructKit, type ConstructKit } from '../../../testing/construct-kit.js';

let k: ConstructKit;
afterEach(async () => k?.core.stop());

describe('call activities', () => {
  it('starts the latest version of the called process with the caller variables and takes the child variables back', async () => {
    k = await constructKit();
    await k.deployProcess('child', `<bpmn:startEvent id="cs" /><bpmn:serviceTask id="work">${job('child-work')}</bpmn:serviceTask><bpmn:endEvent id="ce" />
      ${flow('c1', 'cs', 'work')}${flow('c2', 'work', 'ce')}`);
    await k.deployProcess('parent', `<bpmn:startEvent id="s" /><bpmn:callActivity id="call"><bpmn:extensionElements><zeebe:calledElement processId="=which" propagateAllChildVariables="true" /></bpmn:extensionElements></bpmn:callActivity>
      <bpmn:endEvent id="e" />${flow('f1', 's', 'call')}${flow('f2', 'call', 'e')}`);
    const pik = await k.start('parent', { which: 'child', input: 3 });
    const [j] = await k.activate('child-work');
    expect(j?.variables.input).toBe(3);
    await k.core.completeJob(j!.job.jobKey, { output: 4 });
    expect(await k.state(pik)).toBe('COMPLETED');
    expect(await k.variable(pik, 'output')).toBe(4);
  });

  it('terminating the call activity terminates the child instance', async () => {
    k = await constructKit();
    await k.deployProcess('child', `<bpmn:startEvent id="cs" /><bpmn:serviceTask id="work">${job('child-work')}</bpmn:serviceTask>${flow('c1', 'cs', 'work')}`);
    await k.deployProcess('parent', `<bpmn:startEvent id="s" /><bpmn:callActivity id="call"><bpmn:extensionElements><zeebe:calledElement processId="child" /></bpmn:extensionElements></bpmn:callActivity>
      ${flow('f1', 's', 'call')}`);
    const pik = await k.start('parent');
    const children = await k.queries.searchProcessInstances({ filters: [{ field: 'processDefinitionId', op: '$eq', value: 'child' }], sort: [], offset: 0, limit: 10 });
    await k.core.cancelProcessInstance(pik);
    expect(await k.state(children.items[0]!.processInstanceKey)).toBe('TERMINATED');
  });

  it('a called process that is not deployed is a CALLED_ELEMENT_ERROR incident', async () => {
    k = await constructKit();
    await k.deployProcess('parent', `<bpmn:startEvent id="s" /><bpmn:callActivity id="call"><bpmn:extensionElements><zeebe:calledElement processId="nowhere" /></bpmn:extensionElements></bpmn:callActivity>
      ${flow('f1', 's', 'call')}`);
    expect(await k.incidents(await k.start('parent'))).toEqual(['CALLED_ELEMENT_ERROR']);
  });
});
