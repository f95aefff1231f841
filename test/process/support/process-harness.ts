/**
 * Process-test harness: the embedded engine with the REAL `bpmn/` and `forms/` files deployed in one deployment,
 * and a fake job worker for every task type of `shared/task-types.ts` (each on its own official client, as real
 * worker services would be). Fakes complete their job with no variables unless a test overrides the type with
 * `handle()`. Every job is recorded (type, headers, variables, keys) so tests can assert what the process asked
 * the infrastructure to do and in which order.
 *
 *   const t = await startProcessTest();
 *   const key = await t.startProcess(PROCESS_IDS.setup, { permitId: 'P-1' });
 *   await t.waitForJob(TASK_TYPES.notificationSend, (j) => j.headers.template === 'workspace-ready');
 *   await t.correlate(MESSAGES.setupSubmitted, 'P-1', { setupSubmittedBy: 'alice' });
 *   const task = await t.waitForUserTask({ processInstanceKey: key, elementId: 'Task_ReviewSetup' });
 *   await t.completeUserTask(task.userTaskKey, { setupDecision: 'APPROVED' });
 *   await t.waitForProcessState(key, 'COMPLETED');
 *   expect(t.statusesSet('P-1')).toEqual([...]);
 *   await t.stop();
 *
 * `PROCESS_TEST_FILES` (comma-separated file names in bpmn/) limits the deployment while diagrams are being drawn.
 */
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Camunda8 } from '@camunda8/sdk';
import { ALL_TASK_TYPES, type TaskType } from '../../../shared/index.js';
import { NOW, key, startTestEngine, waitFor, type ActivatedJob, type LooseClient } from '../../conformance/support/harness.js';

/** What the SDK's job.complete/fail/error resolve to. */
const JOB_ACTION_RECEIPT = 'JOB_ACTION_RECEIPT';

export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const BPMN_DIR = join(REPO_ROOT, 'bpmn');
export const FORMS_DIR = join(REPO_ROOT, 'forms');

export interface RecordedJob {
  type: TaskType;
  jobKey: string;
  processInstanceKey: string;
  bpmnProcessId: string;
  elementId: string;
  elementInstanceKey: string;
  headers: Record<string, string>;
  variables: Record<string, unknown>;
  retries: number;
}

/** What a fake returns: variables to complete with, or a receipt from `job.fail`/`job.error`/`job.complete`. */
export type FakeHandler = (job: ActivatedJob, recorded: RecordedJob) => Promise<unknown> | unknown;

export interface UserTaskFilter {
  processInstanceKey?: string;
  elementId?: string;
  processDefinitionId?: string;
  /** Matches tasks whose process instance has this `permitId` variable. */
  permitId?: string;
  candidateGroup?: string;
}

/** Every deployable resource of the product: all of bpmn/*.bpmn and bpmn/*.dmn (or PROCESS_TEST_FILES) and forms/*.form. */
export async function productResources(): Promise<File[]> {
  const only = process.env.PROCESS_TEST_FILES?.split(',').map((s) => s.trim()).filter(Boolean);
  // The diagrams and the decision tables they call (bpmn/*.dmn, issue 19).
  const bpmn = (await readdir(BPMN_DIR)).filter((f) => (f.endsWith('.bpmn') || f.endsWith('.dmn')) && (!only || only.includes(f))).sort();
  const forms = (await readdir(FORMS_DIR).catch(() => [] as string[])).filter((f) => f.endsWith('.form')).sort();
  const files = [...bpmn.map((f) => join(BPMN_DIR, f)), ...forms.map((f) => join(FORMS_DIR, f))];
  return Promise.all(files.map(async (path) => new File([await readFile(path)], path.split('/').pop()!, { type: 'application/octet-stream' })));
}

function asHeaders(raw: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (raw && typeof raw === 'object') for (const [k, v] of Object.entries(raw)) out[k] = String(v);
  return out;
}

export async function startProcessTest() {
  const base = await startTestEngine();
  const { api } = base;
  const deployment = await api.createDeployment({ resources: (await productResources()) as never });

  const jobs: RecordedJob[] = [];
  const overrides = new Map<TaskType, FakeHandler>();
  const workerClients: LooseClient[] = [];

  for (const type of ALL_TASK_TYPES) {
    const c8 = new Camunda8({ ...base.clientSettings, CAMUNDA_LOG_LEVEL: 'none' } as never);
    const client = c8.getOrchestrationClusterApiClientLoose({}, { cached: false });
    workerClients.push(client);
    client.createJobWorker({
      jobType: type,
      maxParallelJobs: 8,
      jobTimeoutMs: 30_000,
      // An activation long-polls and answers as soon as a job of its type is created: 26 workers re-polling every
      // second cost 55 ms of CPU per idle second, every 10 s 7 ms.
      pollTimeoutMs: 10_000,
      pollIntervalMs: 1,
      jobHandler: async (job) => {
        const recorded: RecordedJob = {
          type,
          jobKey: String(job.jobKey),
          processInstanceKey: String(job.processInstanceKey),
          bpmnProcessId: String(job.processDefinitionId),
          elementId: String(job.elementId),
          elementInstanceKey: String(job.elementInstanceKey),
          headers: asHeaders(job.customHeaders),
          variables: { ...(job.variables as Record<string, unknown>) },
          retries: Number(job.retries),
        };
        jobs.push(recorded);
        const fake = overrides.get(type);
        const result = fake ? await fake(job, recorded) : undefined;
        // A fake that acknowledged the job itself (job.fail / job.error / job.complete) returns the SDK's receipt;
        // anything else is the variables to complete with.
        if (result === JOB_ACTION_RECEIPT) return result as never;
        return job.complete((result ?? {}) as Record<string, unknown>);
      },
    });
  }

  /** Replace the fake of one task type (for the rest of the test). */
  function handle(type: TaskType, handler: FakeHandler) {
    overrides.set(type, handler);
  }

  async function startProcess(processDefinitionId: string, variables: Record<string, unknown> = {}): Promise<string> {
    const created = await api.createProcessInstance({ processDefinitionId: key(processDefinitionId), variables });
    return String(created.processInstanceKey);
  }

  async function correlate(name: string, correlationKey: string, variables: Record<string, unknown> = {}) {
    return api.correlateMessage({ name, correlationKey, variables });
  }

  async function searchUserTasks(filter: UserTaskFilter) {
    const result = await api.searchUserTasks(
      {
        filter: {
          state: 'CREATED',
          ...(filter.processInstanceKey ? { processInstanceKey: key(filter.processInstanceKey) } : {}),
          ...(filter.elementId ? { elementId: key(filter.elementId) } : {}),
          ...(filter.processDefinitionId ? { processDefinitionId: key(filter.processDefinitionId) } : {}),
          ...(filter.candidateGroup ? { candidateGroup: filter.candidateGroup } : {}),
          ...(filter.permitId ? { processInstanceVariables: [{ name: 'permitId', value: JSON.stringify(filter.permitId) }] } : {}),
        } as never,
        page: { limit: 100 },
      },
      NOW,
    );
    return (result.items ?? []).map((t) => ({ ...t, userTaskKey: String(t.userTaskKey), elementId: String(t.elementId), processInstanceKey: String(t.processInstanceKey) }));
  }

  async function waitForUserTask(filter: UserTaskFilter, timeout = 10_000) {
    return waitFor(async () => (await searchUserTasks(filter))[0], { timeout, message: `an open user task matching ${JSON.stringify(filter)}` });
  }

  async function completeUserTask(userTaskKey: string, variables: Record<string, unknown> = {}) {
    await api.completeUserTask({ userTaskKey: key(userTaskKey), variables });
  }

  async function waitForProcessState(processInstanceKey: string, state: 'ACTIVE' | 'COMPLETED' | 'TERMINATED', timeout = 10_000) {
    return base.waitForInstanceState(processInstanceKey, state, timeout);
  }

  /** Waits until a job of `type` matching `predicate` has been handled by the fakes; returns it. */
  async function waitForJob(type: TaskType, predicate: (job: RecordedJob) => boolean = () => true, timeout = 10_000) {
    return waitFor(() => jobs.find((j) => j.type === type && predicate(j)), { timeout, message: `a ${type} job matching ${predicate.toString()}` });
  }

  function jobsOf(type: TaskType, predicate: (job: RecordedJob) => boolean = () => true) {
    return jobs.filter((j) => j.type === type && predicate(j));
  }

  /** The `status` headers of the permit.set-status jobs run for one permit, in order. */
  function statusesSet(permitId: string): string[] {
    return jobs.filter((j) => j.type === 'permit.set-status' && j.variables.permitId === permitId).map((j) => j.headers.status ?? '?');
  }

  /** Instances (of any process) whose `permitId` is this one, oldest first. */
  async function instancesOfPermit(processDefinitionId: string) {
    return base.instancesOf(processDefinitionId);
  }

  async function pinClock(at: string | Date | number) {
    const ms = typeof at === 'number' ? at : new Date(at).getTime();
    await base.pinClock(ms);
  }

  async function stop() {
    for (const client of workerClients) client.stopAllWorkers();
    await base.stop();
  }

  return {
    ...base,
    deployment,
    jobs,
    handle,
    startProcess,
    correlate,
    searchUserTasks,
    waitForUserTask,
    completeUserTask,
    waitForProcessState,
    waitForJob,
    jobsOf,
    statusesSet,
    instancesOfPermit,
    pinClock,
    stop,
  };
}

export type ProcessTest = Awaited<ReturnType<typeof startProcessTest>>;
