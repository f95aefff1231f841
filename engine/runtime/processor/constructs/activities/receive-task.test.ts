import { afterEach, describe, expect, it } from 'vitest';
import { flow } from '../../../testing/bpmn-builder.js';
import { constructKit, type ConstructKit } from '../../../testing/construct-kit.js';

let k: ConstructKit;
afterEach(async () => k?.core.stop());

const MSG = '<bpmn:message id="M" name="delivered"><bpmn:extensionElements><zeebe:subscription correlationKey="=orderId" /></bpmn:extensionElements></bpmn:message>';

describe('receive tasks', () => {
  it('waits for its message by correlation key; a message buffered before it opened is taken at once', async () => {
    k = await constructKit();
    await k.deployProcess('rt', `<bpmn:startEvent id="s" /><bpmn:receiveTask id="wait" messageRef="M" /><bpmn:endEvent id="e" />
      ${flow('f1', 's', 'wait')}${flow('f2', 'wait', 'e')}`, MSG);
    await k.core.publishMessage({ name: 'delivered', correlationKey: 'o-2', timeToLive: 60_000, variables: { early: true } });
    const waiting = await k.start('rt', { orderId: 'o-1' });
    const buffered = await k.start('rt', { orderId: 'o-2' });
    expect(await k.state(buffered)).toBe('COMPLETED');
    expect(await k.state(waiting)).toBe('ACTIVE');
    await k.core.publishMessage({ name: 'delivered', correlationKey: 'o-1', variables: { parcel: 7 } });
    expect(await k.state(waiting)).toBe('COMPLETED');
    expect(await k.variable(waiting, 'parcel')).toBe(7);
  });
});
