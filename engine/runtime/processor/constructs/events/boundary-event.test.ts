import { afterEach, describe, expect, it } from 'vitest';
import { flow, job } from '../../../testing/bpmn-builder.js';
import { constructKit, type ConstructKit } from '../../../testing/construct-kit.js';

let k: ConstructKit;
afterEach(async () => k?.core.stop());

const MSG = '<bpmn:message id="Nudge" name="nudge"><bpmn:extensionElements><zeebe:subscription correlationKey="=id" /></bpmn:extensionElements></bpmn:message>';

function diagram(cancelActivity: boolean): string {
  return `<bpmn:startEvent id="s" /><bpmn:serviceTask id="work">${job('work')}</bpmn:serviceTask><bpmn:endEvent id="e" />
    <bpmn:boundaryEvent id="nudged" attachedToRef="work" cancelActivity="${cancelActivity}"><bpmn:messageEventDefinition messageRef="Nudge" /></bpmn:boundaryEvent><bpmn:endEvent id="ne" />
    ${flow('f1', 's', 'work')}${flow('f2', 'work', 'e')}${flow('f3', 'nudged', 'ne')}`;
}

describe('boundary events', () => {
  it('an interrupting boundary event terminates its activity (and the job) and takes its own flow with the message variables', async () => {
    k = await constructKit();
    await k.deployProcess('b', diagram(true), MSG);
    const pik = await k.start('b', { id: 'x' });
    await k.core.publishMessage({ name: 'nudge', correlationKey: 'x', variables: { by: 'rita' } });
    expect(await k.state(pik)).toBe('COMPLETED');
    expect(await k.trail(pik)).toEqual(['s:COMPLETED', 'work:TERMINATED', 'nudged:COMPLETED', 'ne:COMPLETED']);
    expect(await k.variable(pik, 'by')).toBe('rita');
    expect(await k.activate('work')).toEqual([]);
  });

  it('a non-interrupting boundary event fires each time and the activity carries on', async () => {
    k = await constructKit();
    await k.deployProcess('b', diagram(false), MSG);
    const pik = await k.start('b', { id: 'x' });
    await k.core.publishMessage({ name: 'nudge', correlationKey: 'x' });
    await k.core.publishMessage({ name: 'nudge', correlationKey: 'x' });
    expect(await k.completeJobs('work')).toBe(1);
    expect(await k.state(pik)).toBe('COMPLETED');
    expect((await k.trail(pik)).filter((e) => e === 'nudged:COMPLETED')).toHaveLength(2);
  });
});
