import { afterEach, describe, expect, it } from 'vitest';
import { flow } from '../../../testing/bpmn-builder.js';
import { constructKit, type ConstructKit } from '../../../testing/construct-kit.js';

let k: ConstructKit;
afterEach(async () => k?.core.stop());

const MSG = '<bpmn:message id="M" name="answer"><bpmn:extensionElements><zeebe:subscription correlationKey="=id" /></bpmn:extensionElements></bpmn:message>';

describe('event-based gateways', () => {
  it('the first event wins: a receive task target completes with the message and the timer is cancelled', async () => {
    k = await constructKit();
    await k.deployProcess('ebg', `<bpmn:startEvent id="s" /><bpmn:eventBasedGateway id="g" />
      <bpmn:receiveTask id="reply" messageRef="M" />
      <bpmn:intermediateCatchEvent id="late"><bpmn:timerEventDefinition><bpmn:timeDuration>PT1H</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
      <bpmn:endEvent id="e1" /><bpmn:endEvent id="e2" />
      ${flow('f1', 's', 'g')}${flow('f2', 'g', 'reply')}${flow('f3', 'g', 'late')}${flow('f4', 'reply', 'e1')}${flow('f5', 'late', 'e2')}`, MSG);
    const pik = await k.start('ebg', { id: 'a' });
    await k.core.publishMessage({ name: 'answer', correlationKey: 'a', variables: { ok: true } });
    await k.core.pinClock(k.clock.now() + 2 * 3600 * 1000);
    expect(await k.trail(pik)).toEqual(['s:COMPLETED', 'g:COMPLETED', 'reply:COMPLETED', 'e1:COMPLETED']);
    expect(await k.variable(pik, 'ok')).toBe(true);
    const timers = await k.store.search('timer', { filters: [{ field: 'processInstanceKey', op: '$eq', value: pik }], sort: [], offset: 0, limit: 10 });
    expect(timers.items.map((t) => t.state)).toEqual(['CANCELED']);
  });
});
