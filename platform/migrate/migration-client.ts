/**
 * What `npm run migrate` asks of the process engine, as the official client (`@camunda8/sdk`'s Orchestration Cluster
 * API client) offers it against `/v2` — the embedded engine or Camunda 8 alike — and how it reads the answers:
 * the two versions of the process with their elements (from their BPMN XML), the running instances of the source
 * version with the permit each belongs to and where each waits, and the migrate call itself.
 */
import { BpmnModdle } from 'bpmn-moddle';
import type { DefinitionElement, DefinitionVersion, RunningInstance } from './migration-plan.js';

interface Page<T> {
  items?: T[];
  page?: { totalItems?: number };
}

/** The official client's calls this command makes (the loose client's shapes, keys as strings). */
export interface MigrationClient {
  searchProcessDefinitions(request: unknown, consistency?: unknown): Promise<Page<{ processDefinitionKey: unknown; version: unknown; processDefinitionId: unknown }>>;
  getProcessDefinitionXml(request: { processDefinitionKey: string }, consistency?: unknown): Promise<unknown>;
  searchProcessInstances(request: unknown, consistency?: unknown): Promise<Page<{ processInstanceKey: unknown; tags?: unknown; hasIncident?: unknown }>>;
  searchElementInstances(request: unknown, consistency?: unknown): Promise<Page<{ elementId: unknown; elementInstanceKey: unknown; type?: unknown; state?: unknown }>>;
  searchVariables(request: unknown, consistency?: unknown): Promise<Page<{ name: unknown; value: unknown; scopeKey?: unknown }>>;
  migrateProcessInstance(request: { processInstanceKey: string; targetProcessDefinitionKey: string; mappingInstructions: Array<{ sourceElementId: string; targetElementId: string }> }): Promise<unknown>;
}

/** The version of the process is not deployed: nothing can be planned. */
export class MissingVersionError extends Error {
  constructor(processDefinitionId: string, version: number, deployed: number[]) {
    super(
      `Version ${version} of ${processDefinitionId} is not deployed on this engine (deployed: ${deployed.length > 0 ? deployed.join(', ') : 'none'}). ` +
        'Deploy the new diagram first (npm run deploy), and check the versions in the mapping file.',
    );
    this.name = 'MissingVersionError';
  }
}

const NO_WAIT = { consistency: { waitUpToMs: 0 } } as const;
const PAGE = 100;

/** `bpmn:UserTask` → `USER_TASK`, as Camunda names element instance types. */
export function elementTypeOf(element: { $type: string; triggeredByEvent?: boolean }): string {
  if (element.$type === 'bpmn:SubProcess' && element.triggeredByEvent) return 'EVENT_SUB_PROCESS';
  return element.$type.replace(/^bpmn:/, '').replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase();
}

interface ModdleElement {
  $type: string;
  id?: string;
  name?: string;
  triggeredByEvent?: boolean;
  flowElements?: ModdleElement[];
}

/** Every flow element of the process `processId` in the XML, at any depth (sub-processes included), by id. */
export async function elementsOf(xml: string, processId: string): Promise<Map<string, DefinitionElement>> {
  const { rootElement } = (await new BpmnModdle().fromXML(xml, 'bpmn:Definitions')) as unknown as { rootElement: { rootElements?: ModdleElement[] } };
  const process = (rootElement.rootElements ?? []).find((element) => element.$type === 'bpmn:Process' && element.id === processId);
  const elements = new Map<string, DefinitionElement>();
  const visit = (list: ModdleElement[] | undefined) => {
    for (const element of list ?? []) {
      if (element.$type === 'bpmn:SequenceFlow' || !element.id) continue;
      elements.set(element.id, { type: elementTypeOf(element), ...(element.name ? { name: element.name } : {}) });
      visit(element.flowElements);
    }
  };
  visit(process?.flowElements);
  return elements;
}

async function all<T>(search: (page: { from: number; limit: number }) => Promise<Page<T>>): Promise<T[]> {
  const items: T[] = [];
  for (let from = 0; ; from += PAGE) {
    const batch = (await search({ from, limit: PAGE })).items ?? [];
    items.push(...batch);
    if (batch.length < PAGE) return items;
  }
}

export async function readDefinitionVersion(client: MigrationClient, processDefinitionId: string, version: number): Promise<DefinitionVersion> {
  const definitions = await all((page) => client.searchProcessDefinitions({ filter: { processDefinitionId }, page }, NO_WAIT));
  const found = definitions.find((d) => Number(d.version) === version);
  if (!found) throw new MissingVersionError(processDefinitionId, version, definitions.map((d) => Number(d.version)).sort((a, b) => a - b));
  const processDefinitionKey = String(found.processDefinitionKey);
  const xml = await client.getProcessDefinitionXml({ processDefinitionKey }, NO_WAIT);
  return { processDefinitionKey, version, elements: await elementsOf(String(xml), processDefinitionId) };
}

/** The permit of an instance: its `permit:<id>` tag (the lifecycle's), else its own `permitId` variable. */
async function permitOf(client: MigrationClient, processInstanceKey: string, tags: unknown): Promise<string | null> {
  const tag = Array.isArray(tags) ? tags.map(String).find((t) => t.startsWith('permit:')) : undefined;
  if (tag) return tag.slice('permit:'.length);
  const variables = await client.searchVariables({ filter: { processInstanceKey, scopeKey: processInstanceKey, name: 'permitId' }, page: { limit: 1 } }, NO_WAIT);
  const raw = variables.items?.[0]?.value;
  if (raw === undefined || raw === null) return null;
  try {
    const value: unknown = JSON.parse(String(raw));
    return value === null ? null : String(value);
  } catch {
    return String(raw);
  }
}

/** Every ACTIVE instance of the source version, with its permit and its active elements. */
export async function readRunningInstances(client: MigrationClient, source: DefinitionVersion): Promise<RunningInstance[]> {
  const instances = await all((page) =>
    client.searchProcessInstances({ filter: { processDefinitionKey: source.processDefinitionKey, state: 'ACTIVE' }, sort: [{ field: 'processInstanceKey', order: 'ASC' }], page }, NO_WAIT),
  );
  const running: RunningInstance[] = [];
  for (const instance of instances) {
    const processInstanceKey = String(instance.processInstanceKey);
    const elements = await all((page) => client.searchElementInstances({ filter: { processInstanceKey, state: 'ACTIVE' }, sort: [{ field: 'elementInstanceKey', order: 'ASC' }], page }, NO_WAIT));
    running.push({
      processInstanceKey,
      permitId: await permitOf(client, processInstanceKey, instance.tags),
      activeElements: elements.filter((e) => e.type !== 'PROCESS').map((e) => ({ elementId: String(e.elementId), elementInstanceKey: String(e.elementInstanceKey) })),
      hasIncident: instance.hasIncident === true,
    });
  }
  return running;
}
