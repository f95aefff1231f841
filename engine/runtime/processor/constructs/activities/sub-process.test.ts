import { afterEach, describe, expect, it } from 'vitest';
import { flow, job } from '../../../testing/bpmn-builder.js';
import { constructKit, type ConstructKit } from '../../../testing/construct-kit.js';

let k: ConstructKit;
afterEach(async () => k?.core.stop());

describe('embedded sub-processes', () => {
  it('run their inside from their none start event and complete when the last inner token ends', async () => {
    k = await constructKit();
    await k.deployProcess('sp', `<bpmn:startEvent id="s" />
      <bpmn:subProcess id="sub"><bpmn:startEvent id="ss" /><bpmn:serviceTask id="inner">${job('inner')}</bpmn:serviceTask><bpmn:endEvent id="se" />${flow('g1', 'ss', 'inner')}${flow('g2', 'inner', 'se')}</bpmn:subProcess>
      <bpmn:endEvent id="e" />${flow('f1', 's', 'sub')}${flow('f2', 'sub', 'e')}`);
    const pik = await k.start('sp');
    expect(await k.trail(pik)).toEqual(['s:COMPLETED', 'sub:ACTIVE', 'ss:COMPLETED', 'inner:ACTIVE']);
    await k.completeJobs('inner');
    expect(await k.trail(pik)).toEqual(['s:COMPLETED', 'sub:COMPLETED', 'ss:COMPLETED', 'inner:COMPLETED', 'se:COMPLETED', 'e:COMPLETED']);
  });
});

describe('event sub-processes', () => {
  it('an interrupting timer event sub-process inside a sub-process interrupts only that sub-process, which then completes', async () => {
    k = await constructKit();
    await k.deployProcess('esp', `<bpmn:startEvent id="s" />
      <bpmn:subProcess id="sub"><bpmn:startEvent id="ss" /><bpmn:serviceTask id="inner">${job('inner')}</bpmn:serviceTask>${flow('g1', 'ss', 'inner')}
        <bpmn:subProcess id="late" triggeredByEvent="true"><bpmn:startEvent id="ls"><bpmn:timerEventDefinition><bpmn:timeDuration>PT1H</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:startEvent><bpmn:endEvent id="le" />${flow('h1', 'ls', 'le')}</bpmn:subProcess>
      </bpmn:subProcess>
      <bpmn:serviceTask id="after">${job('after')}</bpmn:serviceTask>${flow('f1', 's', 'sub')}${flow('f2', 'sub', 'after')}`);
    const pik = await k.start('esp');
    await k.core.pinClock(k.clock.now() + 2 * 3600 * 1000);
    expect(await k.trail(pik)).toEqual(['s:COMPLETED', 'sub:COMPLETED', 'ss:COMPLETED', 'inner:TERMINATED', 'late:COMPLETED', 'ls:COMPLETED', 'le:COMPLETED', 'after:ACTIVE']);
  });
});
