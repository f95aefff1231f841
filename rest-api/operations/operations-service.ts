/**
 * Operators (admin): incidents across every permit's processes, each with the permit, the failing step, the error
 * and what to do; and the retry (one more try for the job, incident resolved), audited under the operator's name.
 */
import { NotFoundError } from '../../shared/index.js';
import type { AuditInput, PermitStore } from '../permits/permit-store.js';
import type { Caller } from '../identity/caller.js';
import type { InspectedIncident, ProcessInspector } from '../process-view/process-inspector.js';
import { adviceFor } from './incident-advice.js';

export interface IncidentView {
  incidentKey: string;
  permitId: string | null;
  permitTitle: string | null;
  processDefinitionId: string;
  processInstanceKey: string;
  elementId: string;
  elementName: string | null;
  errorType: string;
  errorMessage: string;
  whatToDo: string;
  creationTime: string | null;
  jobKey: string | null;
}

export interface OperationsServiceDeps {
  inspector: ProcessInspector;
  permits: Pick<PermitStore, 'findByIds' | 'audit'>;
}

export function createOperationsService(deps: OperationsServiceDeps) {
  const { inspector } = deps;

  async function describe(incidents: InspectedIncident[]): Promise<IncidentView[]> {
    const permitIds = new Map<string, string | null>();
    const names = new Map<string, string>();
    await Promise.all(
      [...new Set(incidents.map((i) => i.processInstanceKey))].map(async (key) => {
        const [permitId, elements] = await Promise.all([inspector.variable(key, 'permitId'), inspector.elements(key)]);
        permitIds.set(key, typeof permitId === 'string' ? permitId : null);
        for (const e of elements) if (e.elementName) names.set(`${key}:${e.elementId}`, e.elementName);
      }),
    );
    const ids = [...new Set([...permitIds.values()].filter((id): id is string => id !== null))];
    const titles = new Map((await deps.permits.findByIds(ids)).map((p) => [p.id, p.title]));
    return incidents
      .map((i) => {
        const permitId = permitIds.get(i.processInstanceKey) ?? null;
        return {
          incidentKey: i.incidentKey,
          permitId,
          permitTitle: permitId ? (titles.get(permitId) ?? null) : null,
          processDefinitionId: i.processDefinitionId,
          processInstanceKey: i.processInstanceKey,
          elementId: i.elementId,
          elementName: names.get(`${i.processInstanceKey}:${i.elementId}`) ?? null,
          errorType: i.errorType,
          errorMessage: i.errorMessage,
          whatToDo: adviceFor(i.errorType),
          creationTime: i.creationTime ?? null,
          jobKey: i.jobKey ?? null,
        };
      })
      .sort((a, b) => (a.creationTime ?? '').localeCompare(b.creationTime ?? '') || a.incidentKey.localeCompare(b.incidentKey));
  }

  return {
    async incidents(): Promise<{ items: IncidentView[] }> {
      return { items: await describe(await inspector.activeIncidents()) };
    },

    async retry(caller: Caller, incidentKey: string): Promise<{ incidentKey: string; retried: true }> {
      const incident = await inspector.getIncident(incidentKey);
      if (!incident) throw new NotFoundError(`Incident ${incidentKey} does not exist.`, { incidentKey });
      const [view] = await describe([incident]);
      await inspector.retry(incident);
      const audit: AuditInput = {
        actor: caller.userId,
        action: 'incident.retried',
        ...(view?.permitId ? { permitId: view.permitId } : {}),
        details: { incidentKey, elementId: incident.elementId, errorType: incident.errorType, errorMessage: incident.errorMessage.slice(0, 400), processInstanceKey: incident.processInstanceKey },
      };
      await deps.permits.audit(audit);
      return { incidentKey, retried: true };
    },
  };
}

export type OperationsService = ReturnType<typeof createOperationsService>;
