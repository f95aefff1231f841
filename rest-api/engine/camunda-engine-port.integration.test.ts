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
import { createCamundaEnginePort, type CamundaRestClient } from './camunda-engine-port.js';
import { NoWaitingSubscriptionError, UserTaskGoneError, type EnginePort } from './engine-port.js';

const FIXTURES = join(import.meta.dirname, '..', '..', 'test', 'conformance', 'fixtures', 'api');
const clientFor = (engine: Pick<RunningEngine, 'clientSettings'>): CamundaRestClient =>
  new Camunda8({ ...engine.clientSettings, CAMUNDA_LOG_LEVEL: 'none' } as never).getOrchestrationClusterApiClientLoose();

describe('Camunda engine port', () => {
  let engine: RunningEngine;
  let port: EnginePort;

  beforeAll(async () => {
    engine = await startEngine({ port: 0, logLevel: 'silent' });
    const client = clientFor(engine);
    const files = await Promise.all(
      ['api-user-task.bpmn', 'api-review-form.form', 'api-message-catch.bpmn'].map(async (name) => new File([await readFile(join(FIXTURES, name))], name)),
    );
    await client.createDeployment({ resources: files } as never);
    port = createCamundaEnginePort(client);
  }, 60_000);
  afterAll(async () => {
    await engine?.stop();
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
