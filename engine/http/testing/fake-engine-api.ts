/**
 * A hand-written in-memory EngineApi for tests of the HTTP layer. It records every call with its arguments,
 * answers searches by applying the store's FieldFilters to seeded records, and can be told to throw an
 * EngineError from the next call of a method. Job activation long-polls until jobs are offered, the request
 * timeout passes, or the AbortSignal fires (tests observe the signal).
 */
import { EngineError, notFound } from '../../errors.js';
import type { ActivatedJob, ActivateJobsInput, DeployResource, DeployResult, EngineApi } from '../../runtime/engine-api.js';
import type { EngineRecord, FormRecord, ProcessDefinitionRecord, RecordKind } from '../../runtime/records.js';
import { recordKey, TENANT } from '../../runtime/records.js';
import { countElementInstances, takenSequenceFlows } from '../../runtime/element-statistics.js';
import type { FieldFilter, SearchQuery, SearchResult } from '../../store/store.js';

export interface RecordedCall {
  method: string;
  args: unknown[];
}

type OfKind<K extends RecordKind> = Extract<EngineRecord, { kind: K }>;

function likeMatches(pattern: string, value: unknown): boolean {
  if (typeof value !== 'string') return false;
  const re = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${re}$`).test(value);
}

function compare(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a).localeCompare(String(b));
}

export function matchesFilter(record: object, f: FieldFilter): boolean {
  const v = (record as Record<string, unknown>)[f.field] ?? ('ifMissing' in f ? f.ifMissing : undefined);
  switch (f.op) {
    case '$eq': return v === f.value;
    case '$neq': return v !== f.value;
    case '$exists': return (v !== undefined && v !== null) === f.value;
    case '$in': return (f.value as unknown[]).includes(v);
    case '$notIn': return !(f.value as unknown[]).includes(v);
    case '$gt': return v !== undefined && compare(v, f.value) > 0;
    case '$gte': return v !== undefined && compare(v, f.value) >= 0;
    case '$lt': return v !== undefined && compare(v, f.value) < 0;
    case '$lte': return v !== undefined && compare(v, f.value) <= 0;
    case '$like': return likeMatches(f.value as string, v);
    case '$contains': return Array.isArray(v) && v.includes(f.value);
  }
}

export function searchInMemory<T extends object>(records: T[], q: SearchQuery): SearchResult<T> {
  const matching = records.filter((r) => q.filters.every((f) => matchesFilter(r, f)));
  matching.sort((a, b) => {
    for (const s of q.sort) {
      const c = compare((a as Record<string, unknown>)[s.field], (b as Record<string, unknown>)[s.field]);
      if (c !== 0) return s.order === 'DESC' ? -c : c;
    }
    return 0;
  });
  return { items: matching.slice(q.offset, q.offset + q.limit), total: matching.length };
}

export class FakeEngineApi implements EngineApi {
  readonly calls: RecordedCall[] = [];
  readonly records = new Map<string, EngineRecord>();
  /** Jobs handed out by the next activation (or the one waiting). */
  private offered: ActivatedJob[] = [];
  private wakeActivation: (() => void) | undefined;
  private failures = new Map<string, EngineError>();
  /** Signal of the most recent activateJobs / createProcessInstance call. */
  lastSignal: AbortSignal | undefined;
  /** What createProcessInstance answers (seed with `seed(processInstance())`). */
  createResult: Awaited<ReturnType<EngineApi['createProcessInstance']>> | undefined;
  clock = Date.parse('2025-01-02T03:04:05.678Z');

  seed(...records: EngineRecord[]): this {
    for (const r of records) this.records.set(recordKey(r), r);
    return this;
  }

  /** The next call of `method` throws `error` and changes nothing. */
  failNext(method: keyof EngineApi, error: EngineError): this {
    this.failures.set(method, error);
    return this;
  }

  /** Offers jobs to the current or next activation. */
  offerJobs(...jobs: ActivatedJob[]): void {
    this.offered.push(...jobs);
    this.wakeActivation?.();
  }

  callsOf(method: keyof EngineApi): unknown[][] {
    return this.calls.filter((c) => c.method === method).map((c) => c.args);
  }

  private record(method: string, args: unknown[]): void {
    this.calls.push({ method, args });
    const failure = this.failures.get(method);
    if (failure) {
      this.failures.delete(method);
      throw failure;
    }
  }

  private all<K extends RecordKind>(kind: K): OfKind<K>[] {
    return [...this.records.values()].filter((r): r is OfKind<K> => r.kind === kind);
  }

  private one<K extends RecordKind>(kind: K, key: string): OfKind<K> {
    const r = this.records.get(key);
    if (!r || r.kind !== kind) throw notFound(`No ${kind} with key '${key}'`);
    return r as OfKind<K>;
  }

  private async searchOf<K extends RecordKind>(method: string, kind: K, q: SearchQuery): Promise<SearchResult<OfKind<K>>> {
    this.record(method, [q]);
    return searchInMemory(this.all(kind), q);
  }

  async deploy(resources: DeployResource[]): Promise<DeployResult> {
    this.record('deploy', [resources]);
    let next = 2251799813686000;
    const deploymentKey = String(next++);
    const processes: ProcessDefinitionRecord[] = [];
    const forms: FormRecord[] = [];
    for (const r of resources) {
      const id = r.name.replace(/\.[^.]+$/, '');
      if (r.name.endsWith('.form')) {
        forms.push({ kind: 'form', formKey: String(next++), formId: id, version: 1, resourceName: r.name, tenantId: TENANT, deploymentKey, checksum: 'x', schema: r.content.toString('utf8') });
      } else {
        processes.push({
          kind: 'processDefinition', processDefinitionKey: String(next++), processDefinitionId: id, version: 1, resourceName: r.name,
          tenantId: TENANT, hasStartForm: false, deploymentKey, checksum: 'x', xml: r.content.toString('utf8'),
        });
      }
    }
    return {
      deployment: { kind: 'deployment', deploymentKey, tenantId: TENANT, processDefinitionKeys: processes.map((p) => p.processDefinitionKey), formKeys: forms.map((f) => f.formKey), createdAt: new Date(this.clock).toISOString() },
      processes,
      forms,
    };
  }

  async createProcessInstance(...args: Parameters<EngineApi['createProcessInstance']>): ReturnType<EngineApi['createProcessInstance']> {
    this.record('createProcessInstance', [args[0]]);
    this.lastSignal = args[1];
    if (!this.createResult) throw notFound('No process definition (fake: set createResult)');
    return this.createResult;
  }

  async cancelProcessInstance(key: string): Promise<void> { this.record('cancelProcessInstance', [key]); this.one('processInstance', key); }
  async publishMessage(...args: Parameters<EngineApi['publishMessage']>): ReturnType<EngineApi['publishMessage']> {
    this.record('publishMessage', args);
    return { messageKey: '2251799813687001' };
  }
  async correlateMessage(...args: Parameters<EngineApi['correlateMessage']>): ReturnType<EngineApi['correlateMessage']> {
    this.record('correlateMessage', args);
    return { messageKey: '2251799813687002', processInstanceKey: '2251799813685260' };
  }
  async broadcastSignal(...args: Parameters<EngineApi['broadcastSignal']>): ReturnType<EngineApi['broadcastSignal']> {
    this.record('broadcastSignal', args);
    return { signalKey: '2251799813687003' };
  }

  async activateJobs(input: ActivateJobsInput, signal?: AbortSignal): Promise<ActivatedJob[]> {
    this.record('activateJobs', [input]);
    this.lastSignal = signal;
    const timeout = input.requestTimeout === undefined || input.requestTimeout === 0 ? 10_000 : input.requestTimeout;
    if (this.offered.length === 0 && timeout > 0 && !signal?.aborted) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, timeout);
        function done(): void { clearTimeout(timer); signal?.removeEventListener('abort', done); resolve(); }
        this.wakeActivation = done;
        signal?.addEventListener('abort', done);
      });
      this.wakeActivation = undefined;
    }
    if (signal?.aborted) return [];
    return this.offered.splice(0, input.maxJobsToActivate);
  }

  async completeJob(key: string, variables?: Record<string, unknown>): Promise<void> { this.record('completeJob', [key, variables]); this.one('job', key); }
  async failJob(...args: Parameters<EngineApi['failJob']>): Promise<void> { this.record('failJob', args); this.one('job', args[0]); }
  async throwJobError(...args: Parameters<EngineApi['throwJobError']>): Promise<void> { this.record('throwJobError', args); this.one('job', args[0]); }
  async updateJob(...args: Parameters<EngineApi['updateJob']>): Promise<void> { this.record('updateJob', args); this.one('job', args[0]); }
  async assignUserTask(...args: Parameters<EngineApi['assignUserTask']>): Promise<void> { this.record('assignUserTask', args); this.one('userTask', args[0]); }
  async unassignUserTask(key: string): Promise<void> { this.record('unassignUserTask', [key]); this.one('userTask', key); }
  async completeUserTask(...args: Parameters<EngineApi['completeUserTask']>): Promise<void> { this.record('completeUserTask', args); this.one('userTask', args[0]); }
  async updateUserTask(...args: Parameters<EngineApi['updateUserTask']>): Promise<void> { this.record('updateUserTask', args); this.one('userTask', args[0]); }
  async setVariables(...args: Parameters<EngineApi['setVariables']>): Promise<void> { this.record('setVariables', args); this.one('elementInstance', args[0]); }
  async resolveIncident(key: string): Promise<void> { this.record('resolveIncident', [key]); this.one('incident', key); }
  async deleteResource(key: string): Promise<void> { this.record('deleteResource', [key]); this.one('processDefinition', key); }
  async processInstanceSequenceFlows(key: string) { this.record('processInstanceSequenceFlows', [key]); return takenSequenceFlows(this.one('processInstance', key)); }
  async processInstanceElementStatistics(key: string) { this.record('processInstanceElementStatistics', [key]); this.one('processInstance', key); return countElementInstances(this.all('elementInstance').filter((e) => e.processInstanceKey === key)); }
  async processDefinitionElementStatistics(...args: Parameters<EngineApi['processDefinitionElementStatistics']>) { this.record('processDefinitionElementStatistics', args); this.one('processDefinition', args[0]); return countElementInstances(this.all('elementInstance').filter((e) => e.processDefinitionKey === args[0])); }
  async migrateProcessInstance(...args: Parameters<EngineApi['migrateProcessInstance']>): Promise<void> { this.record('migrateProcessInstance', args); this.one('processInstance', args[0]); }
  async modifyProcessInstance(...args: Parameters<EngineApi['modifyProcessInstance']>): Promise<void> { this.record('modifyProcessInstance', args); this.one('processInstance', args[0]); }
  async pinClock(epochMs: number): Promise<void> { this.record('pinClock', [epochMs]); this.clock = epochMs; }
  async resetClock(): Promise<void> { this.record('resetClock', []); }

  searchProcessDefinitions(q: SearchQuery) { return this.searchOf('searchProcessDefinitions', 'processDefinition', q); }
  async getProcessDefinition(key: string) { this.record('getProcessDefinition', [key]); return this.one('processDefinition', key); }
  async getStartForm(key: string): Promise<FormRecord> {
    this.record('getStartForm', [key]);
    const form = this.all('form')[0];
    if (!form) throw notFound(`Process definition '${key}' has no start form`);
    return form;
  }
  searchProcessInstances(q: SearchQuery) { return this.searchOf('searchProcessInstances', 'processInstance', q); }
  async getProcessInstance(key: string) { this.record('getProcessInstance', [key]); return this.one('processInstance', key); }
  searchElementInstances(q: SearchQuery) { return this.searchOf('searchElementInstances', 'elementInstance', q); }
  async getElementInstance(key: string) { this.record('getElementInstance', [key]); return this.one('elementInstance', key); }
  searchVariables(q: SearchQuery) { return this.searchOf('searchVariables', 'variable', q); }
  activeScopesWithVariable(name: string, value: string, scope: 'root' | 'local'): string[] {
    this.record('activeScopesWithVariable', [name, value, scope]);
    return this.all('variable')
      .filter((v) => v.active && v.name === name && v.value === value && (scope === 'root') === (v.scopeKey === v.processInstanceKey))
      .map((v) => v.scopeKey);
  }
  async getVariable(key: string) { this.record('getVariable', [key]); return this.one('variable', key); }
  searchJobs(q: SearchQuery) { return this.searchOf('searchJobs', 'job', q); }
  searchUserTasks(q: SearchQuery) { return this.searchOf('searchUserTasks', 'userTask', q); }
  async getUserTask(key: string) { this.record('getUserTask', [key]); return this.one('userTask', key); }
  async getUserTaskForm(key: string): Promise<FormRecord> {
    this.record('getUserTaskForm', [key]);
    const task = this.one('userTask', key);
    return this.one('form', task.formKey ?? '');
  }
  async searchUserTaskVariables(key: string, q: SearchQuery) {
    this.record('searchUserTaskVariables', [key, q]);
    this.one('userTask', key);
    return searchInMemory(this.all('variable'), q);
  }
  searchIncidents(q: SearchQuery) { return this.searchOf('searchIncidents', 'incident', q); }
  async getIncident(key: string) { this.record('getIncident', [key]); return this.one('incident', key); }
  searchMessageSubscriptions(q: SearchQuery) { return this.searchOf('searchMessageSubscriptions', 'messageSubscription', q); }
  async evaluateDecision(...args: Parameters<EngineApi['evaluateDecision']>): ReturnType<EngineApi['evaluateDecision']> {
    this.record('evaluateDecision', args);
    throw notFound('FakeEngineApi does not evaluate decisions');
  }
  searchDecisionDefinitions(q: SearchQuery) { return this.searchOf('searchDecisionDefinitions', 'decisionDefinition', q); }
  async getDecisionDefinition(key: string) { this.record('getDecisionDefinition', [key]); return this.one('decisionDefinition', key); }
  searchDecisionRequirements(q: SearchQuery) { return this.searchOf('searchDecisionRequirements', 'decisionRequirements', q); }
  async getDecisionRequirements(key: string) { this.record('getDecisionRequirements', [key]); return this.one('decisionRequirements', key); }
  searchDecisionInstances(q: SearchQuery) { return this.searchOf('searchDecisionInstances', 'decisionInstance', q); }
  async getDecisionInstance(key: string) {
    this.record('getDecisionInstance', [key]);
    const found = (await this.searchOf('getDecisionInstance', 'decisionInstance', { filters: [{ field: 'decisionEvaluationInstanceKey', op: '$eq', value: key }], sort: [], offset: 0, limit: 1 })).items[0];
    if (!found) throw notFound(`Decision instance with key '${key}' not found`);
    return found;
  }
  now(): number { return this.clock; }
  topology() { return { brokers: 1, partitions: 1, version: '8.8.0-embedded' }; }
}
