import { afterEach, describe, expect, it } from 'vitest';
import { flow, job } from '../../../testing/bpmn-builder.js';
import { constructKit, type ConstructKit } from '../../../testing/construct-kit.js';

let k: ConstructKit;
afterEach(async () => k?.core.stop());

describe('end events', () => {
  it('an end event ends only its token; the process completes when the last token ends', async () => {
    k = await constructKit();
    await k.deployProcess('ends', `<bpmn:startEvent id="s" /><bpmn:parallelGateway id="fork" />
      <bpmn:endEvent id="quick" /><bpmn:serviceTask id="slow">${job('slow')}</bpmn:serviceTask><bpmn:endEvent id="late" />
      ${flow('f1', 's', 'fork')}${flow('f2', 'fork', 'quick')}${flow('f3', 'fork', 'slow')}${flow('f4', 'slow', 'late')}`);
    const pik = await k.start('ends');
    expect(await k.state(pik)).toBe('ACTIVE');
    expect(await k.trail(pik)).toContain('quick:COMPLETED');
    await k.completeJobs('slow');
    expect(await k.state(pik)).toBe('COMPLETED');
  });
});
