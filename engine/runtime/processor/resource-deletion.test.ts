import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { EngineClock } from '../clock.js';
import { EngineCore } from '../engine.js';
import { EngineQueryService } from '../engine-queries.js';
import { definitions, flow, job } from '../testing/bpmn-builder.js';
import { InMemoryStore } from '../testing/in-memory-store.js';

const open = async (store: InMemoryStore, clock: EngineClock) => {
  const core = await EngineCore.open({ store, logger: pino({ level: 'silent' }), clock, defaultRequestTimeout: 50 });
  return { core, queries: new EngineQueryService(store, clock, () => core.runtime) };
};

/** One process id; `label` makes each deployment a new version. */
const processXml = (label: string) =>
  definitions(`<bpmn:process id="deletable" name="${label}" isExecutable="true">
    <bpmn:startEvent id="s" /><bpmn:serviceTask id="t">${job('deletable-work')}</bpmn:serviceTask><bpmn:endEvent id="e" />
    ${flow('f1', 's', 't')}${flow('f2', 't', 'e')}
  </bpmn:process>`);

const deploy = async (core: EngineCore, label: string) => {
  const result = await core.deploy([{ name: `deletable-${label}.bpmn`, content: Buffer.from(processXml(label)) }]);
  return result.processes[0]!;
};

describe('resource deletion', () => {
  it('refuses a definition with a running instance and deletes it once the instance has ended', async () => {
    const { core } = await open(new InMemoryStore(), new EngineClock());
    const v1 = await deploy(core, 'one');
    const { instance } = await core.createProcessInstance({ processDefinitionKey: v1.processDefinitionKey });
    await expect(core.deleteResource(v1.processDefinitionKey)).rejects.toMatchObject({
      title: 'INVALID_STATE',
      message: `Expected to delete resource with key \`${v1.processDefinitionKey}\` but there are still running instances`,
    });
    await core.cancelProcessInstance(instance.processInstanceKey);
    await core.deleteResource(v1.processDefinitionKey);
    await expect(core.createProcessInstance({ processDefinitionId: 'deletable' })).rejects.toMatchObject({ title: 'NOT_FOUND' });
    await expect(core.deleteResource(v1.processDefinitionKey)).rejects.toMatchObject({ title: 'NOT_FOUND' });
    await core.stop();
  });

  it('remembers deleted versions across a restart: the next deployment never reuses a number', async () => {
    const store = new InMemoryStore();
    const clock = new EngineClock();
    const first = await open(store, clock);
    await deploy(first.core, 'one');
    const v2 = await deploy(first.core, 'two');
    await first.core.deleteResource(v2.processDefinitionKey);
    await first.core.stop();

    const second = await open(store, clock);
    const latest = await second.core.createProcessInstance({ processDefinitionId: 'deletable' });
    expect(latest.instance.processDefinitionVersion).toBe(1);
    expect((await second.queries.searchProcessDefinitions({ filters: [], sort: [], offset: 0, limit: 10 })).items.map((d) => d.version)).toEqual([1]);
    await expect(second.queries.getProcessDefinition(v2.processDefinitionKey)).rejects.toMatchObject({ title: 'NOT_FOUND' });
    expect((await deploy(second.core, 'three')).version).toBe(3);
    await second.core.stop();
  });
});
