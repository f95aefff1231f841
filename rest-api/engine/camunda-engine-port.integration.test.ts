/**
 * The EnginePort over the official client against the embedded engine: task search by the permit's process
 * variable, form ids, variables, and the two refusals the services rely on (nobody waiting for a message; a task
 * completed already) plus an unreachable engine.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Camunda8 } from '@camunda8/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UnavailableError, type MessageName, type ProcessId } from '../../shared/index.js';
import { startEngine, type RunningEngine } from '../../engine/index.js';
import { engineTestStores } from '../../test/conformance/support/engine-test-store.js';
import { createCamundaEnginePort, type CamundaRestClient } from './camunda-engine-port.js';
import { NoWaitingSubscriptionError, UserTaskAssignedError, UserTaskDeniedError, UserTaskGoneError, type EnginePort } from './engine-port.js';

/** A user task with a completing listener (Camunda 8.8 `zeebe:taskListeners`), inline: only this test uses it. */
const LISTENED_TASK = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="Definitions_port_listened" targetNamespace="http://bpmn.io/schema/bpmn">
  <bpmn:process id="port-listened-task" isExecutable="true">
    <bpmn:startEvent id="start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:userTask id="decide" name="Decide">
      <bpmn:extensionElements>
        <zeebe:userTask />
        <zeebe:assignmentDefinition candidateGroups="reviewers" />
        <zeebe:taskListeners><zeebe:taskListener eventType="completing" type="port-test.check" retries="1" /></zeebe:taskListeners>
      </bpmn:extensionElements>
      <bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing>
    </bpmn:userTask>
    <bpmn:endEvent id="end"><bpmn:incoming>f2</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="decide" />
    <bpmn:sequenceFlow id="f2" sourceRef="decide" targetRef="end" />
  </bpmn:process>
</bpmn:definitions>`;

const FIXTURES = join(import.meta.dirname, '..', '..', 'test', 'conformance', 'fixtures', 'api');
const clientFor = (engine: Pick<RunningEngine, 'clientSettings'>): CamundaRestClient =>
  new Camunda8({ ...engine.clientSettings, CAMUNDA_LOG_LEVEL: 'none' } as never).getOrchestrationClusterApiClientLoose();

describe('Camunda engine port', () => {
  let engine: RunningEngine;
  let port: EnginePort;
  let client: CamundaRestClient;
  // What is tested is the port, not the engine's store: on PostgreSQL when DATABASE_URL is set (cheaper to start).
  const stores = engineTestStores();

  beforeAll(async () => {
    engine = await startEngine({ port: 0, logLevel: 'silent', ...stores.next() });
    client = clientFor(engine);
    const files = await Promise.all(
      ['api-user-task.bpmn', 'api-review-form.form', 'api-message-catch.bpmn'].map(async (name) => new File([await readFile(join(FIXTURES, name))], name)),
    );
    files.push(new File([LISTENED_TASK], 'port-listened-task.bpmn'));
    await client.createDeployment({ resources: files } as never);
    port = createCamundaEnginePort(client);
  }, 60_000);
  afterAll(async () => {
    await engine?.stop();
    await stores.dispose();
  });

  it("finds the open task of one permit by its process variable, with form and variables, and refuses completing it twice", async () => {
    const first = await port.createProcessInstance('api-user-task' as ProcessId, { permitId: 'permit-1' });
    await port.createProcessInstance('api-user-task' as ProcessId, { permitId: 'permit-2' });
    const tasks = await port.searchUserTasks({ permitId: 'permit-1', candidateGroup: 'reviewers' });
    expect(tasks.map((t) => t.processInstanceKey)).toEqual([first.processInstanceKey]);
    const [task] = tasks;
    if (!task) throw new Error('no task');
    expect(await port.formIdOf(task)).toBe('api-review-form');
    expect(await port.getProcessVariable(task.processInstanceKey, 'permitId')).toBe('permit-1');
    expect(await port.searchUserTasks({ permitId: 'permit-1', candidateGroup: 'someone-else' })).toEqual([]);

    await port.completeUserTask(task.userTaskKey, { decision: 'approve' });
    await expect(port.completeUserTask(task.userTaskKey, { decision: 'reject' })).rejects.toBeInstanceOf(UserTaskGoneError);
    expect(await port.searchUserTasks({ permitId: 'permit-1' })).toEqual([]);
    expect((await port.getUserTask(task.userTaskKey))?.state).toBe('COMPLETED');
    expect(await port.getUserTask('2251799813999999')).toBeUndefined();
  });

  it("assigns without taking a task from someone else, and reports a completing listener's denial with its reason", async () => {
    const { processInstanceKey } = await port.createProcessInstance('port-listened-task' as ProcessId, { permitId: 'permit-3' });
    const [task] = await port.searchUserTasks({ permitId: 'permit-3' });
    if (!task) throw new Error('no task');
    expect(task.processInstanceKey).toBe(processInstanceKey);
    await port.assignUserTask(task.userTaskKey, 'rita');
    await port.assignUserTask(task.userTaskKey, 'rita');
    expect((await port.getUserTask(task.userTaskKey))?.assignee).toBe('rita');
    const taken = await port.assignUserTask(task.userTaskKey, 'victor').catch((error: unknown) => error);
    expect(taken).toBeInstanceOf(UserTaskAssignedError);
    expect((taken as UserTaskAssignedError).assignee).toBe('rita');

    // The listener: deny the first completion, accept the second.
    const verdicts = [{ denied: true, deniedReason: "Not allowed: rita's reason, with 'quotes'." }, { denied: false }];
    const listen = async () => {
      for (const verdict of verdicts) {
        let jobKey: string | undefined;
        while (!jobKey) {
          const { jobs } = await client.activateJobs({ type: 'port-test.check', maxJobsToActivate: 1, timeout: 10_000, worker: 'port-test', requestTimeout: 1_000 } as never);
          jobKey = jobs?.[0] ? String(jobs[0].jobKey) : undefined;
        }
        await client.completeJob({ jobKey, result: { type: 'userTask', ...verdict } } as never);
      }
    };
    const listening = listen();
    const denied = await port.completeUserTask(task.userTaskKey, { decision: 'approve' }).catch((error: unknown) => error);
    expect(denied).toBeInstanceOf(UserTaskDeniedError);
    expect((denied as UserTaskDeniedError).reason).toBe("Not allowed: rita's reason, with 'quotes'.");
    expect((await port.getUserTask(task.userTaskKey))?.state).toBe('CREATED');
    await port.unassignUserTask(task.userTaskKey);
    expect((await port.getUserTask(task.userTaskKey))?.assignee).toBeUndefined();
    await port.completeUserTask(task.userTaskKey, { decision: 'approve' });
    await listening;
    expect((await port.getUserTask(task.userTaskKey))?.state).toBe('COMPLETED');
    await expect(port.assignUserTask(task.userTaskKey, 'rita')).rejects.toBeInstanceOf(UserTaskGoneError);
  });

  it('correlates a message to the instance waiting with that key and reports when none waits', async () => {
    const waiting = await port.createProcessInstance('api-message-catch' as ProcessId, { orderId: 'order-1' });
    const name = 'api-order-paid' as MessageName;
    await expect(port.correlateMessage({ name, correlationKey: 'order-1', variables: { paid: true } })).resolves.toEqual({ processInstanceKey: waiting.processInstanceKey });
    await expect(port.correlateMessage({ name, correlationKey: 'order-1', variables: {} })).rejects.toBeInstanceOf(NoWaitingSubscriptionError);
  });

  it('turns an unreachable engine into UnavailableError', async () => {
    const down = createCamundaEnginePort(clientFor({ clientSettings: { ...engine.clientSettings, ZEEBE_REST_ADDRESS: 'http://127.0.0.1:9', CAMUNDA_REST_ADDRESS: 'http://127.0.0.1:9' } }));
    await expect(down.searchUserTasks({ permitId: 'x' })).rejects.toBeInstanceOf(UnavailableError);
  });
});
