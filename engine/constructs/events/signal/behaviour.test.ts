import { afterEach, describe, expect, it } from 'vitest';
import { flow } from '../../../runtime/testing/bpmn-builder.js';
import { constructKit, type ConstructKit } from '../../../runtime/testing/construct-kit.js';

let k: ConstructKit;
afterEach(async () => k?.core.stop());

const SIG = '<bpmn:signal id="Go" name="go" />';

describe('signal events', () => {
  it('a signal end event reaches catch events waiting for the signal and starts instances at signal start events', async () => {
    k = await constructKit();
    await k.deployProcess('waiter', `<bpmn:startEvent id="s" /><bpmn:intermediateCatchEvent id="wait"><bpmn:signalEventDefinition signalRef="Go" /></bpmn:intermediateCatchEvent><bpmn:endEvent id="e" />
      ${flow('f1', 's', 'wait')}${flow('f2', 'wait', 'e')}`, SIG);
    await k.deployProcess('started', `<bpmn:startEvent id="s"><bpmn:signalEventDefinition signalRef="Go" /></bpmn:startEvent><bpmn:endEvent id="e" />${flow('f1', 's', 'e')}`, SIG);
    await k.deployProcess('thrower', `<bpmn:startEvent id="s" /><bpmn:endEvent id="e"><bpmn:signalEventDefinition signalRef="Go" /></bpmn:endEvent>${flow('f1', 's', 'e')}`, SIG);
    const waiter = await k.start('waiter');
    expect(await k.state(waiter)).toBe('ACTIVE');
    const thrower = await k.start('thrower');
    expect(await k.state(thrower)).toBe('COMPLETED');
    expect(await k.state(waiter)).toBe('COMPLETED');
    const started = await k.queries.searchProcessInstances({ filters: [{ field: 'processDefinitionId', op: '$eq', value: 'started' }], sort: [], offset: 0, limit: 10 });
    expect(started.items.map((i) => i.state)).toEqual(['COMPLETED']);
  });
});
