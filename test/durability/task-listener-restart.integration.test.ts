/**
 * Durability of a user task transition with task listeners: the engine is SIGKILLed while the second of two
 * completing listeners holds its job. After the restart the task is still COMPLETING with the first listener's
 * correction and the completion variables; the second listener's job comes back, completing it finishes the
 * task, and the first listener's job delivered again cannot run the transition a second time.
 * Runs on PostgreSQL (fresh schema) when DATABASE_URL is set, else on PGlite.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCamundaClient, NO_WAIT, type CamundaClient } from '../support/camunda-client.js';
import { startEngineProcess, type EngineProcess } from '../support/engine-process.js';
import { freePort } from '../support/free-port.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { waitFor } from '../support/wait-for.js';

const FIXTURE = join(dirname(fileURLToPath(import.meta.url)), '..', 'conformance', 'fixtures', 'constructs', 'tl-two-completing.bpmn');
const JOB_TIMEOUT_MS = 1_000;

describe('a task listener transition survives SIGKILL', () => {
  let db: TestDatabase;
  let port: number;
  let engine: EngineProcess | undefined;

  const engineEnv = (): Record<string, string | undefined> =>
    db.kind === 'postgres'
      ? { DATABASE_URL: db.databaseUrl, ENGINE_DATABASE_SCHEMA: db.schema, ENGINE_DATA_DIR: undefined }
      : { DATABASE_URL: undefined, ENGINE_DATA_DIR: db.dataDir };

  beforeAll(async () => {
    db = await createTestDatabase('durability_tl');
    port = await freePort();
  });

  afterAll(async () => {
    await engine?.stop();
    await db?.drop();
  });

  it('carries on where it stood after a restart', async () => {
    engine = await startEngineProcess({ port, env: engineEnv() });
    let client = createCamundaClient(engine);
    await client.deployResourcesFromFiles([FIXTURE]);
    const created = await client.createProcessInstance({ processDefinitionId: 'tl-two-completing', variables: { foo: 'bar' } });
    const pik = String(created.processInstanceKey);
    const userTaskKey = await waitFor('the user task', async () => {
      const tasks = await client.searchUserTasks({ filter: { processInstanceKey: pik as never, state: 'CREATED' } }, NO_WAIT);
      return tasks.items[0]?.userTaskKey;
    });
    // The completion waits for the listeners; it dies with the engine.
    const completion = client.completeUserTask({ userTaskKey, variables: { decision: 'approve' } }).catch(() => 'lost');
    const first = await activateOne(client, 'tl-first');
    await client.completeJob({ jobKey: first.jobKey, result: { type: 'userTask', corrections: { priority: 90 } } } as never);
    const second = await activateOne(client, 'tl-second');
    expect(second.userTask?.priority).toBe(90);
    await engine.kill();
    await completion;

    engine = await startEngineProcess({ port, env: engineEnv() });
    client = createCamundaClient(engine);
    const task = await client.getUserTask({ userTaskKey }, NO_WAIT);
    expect(task).toMatchObject({ state: 'COMPLETING', priority: 50 });
    // The first listener's job, delivered again, is gone.
    await expect(client.completeJob({ jobKey: first.jobKey })).rejects.toMatchObject({ status: 404 });
    const again = await activateOne(client, 'tl-second');
    expect(String(again.jobKey)).toBe(String(second.jobKey));
    expect(again.userTask).toMatchObject({ priority: 90, changedAttributes: ['priority'] });
    expect(again.variables).toEqual({ foo: 'bar', decision: 'approve' });
    await client.completeJob({ jobKey: again.jobKey });
    await waitFor('the instance to complete', async () => {
      const instance = await client.getProcessInstance({ processInstanceKey: pik }, NO_WAIT);
      return instance.state === 'COMPLETED';
    });
    expect(await client.getUserTask({ userTaskKey }, NO_WAIT)).toMatchObject({ state: 'COMPLETED', priority: 90 });
    await expect(client.completeJob({ jobKey: again.jobKey })).rejects.toMatchObject({ status: 404 });
  }, 60_000);
});

async function activateOne(client: CamundaClient, type: string) {
  return waitFor(`a job of type ${type}`, async () => {
    const result = await client.activateJobs({ type, timeout: JOB_TIMEOUT_MS, maxJobsToActivate: 1, requestTimeout: 500 });
    return result.jobs[0];
  }, { timeoutMs: 15_000, intervalMs: 0 });
}
