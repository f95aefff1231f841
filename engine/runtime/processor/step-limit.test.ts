import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { EngineClock } from '../clock.js';
import { EngineCore } from '../engine.js';
import { definitions, flow, job } from '../testing/bpmn-builder.js';
import { InMemoryStore } from '../testing/in-memory-store.js';

/** `a` → `b` → `a` with no wait state: a start ran forever on the engine's thread until it ran out of memory. */
const loopXml = definitions(`<bpmn:process id="loop" isExecutable="true">
    <bpmn:startEvent id="s" /><bpmn:task id="a" /><bpmn:task id="b" />
    ${flow('f1', 's', 'a')}${flow('f2', 'a', 'b')}${flow('f3', 'b', 'a')}
  </bpmn:process>`);

const workXml = definitions(`<bpmn:process id="work" isExecutable="true">
    <bpmn:startEvent id="s" /><bpmn:serviceTask id="t">${job('work')}</bpmn:serviceTask><bpmn:endEvent id="e" />
    ${flow('f1', 's', 't')}${flow('f2', 't', 'e')}
  </bpmn:process>`);

describe('a command that loops without a wait state', () => {
  it('is refused with 409 after the step limit, applies nothing, and the engine goes on serving', async () => {
    const core = await EngineCore.open({ store: new InMemoryStore(), logger: pino({ level: 'silent' }), clock: new EngineClock(), defaultRequestTimeout: 50 });
    await core.deploy([
      { name: 'loop.bpmn', content: Buffer.from(loopXml) },
      { name: 'work.bpmn', content: Buffer.from(workXml) },
    ]);
    const started = Date.now();
    await expect(core.createProcessInstance({ processDefinitionId: 'loop' })).rejects.toMatchObject({
      title: 'INVALID_STATE',
      status: 409,
      message: expect.stringMatching(/within 100000 steps.*loops without a wait state.*nothing was applied/) as unknown,
    });
    expect(Date.now() - started).toBeLessThan(30_000);
    const { instance } = await core.createProcessInstance({ processDefinitionId: 'work' });
    expect(instance.processDefinitionId).toBe('work');
    // The looping instance was rolled back: only the one started after it exists.
    expect([...core.runtime.instances.values()].map((i) => i.processDefinitionId)).toEqual(['work']);
    await core.stop();
  }, 60_000);
});
