import { afterEach, describe, expect, it } from 'vitest';
import { flow } from '../../../runtime/testing/bpmn-builder.js';
import { constructKit, type ConstructKit } from '../../../runtime/testing/construct-kit.js';

let k: ConstructKit;
afterEach(async () => k?.core.stop());

describe('timer events', () => {
  it('a timer catch event waits until its duration (evaluated at activation) has passed', async () => {
    k = await constructKit();
    await k.deployProcess('timer', `<bpmn:startEvent id="s" />
      <bpmn:intermediateCatchEvent id="wait"><bpmn:timerEventDefinition><bpmn:timeDuration>=wait</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
      <bpmn:endEvent id="e" />${flow('f1', 's', 'wait')}${flow('f2', 'wait', 'e')}`);
    const started = k.clock.now();
    const pik = await k.start('timer', { wait: 'P2D' });
    await k.core.pinClock(started + 47 * 3600 * 1000);
    expect(await k.state(pik)).toBe('ACTIVE');
    await k.core.pinClock(started + 49 * 3600 * 1000);
    expect(await k.state(pik)).toBe('COMPLETED');
  });

  it('a timer start event with a cycle starts an instance each time it is due', async () => {
    k = await constructKit();
    await k.deployProcess('cycle', `<bpmn:startEvent id="s"><bpmn:timerEventDefinition><bpmn:timeCycle>R3/PT1H</bpmn:timeCycle></bpmn:timerEventDefinition></bpmn:startEvent>
      <bpmn:endEvent id="e" />${flow('f1', 's', 'e')}`);
    const started = k.clock.now();
    for (let h = 1; h <= 4; h++) await k.core.pinClock(started + h * 3600 * 1000 + 1000);
    const instances = await k.queries.searchProcessInstances({ filters: [{ field: 'processDefinitionId', op: '$eq', value: 'cycle' }], sort: [], offset: 0, limit: 10 });
    expect(instances.items.map((i) => i.state)).toEqual(['COMPLETED', 'COMPLETED', 'COMPLETED']);
  });
});
