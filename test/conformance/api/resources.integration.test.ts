/**
 * Resource deletion (`POST /v2/resources/{resourceKey}/deletion`) through the official client, with Zeebe 8.8's
 * rules: a process definition with running instances is not deleted (409); a deleted one starts no new instance
 * by key, is gone from searches, and when it was the latest the previous version takes over (creation by id and
 * its signal start event); version numbers are never given twice; a deleted form is no longer linked.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { key, NOW, waitFor } from '../support/harness.js';
import { expectRefused, startApiEngine, type TestEngine } from './api-support.js';

const PROCESS = 'resources-process';

describe('REST /v2 resource deletion', () => {
  let t: TestEngine;
  beforeAll(async () => {
    t = await startApiEngine();
  });
  afterAll(async () => {
    await t?.stop();
  });

  async function deployProcess(fixture: string): Promise<{ key: string; version: number }> {
    const deployment = await t.deploy(fixture);
    const process = deployment.deployments.find((d) => d.processDefinition)!.processDefinition!;
    return { key: String(process.processDefinitionKey), version: Number(process.processDefinitionVersion) };
  }

  async function versionsOf(processDefinitionId: string): Promise<number[]> {
    const result = await t.client.searchProcessDefinitions({ filter: { processDefinitionId }, page: { limit: 100 } }, NOW);
    return (result.items ?? []).map((d) => Number(d.version)).sort();
  }

  async function signalStartedVersions(): Promise<number[]> {
    const instances = await t.instancesOf(PROCESS);
    return instances.filter((i) => i.state === 'COMPLETED').map((i) => Number(i.processDefinitionVersion));
  }

  it('refuses an unknown key with 404, and a definition with running instances with 409 until they end', async () => {
    await expectRefused(t.client.deleteResource({ resourceKey: key('2251799813999999') }), 404);

    const v1 = await deployProcess('resources-process-v1.bpmn');
    const v2 = await deployProcess('resources-process-v2.bpmn');
    expect([v1.version, v2.version]).toEqual([1, 2]);
    const running = await t.createInstance(PROCESS);
    const problem = await expectRefused(t.client.deleteResource({ resourceKey: key(v2.key) }), 409);
    expect(problem.detail).toContain('there are still running instances');
    expect(await versionsOf(PROCESS)).toEqual([1, 2]);

    await t.client.cancelProcessInstance({ processInstanceKey: key(running) });
    await t.client.deleteResource({ resourceKey: key(v2.key) });

    // Gone: searches, get, creation by key; the previous version is the latest again.
    expect(await versionsOf(PROCESS)).toEqual([1]);
    await expectRefused(t.client.getProcessDefinition({ processDefinitionKey: key(v2.key) }, NOW), 404);
    await expectRefused(t.client.createProcessInstance({ processDefinitionKey: key(v2.key) }), 404);
    const latest = await t.client.searchProcessDefinitions({ filter: { processDefinitionId: PROCESS, isLatestVersion: true } }, NOW);
    expect((latest.items ?? []).map((d) => Number(d.version))).toEqual([1]);
    const byId = await t.client.createProcessInstance({ processDefinitionId: key(PROCESS) });
    expect(Number(byId.processDefinitionVersion)).toBe(1);
    await t.client.cancelProcessInstance({ processInstanceKey: byId.processInstanceKey });

    // A second deletion of the same key finds nothing.
    await expectRefused(t.client.deleteResource({ resourceKey: key(v2.key) }), 404);
    // GET /resources/{key} serves RPA resources only in 8.8: a process definition is not one.
    await expectRefused(t.client.getResource({ resourceKey: key(v1.key) }), 404);
  });

  it("re-opens the previous version's signal start event and never gives a deleted version number again", async () => {
    await t.broadcastSignal('resources-signal');
    await waitFor(async () => (await signalStartedVersions()).includes(1) || undefined, { message: 'a version 1 instance started by the signal' });

    const v3 = await deployProcess('resources-process-v2.bpmn');
    expect(v3.version).toBe(3);
    await t.broadcastSignal('resources-signal');
    await waitFor(async () => (await signalStartedVersions()).includes(3) || undefined, { message: 'a version 3 instance started by the signal' });

    await t.client.deleteResource({ resourceKey: key(v3.key), operationReference: 7 as never });
    expect(await versionsOf(PROCESS)).toEqual([1]);
    const before = (await signalStartedVersions()).filter((v) => v === 1).length;
    await t.broadcastSignal('resources-signal');
    await waitFor(async () => (await signalStartedVersions()).filter((v) => v === 1).length > before || undefined, {
      message: 'the signal starting version 1 again',
    });
    expect((await signalStartedVersions()).filter((v) => v === 3)).toHaveLength(1);
  });

  it('deletes a form: new user tasks link the previous version of its id', async () => {
    const first = await t.deploy('resources-form-v1.form');
    const second = await t.deploy('resources-form-v2.form');
    const formKeyOf = (d: typeof first) => String(d.deployments.find((r) => r.form)!.form!.formKey);
    await t.deploy('resources-form-task.bpmn');

    await t.client.deleteResource({ resourceKey: key(formKeyOf(second)) });
    const pik = await t.createInstance('resources-form-task');
    const task = await t.waitForUserTask(pik, 'fill');
    const form = (await t.client.getUserTaskForm({ userTaskKey: key(String(task.userTaskKey)) }, NOW)) as { formKey?: unknown; version?: unknown };
    expect(String(form.formKey)).toBe(formKeyOf(first));
    expect(Number(form.version)).toBe(1);

    // The next deployment of the form is version 3, not 2 again.
    const third = await t.deploy('resources-form-v2.form');
    expect(Number(third.deployments.find((r) => r.form)!.form!.version)).toBe(3);
    await t.client.cancelProcessInstance({ processInstanceKey: key(pik) });
  });
});
