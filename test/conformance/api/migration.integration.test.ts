/**
 * Process instance migration (`POST /v2/process-instances/{key}/migration`) through the official client: a running
 * instance moves to the next version of its process while it waits at a user task or at a job, keeps its task and
 * job keys, and completes on the new version; every refusal leaves the instance as it was.
 */
import { Camunda8 } from '@camunda8/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NOW, key } from '../support/harness.js';
import { expectRefused, rawRequest, startApiEngine, type TestEngine } from './api-support.js';

describe('REST /v2 process instance migration', () => {
  let t: TestEngine;
  let v1: string;
  let v2: string;
  beforeAll(async () => {
    t = await startApiEngine();
    v1 = String((await t.deploy('migration-order-v1.bpmn')).processes[0]!.processDefinitionKey);
    v2 = String((await t.deploy('migration-order-v2.bpmn')).processes[0]!.processDefinitionKey);
  });
  afterAll(async () => {
    await t?.stop();
  });

  async function startOnV1(variables: Record<string, unknown> = {}): Promise<string> {
    const created = await t.api.createProcessInstance({ processDefinitionKey: key(v1), variables });
    return String(created.processInstanceKey);
  }

  const migrate = (processInstanceKey: string, targetProcessDefinitionKey: string, mappings: Array<[string, string]>) =>
    t.api.migrateProcessInstance({
      processInstanceKey: key(processInstanceKey),
      targetProcessDefinitionKey: key(targetProcessDefinitionKey),
      mappingInstructions: mappings.map(([sourceElementId, targetElementId]) => ({ sourceElementId: key(sourceElementId), targetElementId: key(targetElementId) })),
    });

  it('migrates an instance waiting at a user task; the task keeps its key and assignee, and the instance completes on the new version', async () => {
    const pik = await startOnV1({ order: 'A-1' });
    const task = await t.waitForUserTask(pik, 'review');
    await migrate(pik, v2, [['review', 'review']]);

    const instance = await t.getInstance(pik);
    expect(instance).toMatchObject({ processDefinitionKey: v2, processDefinitionVersion: 2, processDefinitionName: 'Migration order (reviewed twice)', state: 'ACTIVE' });
    const moved = await t.api.getUserTask({ userTaskKey: task.userTaskKey }, NOW);
    expect(moved).toMatchObject({ userTaskKey: task.userTaskKey, processDefinitionKey: v2, processDefinitionVersion: 2, assignee: 'rita', state: 'CREATED' });

    await t.api.completeUserTask({ userTaskKey: task.userTaskKey });
    const second = await t.waitForUserTask(pik, 'second-review');
    await t.api.completeUserTask({ userTaskKey: second.userTaskKey, variables: { approved: true } });
    const [job] = await t.activate('migration-pack');
    expect(job).toMatchObject({ elementId: 'pack-v2', processDefinitionVersion: 2 });
    await t.api.completeJob({ jobKey: job!.jobKey });
    await t.waitForInstanceState(pik, 'COMPLETED');
    expect(await t.completedElementIds(pik)).toEqual(['start', 'review', 'second-review', 'pack-v2', 'end-v2']);
    expect(await t.variables(pik)).toEqual({ order: 'A-1', approved: true });
  });

  it('migrates an instance waiting at a job; the job keeps its key and completes on the new version', async () => {
    const pik = await startOnV1();
    const task = await t.waitForUserTask(pik, 'review');
    await t.api.completeUserTask({ userTaskKey: task.userTaskKey });
    await t.waitForActiveElement(pik, 'pack');
    const before = (await t.api.searchJobs({ filter: { processInstanceKey: key(pik) } }, NOW)).items[0]!;

    await migrate(pik, v2, [['pack', 'pack-v2']]);
    const after = (await t.api.searchJobs({ filter: { processInstanceKey: key(pik) } }, NOW)).items[0]!;
    expect(after).toMatchObject({ jobKey: before.jobKey, type: 'migration-pack', elementId: 'pack-v2', processDefinitionKey: v2 });
    expect(await t.activeElementIds(pik)).toEqual(['pack-v2']);

    const [job] = await t.activate('migration-pack');
    expect(String(job!.jobKey)).toBe(String(before.jobKey));
    await t.api.completeJob({ jobKey: job!.jobKey });
    await t.waitForInstanceState(pik, 'COMPLETED');
    expect(await t.completedElementIds(pik)).toEqual(['start', 'review', 'pack-v2', 'end-v2']);
  });

  it('refuses, changing nothing: an active element without a mapping, a mapping to another type, unknown element ids', async () => {
    const pik = await startOnV1();
    const task = await t.waitForUserTask(pik, 'review');
    const unmapped = await expectRefused(migrate(pik, v2, []), 400, 'INVALID_ARGUMENT');
    expect(unmapped.detail).toBe(
      `Expected to migrate process instance '${pik}' but no mapping instruction defined for active element with id 'review'. Elements cannot be migrated without a mapping.`,
    );
    const retyped = await expectRefused(migrate(pik, v2, [['review', 'pack-v2']]), 400);
    expect(retyped.detail).toContain(`active element with id 'review' and type 'USER_TASK' is mapped to an element with id 'pack-v2' and different type 'SERVICE_TASK'`);
    const unknown = await expectRefused(migrate(pik, v2, [['review', 'review'], ['ghost', 'review'], ['pack', 'nowhere']]), 400);
    expect(unknown.detail).toContain(`non-existing source element id 'ghost'`);
    expect(unknown.detail).toContain(`non-existing target element id 'nowhere'`);

    expect(await t.getInstance(pik)).toMatchObject({ processDefinitionKey: v1, processDefinitionVersion: 1, state: 'ACTIVE' });
    expect(await t.api.getUserTask({ userTaskKey: task.userTaskKey }, NOW)).toMatchObject({ elementId: 'review', processDefinitionKey: v1, state: 'CREATED' });
    await t.api.completeUserTask({ userTaskKey: task.userTaskKey });
    await t.waitForActiveElement(pik, 'pack');
  });

  it('answers 404 for an unknown instance or target definition, and 400 for a malformed body', async () => {
    const pik = await startOnV1();
    await expectRefused(migrate('2251799813999999', v2, []), 404, 'NOT_FOUND');
    const missing = await expectRefused(migrate(pik, '2251799813999998', [['review', 'review']]), 404, 'NOT_FOUND');
    expect(missing.detail).toContain(`no process definition found with key '2251799813999998'`);
    const raw = await rawRequest(t, 'POST', `/process-instances/${pik}/migration`, JSON.stringify({ targetProcessDefinitionKey: v2, mappingInstructions: [], extra: 1 }));
    expect(raw.status).toBe(400);
    expect(raw.contentType).toContain('application/problem+json');
    expect((await t.getInstance(pik)).processDefinitionKey).toBe(v1);
  });

  it("the SDK's older REST client (CamundaRestClient) migrates and modifies through the same endpoints", async () => {
    const rest = new Camunda8({ ...t.clientSettings, CAMUNDA_LOG_LEVEL: 'none' } as never).getCamundaRestClient();
    const pik = await startOnV1();
    const task = await t.waitForUserTask(pik, 'review');
    await rest.migrateProcessInstance({ processInstanceKey: pik, targetProcessDefinitionKey: v2, mappingInstructions: [{ sourceElementId: 'review', targetElementId: 'review' }] });
    expect((await t.getInstance(pik)).processDefinitionKey).toBe(v2);
    await rest.modifyProcessInstance({
      processInstanceKey: pik,
      terminateInstructions: [{ elementInstanceKey: String(task.elementInstanceKey) }],
      activateInstructions: [{ elementId: 'pack-v2', variableInstructions: [{ variables: { skipped: 'review' } }] }],
    });
    expect(await t.activeElementIds(pik)).toEqual(['pack-v2']);
    expect(await t.variables(pik)).toEqual({ skipped: 'review' });
  });

  it('a boundary timer of the target element is set when the instance migrates, and fires on the new version', async () => {
    const pik = await startOnV1();
    const task = await t.waitForUserTask(pik, 'review');
    await migrate(pik, v2, [['review', 'review']]);
    await t.pinClock(Date.now() + 2 * 3600_000);
    try {
      await t.waitFor(async () => (await t.completedElementIds(pik)).includes('reminded'), { message: 'the overdue reminder' });
      expect(await t.activeElementIds(pik)).toEqual(['review']);
      expect((await t.api.getUserTask({ userTaskKey: task.userTaskKey }, NOW)).state).toBe('CREATED');
    } finally {
      await t.resetClock();
    }
  });
});
