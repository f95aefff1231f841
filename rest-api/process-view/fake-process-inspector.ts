/** An in-memory ProcessInspector for unit tests. */
import type { ElementCounts, InspectedElement, InspectedIncident, InspectedInstance, ProcessInspector } from './process-inspector.js';

export interface FakeProcessInspector extends ProcessInspector {
  instances: InspectedInstance[];
  elementsOf: Map<string, InspectedElement[]>;
  flowsOf: Map<string, string[]>;
  statisticsOf: Map<string, ElementCounts[]>;
  incidents: InspectedIncident[];
  variables: Map<string, Record<string, unknown>>;
  retried: string[];
}

export function createFakeProcessInspector(): FakeProcessInspector {
  const fake: FakeProcessInspector = {
    instances: [],
    elementsOf: new Map(),
    flowsOf: new Map(),
    statisticsOf: new Map(),
    incidents: [],
    variables: new Map(),
    retried: [],
    getInstance: async (key) => fake.instances.find((i) => i.processInstanceKey === key),
    takenSequenceFlows: async (key) => fake.flowsOf.get(key) ?? [],
    elementStatistics: async (key) => fake.statisticsOf.get(key) ?? [],
    childInstances: async (key) => fake.instances.filter((i) => i.parentProcessInstanceKey === key),
    elements: async (key) => fake.elementsOf.get(key) ?? [],
    diagramXml: async (key) => `<definitions id="${key}"/>`,
    activeIncidents: async () => fake.incidents,
    getIncident: async (key) => fake.incidents.find((i) => i.incidentKey === key),
    retry: async (incident) => {
      fake.retried.push(incident.incidentKey);
      fake.incidents = fake.incidents.filter((i) => i !== incident);
    },
    variable: async (key, name) => fake.variables.get(key)?.[name],
  };
  return fake;
}
