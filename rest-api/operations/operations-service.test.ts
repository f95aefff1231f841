import { describe, expect, it } from 'vitest';
import type { Permit } from '../../db/index.js';
import { NotFoundError } from '../../shared/index.js';
import type { AuditInput } from '../permits/permit-store.js';
import { createFakeProcessInspector } from '../process-view/fake-process-inspector.js';
import { createOperationsService } from './operations-service.js';

const PERMIT = 'b3f0a1c2-0000-4000-8000-000000000001';
const adam = { userId: 'adam', name: 'Adam', roles: ['admin' as const] };

function setup() {
  const inspector = createFakeProcessInspector();
  inspector.incidents.push({ incidentKey: '42', processInstanceKey: '7', processDefinitionId: 'spe-environment-setup', elementId: 'provision', elementInstanceKey: '8', errorType: 'JOB_NO_RETRIES', errorMessage: 'cluster unreachable', jobKey: '9' });
  inspector.variables.set('7', { permitId: PERMIT });
  inspector.elementsOf.set('7', [{ elementInstanceKey: '8', elementId: 'provision', elementName: 'Provision workspace', type: 'SERVICE_TASK', state: 'ACTIVE', hasIncident: true }]);
  const audits: AuditInput[] = [];
  const permits = { findByIds: async () => [{ id: PERMIT, title: 'Cohort study' } as Permit], audit: async (entry: AuditInput) => void audits.push(entry) };
  return { inspector, audits, service: createOperationsService({ inspector, permits }) };
}

describe('operations', () => {
  it('lists an incident with its permit, the failing step, the error and what to do', async () => {
    const { service } = setup();
    const { items } = await service.incidents();
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ permitId: PERMIT, permitTitle: 'Cohort study', elementName: 'Provision workspace', errorMessage: 'cluster unreachable' });
    expect(items[0]?.whatToDo).toMatch(/fix its cause.*Retry/);
  });

  it('retries an incident and audits it under the operator', async () => {
    const { service, inspector, audits } = setup();
    await expect(service.retry(adam, '42')).resolves.toEqual({ incidentKey: '42', retried: true });
    expect(inspector.retried).toEqual(['42']);
    expect(audits).toEqual([expect.objectContaining({ actor: 'adam', action: 'incident.retried', permitId: PERMIT })]);
  });

  it('answers 404 for an unknown incident and changes nothing', async () => {
    const { service, inspector, audits } = setup();
    await expect(service.retry(adam, '1')).rejects.toBeInstanceOf(NotFoundError);
    expect(inspector.retried).toEqual([]);
    expect(audits).toEqual([]);
  });
});
