/**
 * A small kit for the construct tests (engine/runtime/processor/constructs/**.test.ts): one engine on the
 * in-memory store, processes written inline, and the few questions those tests ask (which elements ran and how
 * they ended, the instance's state, its variables and incidents).
 */
import type { Variables } from '../processor/variable-scopes.js';
import { definitions } from './bpmn-builder.js';
import { createTestEngine } from './engine-harness.js';

const all = (field: string, value: unknown) => ({ filters: [{ field, op: '$eq' as const, value }], sort: [], offset: 0, limit: 1000 });

export type ConstructKit = Awaited<ReturnType<typeof constructKit>>;

export async function constructKit() {
  const engine = await createTestEngine();
  const { core, queries } = engine;
  return {
    ...engine,
    /** Deploys one process `id` whose flow elements are `body`; `head` goes before it (messages, errors, signals). */
    async deployProcess(id: string, body: string, head = ''): Promise<void> {
      await engine.deploy(`${id}.bpmn`, definitions(`${head}<bpmn:process id="${id}" isExecutable="true">${body}</bpmn:process>`));
    },
    async start(processDefinitionId: string, variables?: Variables): Promise<string> {
      const { instance } = await core.createProcessInstance({ processDefinitionId, ...(variables ? { variables } : {}) });
      return instance.processInstanceKey;
    },
    /** `elementId:STATE` of every element instance of the process instance, in creation order. */
    async trail(processInstanceKey: string): Promise<string[]> {
      const r = await queries.searchElementInstances(all('processInstanceKey', processInstanceKey));
      return r.items.map((e) => `${e.elementId}:${e.state}`);
    },
    async state(processInstanceKey: string): Promise<string> {
      return (await queries.getProcessInstance(processInstanceKey)).state;
    },
    /** The process instance's root variable `name`, parsed. */
    async variable(processInstanceKey: string, name: string): Promise<unknown> {
      const r = await queries.searchVariables(all('scopeKey', processInstanceKey));
      const v = r.items.find((item) => item.name === name);
      return v === undefined ? undefined : JSON.parse(v.value);
    },
    /** Error types of the open incidents of the process instance. */
    async incidents(processInstanceKey: string): Promise<string[]> {
      const r = await queries.searchIncidents(all('processInstanceKey', processInstanceKey));
      return r.items.filter((i) => i.state === 'ACTIVE').map((i) => i.errorType);
    },
    /** Activates every job of `type` now (no long polling). */
    async activate(type: string) {
      return core.activateJobs({ type, worker: 'construct-test', timeout: 60_000, maxJobsToActivate: 100, requestTimeout: -1 });
    },
    /** Activates and completes every job of `type`; returns how many there were. */
    async completeJobs(type: string, variables?: Variables): Promise<number> {
      const jobs = await core.activateJobs({ type, worker: 'construct-test', timeout: 60_000, maxJobsToActivate: 100, requestTimeout: -1 });
      for (const j of jobs) await core.completeJob(j.job.jobKey, variables);
      return jobs.length;
    },
  };
}
