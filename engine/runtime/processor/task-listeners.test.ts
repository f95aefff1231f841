import { describe, expect, it } from 'vitest';
import { EngineError } from '../../errors.js';
import { createTestEngine } from '../testing/engine-harness.js';
import { definitions, flow } from '../testing/bpmn-builder.js';

/** A process `p` with one user task `t` carrying `extension` (listeners, assignment, ...). */
const withTask = (extension: string) =>
  definitions(`<bpmn:process id="p" isExecutable="true">
    <bpmn:startEvent id="s" /><bpmn:userTask id="t"><bpmn:extensionElements><zeebe:userTask />${extension}</bpmn:extensionElements></bpmn:userTask><bpmn:endEvent id="e" />
    ${flow('f1', 's', 't')}${flow('f2', 't', 'e')}
  </bpmn:process>`);

const listener = (eventType: string, type: string) =>
  `<zeebe:taskListeners><zeebe:taskListener eventType="${eventType}" type="${type}" /></zeebe:taskListeners>`;

async function openTask(extension: string, options: { taskListenerRequestTimeout?: number } = {}) {
  const engine = await createTestEngine(options);
  await engine.deploy('p.bpmn', withTask(extension));
  const { instance } = await engine.core.createProcessInstance({ processDefinitionId: 'p' });
  const task = [...engine.core.runtime.userTasks.values()].find((u) => u.processInstanceKey === instance.processInstanceKey)!;
  const activate = (type: string) => engine.core.activateJobs({ type, timeout: 10_000, maxJobsToActivate: 5, requestTimeout: -1 });
  return { ...engine, instance, task, activate };
}

describe('task listeners', () => {
  it('a task without listeners completes at once, as before', async () => {
    const { core, queries, instance, task } = await openTask('');
    await core.completeUserTask(task.userTaskKey, {});
    expect((await queries.getProcessInstance(instance.processInstanceKey)).state).toBe('COMPLETED');
    await core.stop();
  });

  it('answers DEADLINE_EXCEEDED when the listeners take longer than the request timeout; the transition carries on', async () => {
    const { core, queries, instance, task, activate } = await openTask(listener('completing', 'slow'), { taskListenerRequestTimeout: 20 });
    const refused = await core.completeUserTask(task.userTaskKey, { variables: { a: 1 } }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(EngineError);
    expect((refused as EngineError).title).toBe('DEADLINE_EXCEEDED');
    expect((await queries.getUserTask(task.userTaskKey)).state).toBe('COMPLETING');
    const [job] = await activate('slow');
    await core.completeJob(job!.job.jobKey);
    expect((await queries.getProcessInstance(instance.processInstanceKey)).state).toBe('COMPLETED');
    await core.stop();
  });

  it('cancelling the instance while listeners run cancels the listener job and answers the waiting call with INVALID_STATE', async () => {
    const { core, queries, instance, task, activate } = await openTask(listener('assigning', 'check'));
    const assignment = core.assignUserTask(task.userTaskKey, { assignee: 'ann' }).catch((e: unknown) => e);
    const [job] = await activate('check');
    await core.cancelProcessInstance(instance.processInstanceKey);
    const refused = (await assignment) as EngineError;
    expect(refused.title).toBe('INVALID_STATE');
    expect(refused.detail).toMatch(/was canceled while its task listeners ran/);
    expect((await queries.getUserTask(task.userTaskKey)).state).toBe('CANCELED');
    await expect(core.completeJob(job!.job.jobKey)).rejects.toMatchObject({ title: 'NOT_FOUND' });
    await core.stop();
  });

  it("the model's assignee is assigned after creating listeners, and a creating listener cannot replace it", async () => {
    const { core, queries, task, activate } = await openTask(
      `<zeebe:assignmentDefinition assignee="ann" /><zeebe:taskListeners><zeebe:taskListener eventType="creating" type="c" /><zeebe:taskListener eventType="assigning" type="a" /></zeebe:taskListeners>`,
    );
    expect(task.state).toBe('CREATING');
    const [creating] = await activate('c');
    expect(creating!.job.userTask?.assignee).toBeUndefined();
    await expect(core.completeJob(creating!.job.jobKey, undefined, { corrections: { assignee: 'bob' } })).rejects.toThrow(
      /correcting the assignee on 'CREATING' event is not supported when the user task has an assignee defined in the model/,
    );
    await core.completeJob(creating!.job.jobKey, undefined, { corrections: { priority: 7 } });
    const [assigning] = await activate('a');
    expect(assigning!.job.userTask).toMatchObject({ action: '', assignee: 'ann', priority: 7 });
    await core.completeJob(assigning!.job.jobKey);
    expect(await queries.getUserTask(task.userTaskKey)).toMatchObject({ state: 'CREATED', assignee: 'ann', priority: 7 });
    await core.stop();
  });

  it('empty corrections clear the assignee and the due date; an empty list clears candidates', async () => {
    const { core, queries, task, activate } = await openTask(
      `<zeebe:assignmentDefinition assignee="ann" candidateGroups="g" /><zeebe:taskSchedule dueDate="2031-01-01T00:00:00Z" />${listener('updating', 'u')}`,
    );
    const update = core.updateUserTask(task.userTaskKey, { priority: 3 });
    const [job] = await activate('u');
    await core.completeJob(job!.job.jobKey, undefined, { corrections: { assignee: '', dueDate: '', candidateGroups: [] } });
    await update;
    const after = await queries.getUserTask(task.userTaskKey);
    expect(after).toMatchObject({ priority: 3, candidateGroups: [] });
    expect(after.assignee).toBeUndefined();
    expect(after.dueDate).toBeUndefined();
    await core.stop();
  });
});
