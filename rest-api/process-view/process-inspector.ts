/**
 * What the web app's process view and the operators' page ask of the engine beyond the EnginePort: process
 * instances, their element instances, the deployed diagram, incidents and their retry. Implemented over the official
 * client (Camunda 8.8's Orchestration Cluster REST API, or the embedded engine's subset of it); tests hand in a fake.
 */
import { UnavailableError } from '../../shared/index.js';
import type { CamundaRestClient } from '../engine/camunda-engine-port.js';

export interface InspectedInstance {
  processInstanceKey: string;
  processDefinitionKey: string;
  processDefinitionId: string;
  state: string;
  parentProcessInstanceKey?: string;
  parentElementInstanceKey?: string;
}

export interface InspectedElement {
  elementInstanceKey: string;
  elementId: string;
  elementName?: string;
  type: string;
  state: string;
  hasIncident: boolean;
}

export interface InspectedIncident {
  incidentKey: string;
  processInstanceKey: string;
  processDefinitionId: string;
  elementId: string;
  elementInstanceKey: string;
  errorType: string;
  errorMessage: string;
  creationTime?: string;
  jobKey?: string;
}

/** Element instance counts of one element (Operate's badges): active without incident, with one, completed, canceled. */
export interface ElementCounts {
  elementId: string;
  active: number;
  incidents: number;
  completed: number;
  canceled: number;
}

export interface ProcessInspector {
  getInstance(processInstanceKey: string): Promise<InspectedInstance | undefined>;
  /** The ids of the sequence flows the instance has taken (each once). */
  takenSequenceFlows(processInstanceKey: string): Promise<string[]>;
  /** Per-element counts of the instance's element instances (elements never reached are absent). */
  elementStatistics(processInstanceKey: string): Promise<ElementCounts[]>;
  /** Process instances started by call activities of this one. */
  childInstances(processInstanceKey: string): Promise<InspectedInstance[]>;
  elements(processInstanceKey: string): Promise<InspectedElement[]>;
  diagramXml(processDefinitionKey: string): Promise<string>;
  activeIncidents(): Promise<InspectedIncident[]>;
  getIncident(incidentKey: string): Promise<InspectedIncident | undefined>;
  /** Gives the incident's job one more try (retries 1) and resolves the incident, as Operate's "Retry" does. */
  retry(incident: InspectedIncident): Promise<void>;
  variable(processInstanceKey: string, name: string): Promise<unknown>;
}

const NO_WAIT = { consistency: { waitUpToMs: 0 } } as const;
const PAGE = { limit: 1000 };

function statusOf(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === 'number' ? status : undefined;
}

function unavailable(error: unknown, what: string): unknown {
  const status = statusOf(error);
  if (status !== undefined && status < 500) return error;
  return new UnavailableError(`The process engine could not ${what}: ${error instanceof Error ? error.message : String(error)}`, { engineStatus: status });
}

const text = (value: unknown): string | undefined => (value === undefined || value === null || value === '' ? undefined : String(value));

function toInstance(item: Record<string, unknown>): InspectedInstance {
  const parent = text(item.parentProcessInstanceKey);
  const parentElement = text(item.parentElementInstanceKey);
  return {
    processInstanceKey: String(item.processInstanceKey),
    processDefinitionKey: String(item.processDefinitionKey),
    processDefinitionId: String(item.processDefinitionId),
    state: String(item.state),
    ...(parent ? { parentProcessInstanceKey: parent } : {}),
    ...(parentElement ? { parentElementInstanceKey: parentElement } : {}),
  };
}

function toIncident(item: Record<string, unknown>): InspectedIncident {
  const jobKey = text(item.jobKey);
  const creationTime = text(item.creationTime);
  return {
    incidentKey: String(item.incidentKey),
    processInstanceKey: String(item.processInstanceKey),
    processDefinitionId: String(item.processDefinitionId),
    elementId: String(item.elementId),
    elementInstanceKey: String(item.elementInstanceKey),
    errorType: String(item.errorType),
    errorMessage: text(item.errorMessage) ?? '',
    ...(creationTime ? { creationTime } : {}),
    ...(jobKey ? { jobKey } : {}),
  };
}

export function createCamundaProcessInspector(client: CamundaRestClient): ProcessInspector {
  const xmlCache = new Map<string, string>();
  const loose = client as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
  const call = async <T>(what: string, method: string, ...args: unknown[]): Promise<T> => {
    try {
      return (await loose[method]!.call(client, ...args)) as T;
    } catch (error) {
      throw unavailable(error, what);
    }
  };
  type Page = { items?: Array<Record<string, unknown>> };
  return {
    async getInstance(processInstanceKey) {
      try {
        return toInstance((await client.getProcessInstance({ processInstanceKey }, NO_WAIT)) as unknown as Record<string, unknown>);
      } catch (error) {
        if (statusOf(error) === 404) return undefined;
        throw unavailable(error, `read process instance ${processInstanceKey}`);
      }
    },
    async takenSequenceFlows(processInstanceKey) {
      const page = await call<Page>('read the sequence flows taken', 'getProcessInstanceSequenceFlows', { processInstanceKey }, NO_WAIT);
      return (page.items ?? []).map((item) => String(item.elementId));
    },
    async elementStatistics(processInstanceKey) {
      const page = await call<Page>('read the element statistics', 'getProcessInstanceStatistics', { processInstanceKey }, NO_WAIT);
      return (page.items ?? []).map((item) => ({
        elementId: String(item.elementId),
        active: Number(item.active ?? 0),
        incidents: Number(item.incidents ?? 0),
        completed: Number(item.completed ?? 0),
        canceled: Number(item.canceled ?? 0),
      }));
    },
    async childInstances(processInstanceKey) {
      const page = await call<Page>('search process instances', 'searchProcessInstances', { filter: { parentProcessInstanceKey: processInstanceKey }, page: PAGE }, NO_WAIT);
      return (page.items ?? []).map(toInstance);
    },
    async elements(processInstanceKey) {
      const page = await call<Page>('search element instances', 'searchElementInstances', { filter: { processInstanceKey }, page: PAGE }, NO_WAIT);
      return (page.items ?? []).map((item) => ({
        elementInstanceKey: String(item.elementInstanceKey),
        elementId: String(item.elementId),
        ...(text(item.elementName) ? { elementName: text(item.elementName) } : {}),
        type: String(item.type),
        state: String(item.state),
        hasIncident: item.hasIncident === true,
      }));
    },
    async diagramXml(processDefinitionKey) {
      const cached = xmlCache.get(processDefinitionKey);
      if (cached !== undefined) return cached;
      const xml = await call<unknown>(`read the diagram of process definition ${processDefinitionKey}`, 'getProcessDefinitionXml', { processDefinitionKey }, NO_WAIT);
      const value = typeof xml === 'string' ? xml : String(xml);
      xmlCache.set(processDefinitionKey, value);
      return value;
    },
    async activeIncidents() {
      const page = await call<Page>('search incidents', 'searchIncidents', { filter: { state: 'ACTIVE' }, page: PAGE }, NO_WAIT);
      return (page.items ?? []).map(toIncident);
    },
    async getIncident(incidentKey) {
      const page = await call<Page>('search incidents', 'searchIncidents', { filter: { incidentKey }, page: { limit: 1 } }, NO_WAIT);
      const [first] = page.items ?? [];
      return first ? toIncident(first) : undefined;
    },
    async retry(incident) {
      if (incident.jobKey) await call('give the job another try', 'updateJob', { jobKey: incident.jobKey, changeset: { retries: 1 } });
      await call(`resolve incident ${incident.incidentKey}`, 'resolveIncident', { incidentKey: incident.incidentKey });
    },
    async variable(processInstanceKey, name) {
      const page = await call<Page>(`read variable ${name}`, 'searchVariables', { filter: { processInstanceKey, name }, page: { limit: 10 } }, NO_WAIT);
      const value = page.items?.[0]?.value;
      if (typeof value !== 'string') return value;
      try {
        return JSON.parse(value) as unknown;
      } catch {
        return value;
      }
    },
  };
}
