import { afterEach, describe, expect, it } from 'vitest';
import { flow } from '../../../testing/bpmn-builder.js';
import { constructKit, type ConstructKit } from '../../../testing/construct-kit.js';

let k: ConstructKit;
afterEach(async () => k?.core.stop());

const all = (pik: string) => ({ filters: [{ field: 'processInstanceKey', op: '$eq' as const, value: pik }], sort: [], offset: 0, limit: 10 });

describe('user tasks', () => {
  it('creates the task with the assignment evaluated at activation and completes the element with the task variables', async () => {
    k = await constructKit();
    await k.deployProcess('ut', `<bpmn:startEvent id="s" /><bpmn:userTask id="review" name="Review">
      <bpmn:extensionElements><zeebe:userTask /><zeebe:assignmentDefinition assignee="=owner" candidateGroups="reviewers, leads" /></bpmn:extensionElements></bpmn:userTask>
      <bpmn:endEvent id="e" />${flow('f1', 's', 'review')}${flow('f2', 'review', 'e')}`);
    const pik = await k.start('ut', { owner: 'rita' });
    const [task] = (await k.queries.searchUserTasks(all(pik))).items;
    expect(task).toMatchObject({ name: 'Review', assignee: 'rita', candidateGroups: ['reviewers', 'leads'], state: 'CREATED' });
    await k.core.completeUserTask(task!.userTaskKey, { variables: { approved: true } });
    expect(await k.state(pik)).toBe('COMPLETED');
    expect(await k.variable(pik, 'approved')).toBe(true);
  });

  it('a form that is not deployed is a FORM_NOT_FOUND incident', async () => {
    k = await constructKit();
    await k.deployProcess('ut', `<bpmn:startEvent id="s" /><bpmn:userTask id="review"><bpmn:extensionElements><zeebe:userTask /><zeebe:formDefinition formId="nowhere" /></bpmn:extensionElements></bpmn:userTask>
      ${flow('f1', 's', 'review')}`);
    const pik = await k.start('ut');
    expect(await k.incidents(pik)).toEqual(['FORM_NOT_FOUND']);
  });

  it('a job-worker user task (no zeebe:userTask) waits on an io.camunda.zeebe:userTask job, not a user task, and completes with it', async () => {
    k = await constructKit();
    await k.deployProcess('ut', `<bpmn:startEvent id="s" /><bpmn:userTask id="review">
      <bpmn:extensionElements><zeebe:assignmentDefinition assignee="=owner" candidateUsers="ann" /></bpmn:extensionElements></bpmn:userTask>
      <bpmn:endEvent id="e" />${flow('f1', 's', 'review')}${flow('f2', 'review', 'e')}`);
    const pik = await k.start('ut', { owner: 'rita' });
    expect((await k.queries.searchUserTasks(all(pik))).items).toEqual([]);
    const [activated] = await k.activate('io.camunda.zeebe:userTask');
    expect(activated!.job).toMatchObject({ retries: 1, customHeaders: { 'io.camunda.zeebe:assignee': 'rita', 'io.camunda.zeebe:candidateUsers': '["ann"]' } });
    await k.core.completeJob(activated!.job.jobKey, { approved: true });
    expect(await k.state(pik)).toBe('COMPLETED');
    expect(await k.variable(pik, 'approved')).toBe(true);
  });

  it('terminating the element cancels its task', async () => {
    k = await constructKit();
    await k.deployProcess('ut', `<bpmn:startEvent id="s" /><bpmn:userTask id="review"><bpmn:extensionElements><zeebe:userTask /></bpmn:extensionElements></bpmn:userTask>${flow('f1', 's', 'review')}`);
    const pik = await k.start('ut');
    await k.core.cancelProcessInstance(pik);
    expect((await k.queries.searchUserTasks(all(pik))).items.map((t) => t.state)).toEqual(['CANCELED']);
  });
});
