import { describe, expect, it } from 'vitest';
import { createTestEngine } from '../testing/engine-harness.js';
import { definitions, flow, job } from '../testing/bpmn-builder.js';

const DAY = 24 * 3600 * 1000;

describe('review reminders (non-interrupting boundary timer cycle on a user task)', () => {
  it('fires once per cycle while the task waits and stops when it is completed', async () => {
    const { core, queries, deploy, clock } = await createTestEngine();
    await deploy('remind.bpmn', definitions(`<bpmn:process id="remind" isExecutable="true">
      <bpmn:startEvent id="s" />
      <bpmn:userTask id="review"><bpmn:extensionElements><zeebe:userTask /><zeebe:assignmentDefinition candidateGroups="hdab-reviewers" /></bpmn:extensionElements></bpmn:userTask>
      <bpmn:boundaryEvent id="overdue" attachedToRef="review" cancelActivity="false"><bpmn:timerEventDefinition><bpmn:timeCycle>R/P1D</bpmn:timeCycle></bpmn:timerEventDefinition></bpmn:boundaryEvent>
      <bpmn:serviceTask id="remindReviewer">${job('notification.send')}</bpmn:serviceTask>
      <bpmn:endEvent id="reminded" /><bpmn:endEvent id="done" />
      ${flow('f1', 's', 'review')}${flow('f2', 'review', 'done')}${flow('f3', 'overdue', 'remindReviewer')}${flow('f4', 'remindReviewer', 'reminded')}
    </bpmn:process>`));
    const { instance } = await core.createProcessInstance({ processDefinitionId: 'remind' });
    const start = clock.now();
    await core.pinClock(start + DAY + 1);
    await core.pinClock(start + 2 * DAY + 2);
    const reminders = await core.activateJobs({ type: 'notification.send', timeout: 1000, maxJobsToActivate: 10, requestTimeout: -1 });
    expect(reminders).toHaveLength(2);
    for (const r of reminders) await core.completeJob(r.job.jobKey);
    const [task] = (await queries.searchUserTasks({ filters: [{ field: 'state', op: '$eq', value: 'CREATED' }], sort: [], offset: 0, limit: 5 })).items;
    expect(task!.candidateGroups).toEqual(['hdab-reviewers']);
    await core.completeUserTask(task!.userTaskKey, { variables: { decision: 'APPROVED' } });
    expect(core.runtime.timers.size).toBe(0);
    await core.pinClock(start + 5 * DAY);
    expect(await core.activateJobs({ type: 'notification.send', timeout: 1000, maxJobsToActivate: 10, requestTimeout: -1 })).toHaveLength(0);
    expect((await queries.getProcessInstance(instance.processInstanceKey)).state).toBe('COMPLETED');
    await core.stop();
  });
});
