import { afterEach, describe, expect, it } from 'vitest';
import { flow, job } from '../../../runtime/testing/bpmn-builder.js';
import { constructKit, type ConstructKit } from '../../../runtime/testing/construct-kit.js';

let k: ConstructKit;
afterEach(async () => k?.core.stop());

// The message name is FEEL: "answer-" + kind.
const MSG = '<bpmn:message id="M" name="=&quot;answer-&quot; + kind"><bpmn:extensionElements><zeebe:subscription correlationKey="=id" /></bpmn:extensionElements></bpmn:message>';

describe('message events', () => {
  it('a catch event subscribes with the name and correlation key evaluated at activation and completes with the message variables', async () => {
    k = await constructKit();
    await k.deployProcess('msg', `<bpmn:startEvent id="s" /><bpmn:intermediateCatchEvent id="wait"><bpmn:messageEventDefinition messageRef="M" /></bpmn:intermediateCatchEvent><bpmn:endEvent id="e" />
      ${flow('f1', 's', 'wait')}${flow('f2', 'wait', 'e')}`, MSG);
    const pik = await k.start('msg', { kind: 'yes', id: 'k-1' });
    await k.core.publishMessage({ name: 'answer-no', correlationKey: 'k-1', variables: { wrong: true } });
    await k.core.publishMessage({ name: 'answer-yes', correlationKey: 'k-2', variables: { wrong: true } });
    expect(await k.state(pik)).toBe('ACTIVE');
    await k.core.publishMessage({ name: 'answer-yes', correlationKey: 'k-1', variables: { answer: 42 } });
    expect(await k.state(pik)).toBe('COMPLETED');
    expect(await k.variable(pik, 'answer')).toBe(42);
    expect(await k.variable(pik, 'wrong')).toBeUndefined();
  });

  it('a message end event with a task definition waits for its job', async () => {
    k = await constructKit();
    await k.deployProcess('send', `<bpmn:startEvent id="s" /><bpmn:endEvent id="e"><bpmn:messageEventDefinition />${job('send-message')}</bpmn:endEvent>${flow('f1', 's', 'e')}`);
    const pik = await k.start('send');
    expect(await k.state(pik)).toBe('ACTIVE');
    expect(await k.completeJobs('send-message')).toBe(1);
    expect(await k.state(pik)).toBe('COMPLETED');
  });
});
