/**
 * What a live diagram draws (Operate's process instance and process definition views), read from the store:
 * the sequence flows an instance took (`GET /v2/process-instances/{key}/sequence-flows`) and per-element counts
 * of element instances (`.../statistics/element-instances`), as Camunda 8.8 answers them.
 *
 * Counts follow Operate: `active` = active without an incident, `incidents` = active with an incident,
 * `completed`, `canceled` = terminated. Multi-instance bodies are not counted (their inner instances carry the
 * same element id); elements no instance reached are left out.
 */
import type { FieldFilter, SearchQuery, SearchResult } from '../store/store.js';
import type { ElementInstanceRecord, ProcessInstanceRecord } from './records.js';

/** `ProcessElementStatisticsResult`. */
export interface ElementStatistics {
  elementId: string;
  active: number;
  canceled: number;
  incidents: number;
  completed: number;
}

/** `ProcessInstanceSequenceFlowResult`: one per flow the instance took (however often). */
export interface TakenSequenceFlow {
  /** `<processInstanceKey>_<flow id>`, as Camunda's exporter names it. */
  sequenceFlowId: string;
  processInstanceKey: string;
  processDefinitionKey: string;
  processDefinitionId: string;
  /** The flow's id in the BPMN. */
  elementId: string;
  tenantId: string;
}

export interface LiveDiagramQueries {
  /** NOT_FOUND when there is no such instance. */
  processInstanceSequenceFlows(processInstanceKey: string): Promise<TakenSequenceFlow[]>;
  /** NOT_FOUND when there is no such instance. */
  processInstanceElementStatistics(processInstanceKey: string): Promise<ElementStatistics[]>;
  /**
   * Over the instances of one definition that match the filter: each alternative of `anyOf` (all of its conditions
   * and all of `filters`) adds the instances it matches; no alternative = `filters` alone. NOT_FOUND for an unknown
   * or deleted definition.
   */
  processDefinitionElementStatistics(processDefinitionKey: string, filters: FieldFilter[], anyOf: FieldFilter[][]): Promise<ElementStatistics[]>;
}

export function takenSequenceFlows(pi: ProcessInstanceRecord): TakenSequenceFlow[] {
  return (pi.takenSequenceFlows ?? []).map((flowId) => ({
    sequenceFlowId: `${pi.processInstanceKey}_${flowId}`,
    processInstanceKey: pi.processInstanceKey,
    processDefinitionKey: pi.processDefinitionKey,
    processDefinitionId: pi.processDefinitionId,
    elementId: flowId,
    tenantId: pi.tenantId,
  }));
}

/** Per-element counts of these element instances, in the order each element was first met. */
export function countElementInstances(instances: Iterable<ElementInstanceRecord>): ElementStatistics[] {
  const byElement = new Map<string, ElementStatistics>();
  for (const ei of instances) {
    if (ei.type === 'MULTI_INSTANCE_BODY' || ei.type === 'PROCESS') continue;
    let s = byElement.get(ei.elementId);
    if (!s) byElement.set(ei.elementId, (s = { elementId: ei.elementId, active: 0, canceled: 0, incidents: 0, completed: 0 }));
    if (ei.state === 'ACTIVE') {
      if (ei.hasIncident) s.incidents++;
      else s.active++;
    } else if (ei.state === 'COMPLETED') s.completed++;
    else s.canceled++;
  }
  return [...byElement.values()];
}

const PAGE = 10_000;
/** Keys per `$in` filter when reading the element instances of many process instances. */
const KEYS_PER_QUERY = 500;

/** Every record a search matches, page by page. */
export async function searchAll<T>(search: (q: SearchQuery) => Promise<SearchResult<T>>, filters: FieldFilter[]): Promise<T[]> {
  const all: T[] = [];
  for (let offset = 0; ; offset += PAGE) {
    const page = await search({ filters, sort: [], offset, limit: PAGE });
    all.push(...page.items);
    if (page.items.length < PAGE) return all;
  }
}

/** The element instances of these process instances. */
export async function elementInstancesOf(
  searchElementInstances: (q: SearchQuery) => Promise<SearchResult<ElementInstanceRecord>>,
  processInstanceKeys: readonly string[],
): Promise<ElementInstanceRecord[]> {
  const all: ElementInstanceRecord[] = [];
  for (let i = 0; i < processInstanceKeys.length; i += KEYS_PER_QUERY) {
    const keys = processInstanceKeys.slice(i, i + KEYS_PER_QUERY);
    all.push(...(await searchAll(searchElementInstances, [{ field: 'processInstanceKey', op: '$in', value: keys }])));
  }
  return all;
}
