import { afterEach, describe, expect, it } from 'vitest';
import { flow, job } from '../../../testing/bpmn-builder.js';
import { constructKit, type ConstructKit } from '../../../testing/construct-kit.js';

let k: ConstructKit;
afterEach(async () => k?.core.stop());

const MSG = '<bpmn:message id="Cancel" name="cancel"><bpmn:extensionElements><zeebe:subscription correlationKey="=id" /></bpmn:extensionElements></bpmn:message>';

describe('start events', () => {
  it('an interrupting message start event of an event sub-process terminates the other tokens and the scope completes after it', async () => {
    k = await constructKit();
    await k.deployProcess('esp', `<bpmn:startEvent id="s" /><bpmn:serviceTask id="work">${job('work')}</bpmn:serviceTask><bpmn:endEvent id="e" />
      <bpmn:subProcess id="onCancel" triggeredByEvent="true">
        <bpmn:startEvent id="cancelled"><bpmn:messageEventDefinition messageRef="Cancel" /></bpmn:startEvent><bpmn:endEvent id="ce" />${flow('c1', 'cancelled', 'ce')}
      </bpmn:subProcess>
      ${flow('f1', 's', 'work')}${flow('f2', 'work', 'e')}`, MSG);
    const pik = await k.start('esp', { id: 'p-1' });
    await k.core.publishMessage({ name: 'cancel', correlationKey: 'p-1', variables: { why: 'asked' } });
    expect(await k.state(pik)).toBe('COMPLETED');
    expect(await k.trail(pik)).toEqual(['s:COMPLETED', 'work:TERMINATED', 'onCancel:COMPLETED', 'cancelled:COMPLETED', 'ce:COMPLETED']);
    expect(await k.variable(pik, 'why')).toBe('asked');
  });

  it('a non-interrupting event sub-process start keeps listening and leaves the other tokens running', async () => {
    k = await constructKit();
    await k.deployProcess('esp', `<bpmn:startEvent id="s" /><bpmn:serviceTask id="work">${job('work')}</bpmn:serviceTask><bpmn:endEvent id="e" />
      <bpmn:subProcess id="onCancel" triggeredByEvent="true">
        <bpmn:startEvent id="cancelled" isInterrupting="false"><bpmn:messageEventDefinition messageRef="Cancel" /></bpmn:startEvent><bpmn:endEvent id="ce" />${flow('c1', 'cancelled', 'ce')}
      </bpmn:subProcess>
      ${flow('f1', 's', 'work')}${flow('f2', 'work', 'e')}`, MSG);
    const pik = await k.start('esp', { id: 'p-1' });
    await k.core.publishMessage({ name: 'cancel', correlationKey: 'p-1' });
    await k.core.publishMessage({ name: 'cancel', correlationKey: 'p-1' });
    expect((await k.trail(pik)).filter((e) => e === 'onCancel:COMPLETED')).toHaveLength(2);
    expect(await k.completeJobs('work')).toBe(1);
    expect(await k.state(pik)).toBe('COMPLETED');
  });
});
