/**
 * Durability: the engine runs as a child process; the test drives it through the official client into every
 * kind of waiting state (user task, activated job, pending timer, buffered message, completions in flight),
 * kills it with SIGKILL, starts it again on the same data and shows that every instance completes and that
 * no job is completed twice. Runs on PostgreSQL (fresh schema) when DATABASE_URL is set, else on PGlite.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCamundaClient, NO_WAIT, type CamundaClient } from '../support/camunda-client.js';
import { startEngineProcess, type EngineProcess } from '../support/engine-process.js';
import { freePort } from '../support/free-port.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { waitFor } from '../support/wait-for.js';
import { JobLedger } from './job-ledger.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const FIXTURES = ['durability-user-task', 'durability-job', 'durability-timer', 'durability-message'].map((id) =>
  join(HERE, 'fixtures', `${id}.bpmn`),
);
/** Short, so that jobs activated by the worker that "died" with the engine come back soon after the restart. */
const JOB_TIMEOUT_MS = 3_000;
const WORK_INSTANCES = 12;

describe('engine survives SIGKILL mid-flow', () => {
  let db: TestDatabase;
  let port: number;
  let engine: EngineProcess | undefined;
  const ledger = new JobLedger();

  const engineEnv = (): Record<string, string | undefined> =>
    db.kind === 'postgres'
      ? { DATABASE_URL: db.databaseUrl, ENGINE_DATABASE_SCHEMA: db.schema, ENGINE_DATA_DIR: undefined }
      : { DATABASE_URL: undefined, ENGINE_DATA_DIR: db.dataDir };

  beforeAll(async () => {
    db = await createTestDatabase('durability');
    port = await freePort();
  });

  afterAll(async () => {
    await engine?.stop();
    await db?.drop();
  });

  it('completes every instance after a restart, with no job completed twice', async () => {
    // ---- run 1: drive the engine into every waiting state ----
    engine = await startEngineProcess({ port, env: engineEnv() });
    let client = createCamundaClient(engine);
    await client.deployResourcesFromFiles(FIXTURES);

    const userTaskInstance = await createInstance(client, 'durability-user-task');
    const userTaskKey = await waitFor('the user task to be created', async () => {
      const tasks = await client.searchUserTasks({ filter: { processInstanceKey: userTaskInstance as never } }, NO_WAIT);
      return tasks.items[0]?.userTaskKey;
    });

    const workInstances: string[] = [];
    for (let i = 0; i < WORK_INSTANCES; i++) workInstances.push(await createInstance(client, 'durability-job', { i }));
    const activated = await activateAll(client, 'durability-work', WORK_INSTANCES, ledger);
    expect(activated).toHaveLength(WORK_INSTANCES);
    // A third acknowledged, a third left activated with this "worker" (which dies with the engine),
    // a third completed while the kill happens (outcome unknown to the worker).
    const acknowledged = activated.slice(0, WORK_INSTANCES / 3);
    const leftActivated = activated.slice(WORK_INSTANCES / 3, (2 * WORK_INSTANCES) / 3);
    const inFlight = activated.slice((2 * WORK_INSTANCES) / 3);
    for (const job of acknowledged) await completeJob(client, job.jobKey, ledger);

    const timerInstance = await createInstance(client, 'durability-timer');
    await client.publishMessage({
      name: 'durability-order-paid',
      correlationKey: 'order-1',
      timeToLive: 3_600_000,
      variables: { paid: true },
    });
    const messageInstance = await createInstance(client, 'durability-message', { orderId: 'order-1' });

    expect(await instanceState(client, timerInstance)).toBe('ACTIVE');
    const inFlightCalls = inFlight.map((job) => completeJob(client, job.jobKey, ledger));
    await engine.kill();
    ledger.run = 2;

    // ---- run 2: same data, new process ----
    engine = await startEngineProcess({ port, env: engineEnv() });
    client = createCamundaClient(engine);
    await Promise.allSettled(inFlightCalls);

    const worker = startWorkerLoop(client, ['durability-work', 'durability-gate'], ledger);
    try {
      await client.completeUserTask({ userTaskKey, variables: { approved: true } });
      const all = [userTaskInstance, ...workInstances, timerInstance, messageInstance];
      await waitFor(
        'every instance to complete after the restart',
        async () => {
          const states = await Promise.all(all.map((key) => instanceState(client, key)));
          return states.every((state) => state === 'COMPLETED');
        },
        { timeoutMs: 30_000, intervalMs: 200 },
      );
    } finally {
      await worker.stop();
    }

    expect(ledger.completedTwice()).toEqual([]);
    // Jobs left activated with the dead worker timed out and went to the new worker, once.
    for (const job of leftActivated) {
      expect(ledger.get(job.jobKey), `job ${job.jobKey}`).toMatchObject({ deliveries: [1, 2], completions: [2] });
    }
    expect(ledger.redeliveredAfterAck()).toEqual([]);
    for (const job of activated) {
      const entry = ledger.get(job.jobKey);
      expect(entry?.completions.length ?? 0, `completions of job ${job.jobKey}`).toBeLessThanOrEqual(1);
    }
    // Completing an acknowledged job again is refused and changes nothing.
    const first = acknowledged[0]?.jobKey ?? 'no-acknowledged-job';
    await expect(client.completeJob({ jobKey: first })).rejects.toMatchObject({ status: 404 });
  }, 90_000);
});

async function createInstance(client: CamundaClient, processDefinitionId: string, variables: Record<string, unknown> = {}): Promise<string> {
  const created = await client.createProcessInstance({ processDefinitionId, variables });
  return String(created.processInstanceKey);
}

async function instanceState(client: CamundaClient, processInstanceKey: string): Promise<string> {
  const instance = await client.getProcessInstance({ processInstanceKey }, NO_WAIT);
  return String(instance.state);
}

interface ActivatedJobRef {
  jobKey: string;
  processInstanceKey: string;
}

async function activateAll(client: CamundaClient, type: string, count: number, ledger: JobLedger): Promise<ActivatedJobRef[]> {
  const jobs: ActivatedJobRef[] = [];
  await waitFor(
    `${count} jobs of type ${type} to be activated`,
    async () => {
      const result = await client.activateJobs({
        type,
        worker: 'durability-run-1',
        timeout: JOB_TIMEOUT_MS,
        maxJobsToActivate: count - jobs.length,
        requestTimeout: 1_000,
      });
      for (const job of result.jobs) {
        const ref = { jobKey: String(job.jobKey), processInstanceKey: String(job.processInstanceKey) };
        ledger.delivered(ref.jobKey, ref.processInstanceKey);
        jobs.push(ref);
      }
      return jobs.length >= count;
    },
    { timeoutMs: 15_000, intervalMs: 0 },
  );
  return jobs;
}

async function completeJob(client: CamundaClient, jobKey: string, ledger: JobLedger): Promise<void> {
  try {
    await client.completeJob({ jobKey, variables: { completedInRun: ledger.run } });
    ledger.completed(jobKey);
  } catch (error) {
    ledger.refused(jobKey, error instanceof Error ? error.message : String(error));
  }
}

/** A plain activate/complete loop per job type, recording every delivery and completion in the ledger. */
function startWorkerLoop(client: CamundaClient, types: string[], ledger: JobLedger): { stop(): Promise<void> } {
  let running = true;
  const loops = types.map(async (type) => {
    while (running) {
      try {
        const result = await client.activateJobs({
          type,
          worker: `durability-run-${ledger.run}`,
          timeout: JOB_TIMEOUT_MS,
          maxJobsToActivate: 32,
          requestTimeout: 500,
        });
        for (const job of result.jobs) {
          const jobKey = String(job.jobKey);
          ledger.delivered(jobKey, String(job.processInstanceKey));
          await completeJob(client, jobKey, ledger);
        }
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  });
  return {
    stop: async () => {
      running = false;
      await Promise.all(loops);
    },
  };
}
