import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { EngineClock } from './clock.js';
import { EngineCore } from './engine.js';
import { EngineQueryService } from './engine-queries.js';
import { definitions, flow, job } from './testing/bpmn-builder.js';
import { InMemoryStore } from './testing/in-memory-store.js';

const open = async (store: InMemoryStore, clock: EngineClock) => {
  const core = await EngineCore.open({ store, logger: pino({ level: 'silent' }), clock, defaultRequestTimeout: 50 });
  return { core, queries: new EngineQueryService(store, clock, () => core.runtime) };
};

describe('engine restart from the store', () => {
  it('carries on with user tasks, timers, subscriptions, failed jobs and multi-instance bodies', async () => {
    const store = new InMemoryStore();
    const clock = new EngineClock();
    const first = await open(store, clock);
    await first.core.deploy([
      {
        name: 'restart.bpmn',
        content: Buffer.from(
          definitions(`<bpmn:message id="M" name="ping"><bpmn:extensionElements><zeebe:subscription correlationKey="=id" /></bpmn:extensionElements></bpmn:message>
          <bpmn:process id="restart" isExecutable="true">
            <bpmn:startEvent id="s" /><bpmn:parallelGateway id="fork" />
            <bpmn:userTask id="review"><bpmn:extensionElements><zeebe:userTask /></bpmn:extensionElements></bpmn:userTask>
            <bpmn:intermediateCatchEvent id="wait"><bpmn:timerEventDefinition><bpmn:timeDuration>P365D</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
            <bpmn:receiveTask id="receive" messageRef="M" />
            <bpmn:serviceTask id="each">${job('each')}<bpmn:multiInstanceLoopCharacteristics isSequential="true"><bpmn:extensionElements><zeebe:loopCharacteristics inputCollection="=[1,2]" inputElement="n" /></bpmn:extensionElements></bpmn:multiInstanceLoopCharacteristics></bpmn:serviceTask>
            <bpmn:parallelGateway id="join" /><bpmn:endEvent id="e" />
            ${flow('f0', 's', 'fork')}${flow('f1', 'fork', 'review')}${flow('f2', 'fork', 'wait')}${flow('f3', 'fork', 'receive')}${flow('f4', 'fork', 'each')}
            ${flow('j1', 'review', 'join')}${flow('j2', 'wait', 'join')}${flow('j3', 'receive', 'join')}${flow('j4', 'each', 'join')}${flow('fe', 'join', 'e')}
          </bpmn:process>`),
        ),
      },
    ]);
    const { instance } = await first.core.createProcessInstance({ processDefinitionId: 'restart', variables: { id: 'r1' } });
    const [j1] = await first.core.activateJobs({ type: 'each', timeout: 60_000, maxJobsToActivate: 1, requestTimeout: -1 });
    await first.core.failJob(j1!.job.jobKey, { retries: 0, errorMessage: 'down' });
    await first.core.stop();

    const second = await open(store, clock);
    const tasks = await second.queries.searchUserTasks({ filters: [{ field: 'state', op: '$eq', value: 'CREATED' }], sort: [], offset: 0, limit: 10 });
    expect(tasks.items).toHaveLength(1);
    // The job without retries stays put until its incident is resolved, also after a restart.
    expect(await second.core.activateJobs({ type: 'each', timeout: 1000, maxJobsToActivate: 1, requestTimeout: -1 })).toHaveLength(0);
    await second.core.updateJob(j1!.job.jobKey, { retries: 1 });
    const [incident] = (await second.queries.searchIncidents({ filters: [], sort: [], offset: 0, limit: 10 })).items;
    await second.core.resolveIncident(incident!.incidentKey);
    for (let i = 0; i < 2; i++) {
      const [j] = await second.core.activateJobs({ type: 'each', timeout: 1000, maxJobsToActivate: 1, requestTimeout: -1 });
      await second.core.completeJob(j!.job.jobKey);
    }
    await second.core.completeUserTask(tasks.items[0]!.userTaskKey, { variables: { approved: true } });
    await second.core.publishMessage({ name: 'ping', correlationKey: 'r1' });
    expect((await second.queries.getProcessInstance(instance.processInstanceKey)).state).toBe('ACTIVE');
    await second.core.stop();

    const third = await open(store, clock);
    await third.core.pinClock(clock.now() + 366 * 24 * 3600 * 1000);
    expect((await third.queries.getProcessInstance(instance.processInstanceKey)).state).toBe('COMPLETED');
    await third.core.stop();
  });
});
