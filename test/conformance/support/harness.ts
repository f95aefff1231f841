/**
 * Conformance harness: starts the embedded engine in-process on port 0 (in-memory PGlite, or PostgreSQL with a
 * fresh schema when DATABASE_URL is set: engine-test-store.ts) and talks to it ONLY through the official Camunda 8.8
 * client (`@camunda8/sdk` → Orchestration Cluster REST client) over HTTP.
 *
 *   const t = await startTestEngine();
 *   await t.deploy('service-task.bpmn');
 *   const key = await t.createInstance('service-task', { a: 1 });
 *   await t.waitForInstanceState(key, 'COMPLETED');
 *   await t.stop();
 *
 * `client` is the strictly typed client (branded keys), `api` the loose one (plain string keys) from the same SDK.
 */
import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Camunda8 } from '@camunda8/sdk';
import { startEngine } from '../../../engine/index.js';
import { engineTestStores } from './engine-test-store.js';

export type OfficialClient = ReturnType<Camunda8['getOrchestrationClusterApiClient']>;
export type LooseClient = ReturnType<Camunda8['getOrchestrationClusterApiClientLoose']>;
export type ActivatedJob = Parameters<Parameters<LooseClient['createJobWorker']>[0]['jobHandler']>[0];
export type JobHandler = (job: ActivatedJob) => ReturnType<ActivatedJob['complete']>;

export const FIXTURES_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');

/** Read consistency: the engine is strongly consistent, so never wait. */
export const NOW = { consistency: { waitUpToMs: 0 } } as const;

/** Brands a plain string as whatever key type the official client expects (it checks nothing at runtime). */
export const key = (value: string) => value as never;

export interface WaitOptions {
  timeout?: number;
  interval?: number;
  message?: string;
}

/** Polls `probe` until it returns a value that is not undefined/false; throws with `message` on timeout. */
export async function waitFor<T>(probe: () => Promise<T | undefined | false | null> | T | undefined | false | null, options: WaitOptions = {}): Promise<T> {
  const { timeout = 10_000, interval = 25, message = 'condition' } = options;
  const deadline = Date.now() + timeout;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false && value !== null) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      const detail = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
      throw new Error(`waitFor timed out after ${timeout} ms waiting for ${message}${detail}`);
    }
    await new Promise((resolve) => setTimeout(resolve, interval));
  }
}

/** Resolves a fixture name: `x.bpmn` looks in fixtures/, fixtures/constructs/, fixtures/api/; paths with `/` are relative to fixtures/. */
export function fixturePath(name: string): string {
  const candidates = name.includes('/')
    ? [join(FIXTURES_DIR, name)]
    : [join(FIXTURES_DIR, name), join(FIXTURES_DIR, 'constructs', name), join(FIXTURES_DIR, 'api', name)];
  const found = candidates.find((candidate) => existsSync(candidate));
  if (!found) throw new Error(`fixture ${name} not found; looked in ${candidates.join(', ')}`);
  return found;
}

export interface ElementInstanceView {
  elementInstanceKey: string;
  elementId: string;
  type: string;
  state: string;
  startDate?: string;
  endDate?: string;
  hasIncident: boolean;
}

export async function startTestEngine() {
  // PostgreSQL with a fresh schema (dropped at stop) when DATABASE_URL is set (CI), else in-memory PGlite.
  const stores = engineTestStores();
  const engine = await startEngine({
    port: 0,
    logLevel: process.env.ENGINE_LOG_LEVEL ?? 'silent',
    ...stores.next(),
    // Timer and expiry tests pin the clock.
    clockControlled: true,
  });
  // The engine's own client settings: its URL and its (random, per run) Basic credential.
  const c8 = new Camunda8({ ...engine.clientSettings, CAMUNDA_LOG_LEVEL: 'none' } as never);
  const client: OfficialClient = c8.getOrchestrationClusterApiClient();
  const api: LooseClient = c8.getOrchestrationClusterApiClientLoose();

  async function deploy(...fixtureNames: string[]) {
    const resources = await Promise.all(
      fixtureNames.map(async (name) => {
        const path = fixturePath(name);
        return new File([await readFile(path)], basename(path), { type: 'application/xml' });
      }),
    );
    return api.createDeployment({ resources: resources as never });
  }

  async function createInstance(processDefinitionId: string, variables: Record<string, unknown> = {}): Promise<string> {
    const created = await api.createProcessInstance({ processDefinitionId: key(processDefinitionId), variables });
    return String(created.processInstanceKey);
  }

  async function getInstance(processInstanceKey: string) {
    return api.getProcessInstance({ processInstanceKey: key(processInstanceKey) }, NOW);
  }

  /** Process instances of one process id, oldest first. */
  async function instancesOf(processDefinitionId: string) {
    const result = await api.searchProcessInstances({ filter: { processDefinitionId: key(processDefinitionId) }, page: { limit: 1000 } }, NOW);
    return [...(result.items ?? [])].sort((a, b) => (BigInt(String(a.processInstanceKey)) < BigInt(String(b.processInstanceKey)) ? -1 : 1));
  }

  async function waitForInstanceState(processInstanceKey: string, state: 'ACTIVE' | 'COMPLETED' | 'TERMINATED', timeout = 10_000) {
    return waitFor(
      async () => {
        const instance = await getInstance(processInstanceKey);
        return instance.state === state ? instance : undefined;
      },
      { timeout, message: `process instance ${processInstanceKey} to be ${state}` },
    );
  }

  async function elementInstances(processInstanceKey: string): Promise<ElementInstanceView[]> {
    const result = await api.searchElementInstances({ filter: { processInstanceKey: key(processInstanceKey) }, page: { limit: 1000 } }, NOW);
    return (result.items ?? []).map((item) => ({
      elementInstanceKey: String(item.elementInstanceKey),
      elementId: String(item.elementId),
      type: String(item.type),
      state: String(item.state),
      startDate: item.startDate,
      endDate: item.endDate ?? undefined,
      hasIncident: Boolean(item.hasIncident),
    }));
  }

  /**
   * Ids of COMPLETED element instances (the process itself excluded), ordered by endDate then key. Keys are
   * assigned on activation, so elements ending in the same millisecond are listed in activation order:
   * assert exact order only along one sequential path.
   */
  async function completedElementIds(processInstanceKey: string): Promise<string[]> {
    const all = await elementInstances(processInstanceKey);
    return all
      .filter((e) => e.state === 'COMPLETED' && e.type !== 'PROCESS')
      .sort((a, b) => {
        const byEnd = (a.endDate ?? '').localeCompare(b.endDate ?? '');
        if (byEnd !== 0) return byEnd;
        const ka = BigInt(a.elementInstanceKey);
        const kb = BigInt(b.elementInstanceKey);
        return ka < kb ? -1 : ka > kb ? 1 : 0;
      })
      .map((e) => e.elementId);
  }

  /** Element ids currently ACTIVE in the instance (process excluded). */
  async function activeElementIds(processInstanceKey: string): Promise<string[]> {
    const all = await elementInstances(processInstanceKey);
    return all.filter((e) => e.state === 'ACTIVE' && e.type !== 'PROCESS').map((e) => e.elementId).sort();
  }

  async function waitForActiveElement(processInstanceKey: string, elementId: string, timeout = 10_000) {
    return waitFor(
      async () => {
        const all = await elementInstances(processInstanceKey);
        return all.find((e) => e.elementId === elementId && e.state === 'ACTIVE');
      },
      { timeout, message: `element ${elementId} to be ACTIVE in ${processInstanceKey}` },
    );
  }

  /** Variables of one scope (default: the process instance's root scope), parsed from their JSON text. */
  async function variables(processInstanceKey: string, scopeKey: string = processInstanceKey): Promise<Record<string, unknown>> {
    const result = await api.searchVariables({ filter: { processInstanceKey: key(processInstanceKey), scopeKey: key(scopeKey) }, page: { limit: 1000 }, truncateValues: false }, NOW);
    const out: Record<string, unknown> = {};
    for (const v of result.items ?? []) out[String(v.name)] = JSON.parse(String(v.value));
    return out;
  }

  async function incidents(processInstanceKey: string) {
    const result = await api.searchIncidents({ filter: { processInstanceKey: key(processInstanceKey) }, page: { limit: 100 } }, NOW);
    return result.items ?? [];
  }

  async function waitForIncident(processInstanceKey: string, timeout = 10_000) {
    return waitFor(
      async () => (await incidents(processInstanceKey)).find((i) => i.state === 'ACTIVE'),
      { timeout, message: `an ACTIVE incident in ${processInstanceKey}` },
    );
  }

  async function userTasks(processInstanceKey: string) {
    const result = await api.searchUserTasks({ filter: { processInstanceKey: key(processInstanceKey) }, page: { limit: 100 } }, NOW);
    return result.items ?? [];
  }

  async function waitForUserTask(processInstanceKey: string, elementId?: string, timeout = 10_000) {
    return waitFor(
      async () => (await userTasks(processInstanceKey)).find((t) => t.state === 'CREATED' && (elementId === undefined || String(t.elementId) === elementId)),
      { timeout, message: `a CREATED user task ${elementId ?? ''} in ${processInstanceKey}` },
    );
  }

  /** Starts a job worker; the handler must acknowledge the job (complete/fail/error). Stopped by stop(). */
  function worker(jobType: string, handler: JobHandler, options: { jobTimeoutMs?: number; fetchVariables?: string[] } = {}) {
    return api.createJobWorker({
      jobType,
      jobHandler: handler,
      maxParallelJobs: 10,
      jobTimeoutMs: options.jobTimeoutMs ?? 30_000,
      pollTimeoutMs: 1_000,
      pollIntervalMs: 1,
      ...(options.fetchVariables ? { fetchVariables: options.fetchVariables } : {}),
    });
  }

  /** Activates exactly the currently activatable jobs of `type` once (no long polling). */
  async function activate(jobType: string, maxJobsToActivate = 10) {
    const result = await api.activateJobs({ type: jobType, timeout: 30_000, maxJobsToActivate, requestTimeout: -1 });
    return result.jobs;
  }

  async function waitForJob(jobType: string, timeout = 10_000) {
    return waitFor(
      async () => {
        const jobs = await api.activateJobs({ type: jobType, timeout: 30_000, maxJobsToActivate: 1, requestTimeout: 200 });
        return jobs.jobs[0];
      },
      { timeout, message: `a job of type ${jobType}` },
    );
  }

  async function pinClock(epochMs: number) {
    await api.pinClock({ timestamp: epochMs });
  }

  async function resetClock() {
    await api.resetClock();
  }

  async function publishMessage(name: string, correlationKey: string, variables: Record<string, unknown> = {}, timeToLive = 0) {
    return api.publishMessage({ name, correlationKey, variables, timeToLive });
  }

  async function broadcastSignal(signalName: string, variables: Record<string, unknown> = {}) {
    return api.broadcastSignal({ signalName, variables });
  }

  async function stop() {
    api.stopAllWorkers();
    client.stopAllWorkers();
    await engine.stop();
    await stores.dispose();
  }

  return {
    url: engine.url,
    port: engine.port,
    /** What another official client needs to reach this engine: `new Camunda8({ ...clientSettings })`. */
    clientSettings: engine.clientSettings,
    credentials: engine.credentials,
    client,
    api,
    stop,
    deploy,
    createInstance,
    getInstance,
    instancesOf,
    waitForInstanceState,
    elementInstances,
    completedElementIds,
    activeElementIds,
    waitForActiveElement,
    variables,
    incidents,
    waitForIncident,
    userTasks,
    waitForUserTask,
    worker,
    activate,
    waitForJob,
    pinClock,
    resetClock,
    publishMessage,
    broadcastSignal,
    waitFor,
    key,
  };
}

export type TestEngine = Awaited<ReturnType<typeof startTestEngine>>;
