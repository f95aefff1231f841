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

/** The same loop behind a timer, and a second process whose timer falls due in the same batch. */
const timedLoopXml = definitions(`<bpmn:process id="timed-loop" isExecutable="true">
    <bpmn:startEvent id="s" />
    <bpmn:intermediateCatchEvent id="wait"><bpmn:timerEventDefinition><bpmn:timeDuration>PT1H</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
    <bpmn:task id="a" /><bpmn:task id="b" />
    ${flow('f1', 's', 'wait')}${flow('f2', 'wait', 'a')}${flow('f3', 'a', 'b')}${flow('f4', 'b', 'a')}
  </bpmn:process>`);

const timedWorkXml = definitions(`<bpmn:process id="timed-work" isExecutable="true">
    <bpmn:startEvent id="s" />
    <bpmn:intermediateCatchEvent id="wait"><bpmn:timerEventDefinition><bpmn:timeDuration>PT1H</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
    <bpmn:serviceTask id="t">${job('work')}</bpmn:serviceTask><bpmn:endEvent id="e" />
    ${flow('f1', 's', 'wait')}${flow('f2', 'wait', 't')}${flow('f3', 't', 'e')}
  </bpmn:process>`);

describe('a timer that leads into such a loop', () => {
  it('is quarantined as the entry that failed, so a timer due in the same batch still fires', async () => {
    const clock = new EngineClock();
    const start = Date.parse('2026-12-07T00:00:00Z');
    clock.pin(start);
    const core = await EngineCore.open({ store: new InMemoryStore(), logger: pino({ level: 'silent' }), clock, defaultRequestTimeout: 50 });
    await core.deploy([
      { name: 'timed-loop.bpmn', content: Buffer.from(timedLoopXml) },
      { name: 'timed-work.bpmn', content: Buffer.from(timedWorkXml) },
    ]);
    await core.createProcessInstance({ processDefinitionId: 'timed-loop' });
    await core.createProcessInstance({ processDefinitionId: 'timed-work' });
    // Both timers fall due in one batch; the loop's steps exceed the limit and that batch is rolled back.
    await core.pinClock(start + 2 * 3_600_000).catch(() => undefined);
    // The next batch skips the quarantined timer and fires the other one.
    await core.pinClock(start + 2 * 3_600_000 + 1);
    expect([...core.runtime.jobs.values()].map((j) => j.type)).toEqual(['work']);
    await core.stop();
  }, 60_000);
});
