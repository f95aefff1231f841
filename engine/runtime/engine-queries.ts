/**
 * The read side: searches and gets answered from the store, which holds everything committed (runtime
 * and history). Anything a command acknowledged is visible here.
 */
import { notFound } from '../errors.js';
import type { EngineStore, FieldFilter, SearchQuery, SearchResult } from '../store/store.js';
import {
  countElementInstances,
  elementInstancesOf,
  searchAll,
  takenSequenceFlows,
  type ElementStatistics,
  type TakenSequenceFlow,
} from './element-statistics.js';
import type { EngineQueries } from './engine-api.js';
import type { EngineClock } from './clock.js';
import type { EngineRecord, FormRecord, RecordKind, VariableRecord } from './records.js';
import type { RuntimeState } from './runtime-state.js';

const VERSION = '8.8.0';
/** The record kinds a resource deletion marks deleted (`deletedAt`) instead of removing. */
type DeletableKind = 'processDefinition' | 'decisionDefinition' | 'decisionRequirements';

const NOT_DELETED: FieldFilter = { field: 'deletedAt', op: '$exists', value: false };

export class EngineQueryService implements EngineQueries {
  constructor(
    private readonly store: EngineStore,
    private readonly clock: EngineClock,
    private readonly runtime: () => RuntimeState,
  ) {}

  private async must<K extends RecordKind>(kind: K, key: string, what: string): Promise<Extract<EngineRecord, { kind: K }>> {
    const r = await this.store.get(kind, key);
    if (!r) throw notFound(`${what} with key '${key}' not found`);
    return r;
  }

  /**
   * Deleted definitions (processes, decisions, DRGs) are kept only for their version numbers: searches and gets do
   * not see them.
   */
  private async mustLive<K extends DeletableKind>(kind: K, key: string, what: string): Promise<Extract<EngineRecord, { kind: K }>> {
    const r = await this.must(kind, key, what);
    if ((r as { deletedAt?: string }).deletedAt !== undefined) throw notFound(`${what} with key '${key}' not found`);
    return r;
  }

  private searchLive<K extends DeletableKind>(kind: K, q: SearchQuery) {
    return this.store.search(kind, { ...q, filters: [...q.filters, NOT_DELETED] });
  }

  searchProcessDefinitions(q: SearchQuery) {
    return this.searchLive('processDefinition', q);
  }
  getProcessDefinition(key: string) {
    return this.mustLive('processDefinition', key, 'Process definition');
  }
  async getStartForm(processDefinitionKey: string): Promise<FormRecord> {
    await this.getProcessDefinition(processDefinitionKey);
    const model = this.runtime().definitions.get(processDefinitionKey)?.model;
    const formId = model?.startFormId;
    const form = formId ? this.runtime().latestForm.get(formId) : undefined;
    if (!form) throw notFound(`Process definition with key '${processDefinitionKey}' has no start form`);
    return form;
  }
  searchProcessInstances(q: SearchQuery) {
    return this.store.search('processInstance', q);
  }
  getProcessInstance(key: string) {
    return this.must('processInstance', key, 'Process instance');
  }
  async processInstanceSequenceFlows(processInstanceKey: string): Promise<TakenSequenceFlow[]> {
    return takenSequenceFlows(await this.getProcessInstance(processInstanceKey));
  }
  async processInstanceElementStatistics(processInstanceKey: string): Promise<ElementStatistics[]> {
    await this.getProcessInstance(processInstanceKey);
    return countElementInstances(await elementInstancesOf((q) => this.searchElementInstances(q), [processInstanceKey]));
  }
  async processDefinitionElementStatistics(processDefinitionKey: string, filters: FieldFilter[], anyOf: FieldFilter[][]): Promise<ElementStatistics[]> {
    await this.getProcessDefinition(processDefinitionKey);
    const ofDefinition: FieldFilter = { field: 'processDefinitionKey', op: '$eq', value: processDefinitionKey };
    // Without a filter every instance counts: one search of the element instances, not one per page of instance keys.
    if (filters.length === 0 && anyOf.length === 0) return countElementInstances(await searchAll((q) => this.searchElementInstances(q), [ofDefinition]));
    const keys = new Set<string>();
    for (const alternative of anyOf.length > 0 ? anyOf : [[]]) {
      const instances = await searchAll((q) => this.searchProcessInstances(q), [ofDefinition, ...filters, ...alternative]);
      for (const pi of instances) keys.add(pi.processInstanceKey);
    }
    return countElementInstances(await elementInstancesOf((q) => this.searchElementInstances(q), [...keys]));
  }
  searchElementInstances(q: SearchQuery) {
    return this.store.search('elementInstance', q);
  }
  getElementInstance(key: string) {
    return this.must('elementInstance', key, 'Element instance');
  }
  searchVariables(q: SearchQuery) {
    return this.store.search('variable', q);
  }
  activeScopesWithVariable(name: string, value: string, scope: 'root' | 'local'): string[] {
    const state = this.runtime();
    const keys: string[] = [];
    for (const [scopeKey, variables] of state.variables) {
      const variable = variables.get(name);
      if (variable?.value !== value) continue;
      if ((scope === 'root') === (scopeKey === variable.processInstanceKey)) keys.push(scopeKey);
    }
    return keys;
  }
  getVariable(key: string) {
    return this.must('variable', key, 'Variable');
  }
  searchJobs(q: SearchQuery) {
    return this.store.search('job', q);
  }
  searchUserTasks(q: SearchQuery) {
    return this.store.search('userTask', q);
  }
  getUserTask(key: string) {
    return this.must('userTask', key, 'User task');
  }
  async getUserTaskForm(userTaskKey: string): Promise<FormRecord> {
    const task = await this.getUserTask(userTaskKey);
    if (!task.formKey) throw notFound(`User task with key '${userTaskKey}' has no linked form`);
    return this.must('form', task.formKey, 'Form');
  }
  async searchUserTaskVariables(userTaskKey: string, q: SearchQuery): Promise<SearchResult<VariableRecord>> {
    const task = await this.getUserTask(userTaskKey);
    // The task's scope chain: its element instance up to the process instance.
    const chain: string[] = [];
    let key: string | undefined = task.elementInstanceKey;
    while (key !== undefined && chain.length < 100) {
      chain.push(key);
      if (key === task.processInstanceKey) break;
      const ei: EngineRecord | undefined = await this.store.get('elementInstance', key);
      key = ei && ei.kind === 'elementInstance' ? (ei.flowScopeKey ?? task.processInstanceKey) : task.processInstanceKey;
    }
    const all = await this.store.search('variable', {
      ...q,
      filters: [
        ...q.filters,
        { field: 'processInstanceKey', op: '$eq', value: task.processInstanceKey },
        { field: 'scopeKey', op: '$in', value: chain },
      ],
      offset: 0,
      limit: 10_000,
    });
    const nearest = new Map<string, VariableRecord>();
    for (const scope of chain) {
      for (const v of all.items) if (v.scopeKey === scope && !nearest.has(v.name)) nearest.set(v.name, v);
    }
    const items = [...nearest.values()];
    return { items: items.slice(q.offset, q.offset + q.limit), total: items.length };
  }
  searchIncidents(q: SearchQuery) {
    return this.store.search('incident', q);
  }
  getIncident(key: string) {
    return this.must('incident', key, 'Incident');
  }
  searchMessageSubscriptions(q: SearchQuery) {
    return this.store.search('messageSubscription', q);
  }
  searchDecisionDefinitions(q: SearchQuery) {
    return this.searchLive('decisionDefinition', q);
  }
  getDecisionDefinition(key: string) {
    return this.mustLive('decisionDefinition', key, 'Decision definition');
  }
  searchDecisionRequirements(q: SearchQuery) {
    return this.searchLive('decisionRequirements', q);
  }
  getDecisionRequirements(key: string) {
    return this.mustLive('decisionRequirements', key, 'Decision requirements');
  }
  searchDecisionInstances(q: SearchQuery) {
    return this.store.search('decisionInstance', q);
  }
  async getDecisionInstance(decisionEvaluationInstanceKey: string) {
    const filters = [{ field: 'decisionEvaluationInstanceKey', op: '$eq' as const, value: decisionEvaluationInstanceKey }];
    const found = await this.store.search('decisionInstance', { filters, sort: [], offset: 0, limit: 1 });
    const instance = found.items[0];
    if (!instance) throw notFound(`Decision instance with key '${decisionEvaluationInstanceKey}' not found`);
    return instance;
  }
  now(): number {
    return this.clock.now();
  }
  topology() {
    return { brokers: 1, partitions: 1, version: VERSION };
  }
}
