/**
 * The real handlers on the real database, driven by the embedded engine through the official client: a permit's
 * status changes with its history, audit and events; a wired service handler (here a stand-in for the
 * notification service) gets its job; a workspace task type nobody serves has no worker; a status change the
 * machine refuses stops the process with an incident that says why.
 */
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEngine, type RunningEngine } from '../engine/index.js';
import { engineTestStores } from '../test/conformance/support/engine-test-store.js';
import { TABLES, type Database } from '../db/index.js';
import { insertPermit } from '../db/testing/permit-fixtures.js';
import { rowCounts } from '../db/testing/row-counts.js';
import { testDatabaseTargets } from '../db/testing/test-databases.js';
import { EVENTS, TASK_TYPES } from '../shared/index.js';
import { createCamundaClient, NO_WAIT, type CamundaClient } from '../test/support/camunda-client.js';
import { waitFor } from '../test/support/wait-for.js';
import { startPermitManagerWorkers, type RunningJobWorkers } from './index.js';
import type { WorkerJob } from './runtime/worker-job.js';
import { silentLogger } from './testing/make-worker-job.js';

const FIXTURE = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'permit-workers.bpmn');

describe('permit manager workers on the engine and the database', () => {
  const [target] = testDatabaseTargets();
  let db: Database;
  let engine: RunningEngine;
  // The engine's store is not what is tested: on PostgreSQL when DATABASE_URL is set (cheaper to start).
  const stores = engineTestStores();
  let api: CamundaClient;
  let workers: RunningJobWorkers;
  const notifyJobs: WorkerJob[] = [];

  beforeAll(async () => {
    db = await target!.open();
    engine = await startEngine({ port: 0, logLevel: 'silent', ...stores.next() });
    api = createCamundaClient(engine);
    await api.createDeployment({ resources: [new File([await readFile(FIXTURE)], 'permit-workers.bpmn', { type: 'application/xml' })] as never });
    workers = startPermitManagerWorkers({
      knex: db.knex,
      camunda: { restAddress: engine.url, settings: engine.clientSettings },
      logger: silentLogger,
      pollTimeoutMs: 1_000,
      services: { [TASK_TYPES.notificationSend]: async (job) => void notifyJobs.push(job) },
    });
  });
  afterAll(async () => {
    await workers?.stop();
    await engine?.stop();
    await stores.dispose();
    await db?.close();
    await target?.dispose();
  });

  it('starts no worker for a task type whose service is not wired', () => {
    expect(workers.taskTypes).toContain(TASK_TYPES.notificationSend);
    expect(workers.taskTypes).not.toContain(TASK_TYPES.workspaceProvision);
  });

  it('changes the permit, records the audit entry, hands the notification job to its service, and raises an incident for the illegal status', async () => {
    const permit = await insertPermit(db.knex, { status: 'DRAFT' });
    const created = await api.createProcessInstance({ processDefinitionId: 'permit-workers-test', variables: { permitId: permit.id } });
    const key = String(created.processInstanceKey);

    const [incident] = await waitFor('the incident', async () => {
      const found = (await api.searchIncidents({ filter: { processInstanceKey: key as never }, page: { limit: 10 } }, NO_WAIT)).items ?? [];
      return found.length > 0 && found;
    });
    expect(String(incident?.elementId)).toBe('Task_Illegal');
    expect(notifyJobs.map((job) => job.elementId)).toEqual(['Task_Notify']);
    expect(incident?.errorMessage).toMatch(
      new RegExp(`^permit\\.set-status \\(element "Task_Illegal" of permit-workers-test\\): Permit ${permit.id} cannot move from SUBMITTED to ANALYSIS_ACTIVE.*model or data problem.*resolve the incident\\.$`),
    );

    expect(await db.knex(TABLES.permits).where({ id: permit.id }).first()).toMatchObject({ status: 'SUBMITTED', version: 2 });
    expect(await db.knex(TABLES.permitStatusHistory).where({ permit_id: permit.id }).first()).toMatchObject({ actor: 'process:permit-workers-test', process_instance_key: key });
    const events = ((await db.knex(TABLES.outboxEvents).orderBy('seq').select('name')) as { name: string }[]).map((r) => r.name);
    expect(events).toEqual([EVENTS.statusUpdated, EVENTS.applicationSubmitted]);
    const actions = ((await db.knex(TABLES.auditLog).orderBy('seq').select('action')) as { action: string }[]).map((r) => r.action);
    expect(actions).toEqual(['permit.status.changed', 'test.checked']);
    expect(await rowCounts(db.knex)).toMatchObject({ history: 1, audit: 2, outbox: 2 });
  });
});
