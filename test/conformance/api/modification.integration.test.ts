/**
 * Process instance modification (`POST /v2/process-instances/{key}/modification`) through the official client: an
 * operator moves the token of a stuck instance (terminate the waiting job, activate a later task) with variables,
 * and the instance completes from there; activating inside a sub-process creates it; a refused modification
 * changes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NOW, key } from '../support/harness.js';
import { expectRefused, startApiEngine, type TestEngine } from './api-support.js';

describe('REST /v2 process instance modification', () => {
  let t: TestEngine;
  beforeAll(async () => {
    t = await startApiEngine();
    await t.deploy('modification-steps.bpmn');
  });
  afterAll(async () => {
    await t?.stop();
  });

  async function stuckInstance(): Promise<{ pik: string; stuck: string }> {
    const pik = await t.createInstance('modification-steps', { order: 'B-7' });
    const stuck = await t.waitForActiveElement(pik, 'stuck');
    return { pik, stuck: stuck.elementInstanceKey };
  }

  it('moves the token from a stuck job to a later user task, with variables, and the instance completes', async () => {
    const { pik, stuck } = await stuckInstance();
    await t.api.modifyProcessInstance({
      processInstanceKey: key(pik),
      terminateInstructions: [{ elementInstanceKey: key(stuck) }],
      activateInstructions: [
        {
          elementId: key('approve'),
          variableInstructions: [{ variables: { skippedBy: 'adam' } }, { variables: { note: 'system down' }, scopeId: 'approve' }],
        },
      ],
    });
    expect(await t.activeElementIds(pik)).toEqual(['approve']);
    expect((await t.api.searchJobs({ filter: { processInstanceKey: key(pik) } }, NOW)).items.map((j) => j.state)).toEqual(['CANCELED']);
    expect(await t.variables(pik)).toEqual({ order: 'B-7', skippedBy: 'adam' });

    const task = await t.waitForUserTask(pik, 'approve');
    expect(await t.variables(pik, String(task.elementInstanceKey))).toEqual({ note: 'system down' });
    const visible = await t.api.searchUserTaskVariables({ userTaskKey: task.userTaskKey }, NOW);
    expect(Object.fromEntries((visible.items ?? []).map((v) => [v.name, JSON.parse(String(v.value))]))).toEqual({ order: 'B-7', skippedBy: 'adam', note: 'system down' });

    await t.api.completeUserTask({ userTaskKey: task.userTaskKey });
    const [archive] = await t.activate('modification-archive');
    await t.api.completeJob({ jobKey: archive!.jobKey });
    await t.waitForInstanceState(pik, 'COMPLETED');
    // The sub-process and its end event end in the same millisecond: compare as a set (stuck never completed).
    expect((await t.completedElementIds(pik)).sort()).toEqual(['approve', 'archive', 'end', 'finish', 'finish-end', 'finish-start', 'start']);
  });

  it('activating an element inside a sub-process creates the sub-process around it; terminating the last element terminates the instance', async () => {
    const { pik, stuck } = await stuckInstance();
    await t.api.modifyProcessInstance({
      processInstanceKey: key(pik),
      terminateInstructions: [{ elementInstanceKey: key(stuck) }],
      activateInstructions: [{ elementId: key('archive'), variableInstructions: [{ variables: { box: 3 }, scopeId: 'finish' }] }],
    });
    expect(await t.activeElementIds(pik)).toEqual(['archive', 'finish']);
    const [archive] = await t.activate('modification-archive');
    expect(archive!.variables).toEqual({ order: 'B-7', box: 3 });
    const archiveInstance = await t.waitForActiveElement(pik, 'archive');
    await t.api.modifyProcessInstance({ processInstanceKey: key(pik), terminateInstructions: [{ elementInstanceKey: key(archiveInstance.elementInstanceKey) }] });
    await t.waitForInstanceState(pik, 'TERMINATED');
    const ended = await t.elementInstances(pik);
    expect(ended.filter((e) => e.elementId === 'finish' || e.elementId === 'archive').map((e) => e.state)).toEqual(['TERMINATED', 'TERMINATED']);
  });

  it('refuses, changing nothing: unknown elements, a start event, an unknown element instance, an unknown instance', async () => {
    const { pik, stuck } = await stuckInstance();
    const refused = await expectRefused(
      t.api.modifyProcessInstance({
        processInstanceKey: key(pik),
        terminateInstructions: [{ elementInstanceKey: key(stuck) }, { elementInstanceKey: key('2251799813999999') }],
        activateInstructions: [
          { elementId: key('approve') },
          { elementId: key('ghost') },
          { elementId: key('finish-start') },
        ],
      }),
      400,
      'INVALID_ARGUMENT',
    );
    expect(refused.detail).toContain(`terminate instructions with an element instance that could not be found: '2251799813999999'`);
    expect(refused.detail).toContain(`activate instructions with an element that could not be found: 'ghost'`);
    expect(refused.detail).toContain(`activate instructions for elements that are unsupported: 'finish-start'. The activation of elements with type 'START_EVENT' is not supported.`);
    expect(await t.activeElementIds(pik)).toEqual(['stuck']);
    expect((await t.api.searchJobs({ filter: { processInstanceKey: key(pik) } }, NOW)).items.map((j) => j.state)).toEqual(['CREATED']);
    await expectRefused(t.api.modifyProcessInstance({ processInstanceKey: key('2251799813999999'), activateInstructions: [{ elementId: key('approve') }] }), 404, 'NOT_FOUND');
  });
});
