/**
 * The worker runtime against the embedded engine, through the official client only: completion with variables,
 * BPMN errors caught by a boundary event, incidents that say what failed, retries with back-off, and a stop that
 * lets running jobs finish.
 */
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEngine, type RunningEngine } from '../../engine/index.js';
import { engineTestStores } from '../../test/conformance/support/engine-test-store.js';
import { createCamundaClient, NO_WAIT, type CamundaClient } from '../../test/support/camunda-client.js';
import { waitFor } from '../../test/support/wait-for.js';
import { silentLogger } from '../testing/make-worker-job.js';
import { BusinessRuleError, NonRetryableError, TransientError } from './job-errors.js';
import { startJobWorkers, type RunningJobWorkers } from './start-job-workers.js';
import type { JobHandler } from './worker-job.js';

const FIXTURE = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'worker-runtime.bpmn');
const PROCESS_ID = 'worker-runtime-test';
const JOB_TYPE = 'runtime.test';

describe('startJobWorkers on the embedded engine', () => {
  let engine: RunningEngine;
  // The engine's store is not what is tested: on PostgreSQL when DATABASE_URL is set (cheaper to start).
  const stores = engineTestStores();
  let api: CamundaClient;
  // One set of workers for the whole file: a worker stopped a moment before a job is created can still receive it
  // on its aborted long poll (the job then waits for its timeout), so tests do not stop and restart workers.
  let workers: RunningJobWorkers;
  /** The behaviour of the one worker, chosen per test by the `scenario` variable. */
  const scenarios = new Map<string, JobHandler>();

  beforeAll(async () => {
    engine = await startEngine({ port: 0, logLevel: 'silent', ...stores.next() });
    api = createCamundaClient(engine);
    const xml = await readFile(FIXTURE);
    await api.createDeployment({ resources: [new File([xml], 'worker-runtime.bpmn', { type: 'application/xml' })] as never });
    workers = start();
  });
  afterAll(async () => {
    await workers.stop();
    await engine.stop();
    await stores.dispose();
  });

  function start(): RunningJobWorkers {
    return startJobWorkers({
      handlers: {
        [JOB_TYPE]: async (job, logger) => {
          const handler = scenarios.get(String(job.variables.scenario));
          if (!handler) throw new Error(`no scenario ${String(job.variables.scenario)}`);
          return handler(job, logger);
        },
      },
      camunda: { restAddress: engine.url, settings: engine.clientSettings },
      logger: silentLogger,
      pollTimeoutMs: 1_000,
      pollIntervalMs: 10,
      backOff: { baseMs: 50, maxMs: 200, expectedRetries: 3 },
    });
  }

  async function run(scenario: string): Promise<string> {
    const created = await api.createProcessInstance({ processDefinitionId: PROCESS_ID, variables: { scenario } });
    return String(created.processInstanceKey);
  }
  const state = async (key: string) => String((await api.getProcessInstance({ processInstanceKey: key }, NO_WAIT)).state);
  const variable = async (key: string, name: string) => {
    const found = await api.searchVariables({ filter: { processInstanceKey: key as never, name }, page: { limit: 1 }, truncateValues: false }, NO_WAIT);
    const value = found.items?.[0]?.value;
    return value === undefined ? undefined : (JSON.parse(String(value)) as unknown);
  };
  const incidents = async (key: string) => (await api.searchIncidents({ filter: { processInstanceKey: key as never }, page: { limit: 10 } }, NO_WAIT)).items ?? [];

  it('completes jobs with the variables the handler returns, and ends in the BPMN error path for a BusinessRuleError', async () => {
    scenarios.set('ok', async (job) => ({ variables: { handledBy: job.type, header: job.headers.mode } }));
    scenarios.set('rule', async () => {
      throw new BusinessRuleError('RUNTIME_TEST_REJECTED', 'the rule says no');
    });
    const ok = await run('ok');
    const rule = await run('rule');
    await waitFor('both instances to complete', async () => (await state(ok)) === 'COMPLETED' && (await state(rule)) === 'COMPLETED');
    expect(await variable(ok, 'handledBy')).toBe(JOB_TYPE);
    expect(await variable(ok, 'header')).toBe('test');
    expect(await variable(rule, 'outcome')).toBe('REJECTED');
  });

  it('raises an incident at once for a NonRetryableError, with the task and what to do in its message', async () => {
    scenarios.set('broken', async () => {
      throw new NonRetryableError('task header "status" is missing');
    });
    const key = await run('broken');
    const [incident] = await waitFor('an incident', async () => {
      const found = await incidents(key);
      return found.length > 0 && found;
    });
    expect(incident?.errorMessage).toBe(
      'runtime.test (element "Task_Work" of worker-runtime-test): task header "status" is missing. Fix the cause, then raise the job retries and resolve the incident.',
    );
  });

  it('retries a transient failure after a back-off and completes when it clears', async () => {
    const seen: number[] = [];
    scenarios.set('flaky', async (job) => {
      seen.push(job.retries);
      if (seen.length < 3) throw new TransientError('database restarting');
    });
    const key = await run('flaky');
    await waitFor('the instance to complete', async () => (await state(key)) === 'COMPLETED');
    expect(seen).toEqual([3, 2, 1]);
  });

  it('lets a running job finish and be acknowledged when stopped', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let started = false;
    scenarios.set('slow', async () => {
      started = true;
      await gate;
      return { variables: { finished: true } };
    });
    const key = await run('slow');
    await waitFor('the job to start', () => started);
    const stopping = workers.stop();
    release();
    await expect(stopping).resolves.toEqual({ drained: true, remaining: 0 });
    await waitFor('the instance to complete', async () => (await state(key)) === 'COMPLETED');
    expect(await variable(key, 'finished')).toBe(true);
  });
});
