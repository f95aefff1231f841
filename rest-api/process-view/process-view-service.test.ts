import { describe, expect, it } from 'vitest';
import type { Permit } from '../../db/index.js';
import { NotFoundError } from '../../shared/index.js';
import type { Caller } from '../identity/caller.js';
import { createFakeProcessInspector } from './fake-process-inspector.js';
import { createProcessViewService } from './process-view-service.js';

const PERMIT = 'b3f0a1c2-0000-4000-8000-000000000001';
const alice: Caller = { userId: 'alice', name: 'Alice', roles: ['researcher'] };

function setup() {
  const inspector = createFakeProcessInspector();
  inspector.instances.push(
    { processInstanceKey: '1', processDefinitionKey: '11', processDefinitionId: 'spe-permit-lifecycle', state: 'ACTIVE' },
    { processInstanceKey: '2', processDefinitionKey: '12', processDefinitionId: 'spe-application', state: 'COMPLETED', parentProcessInstanceKey: '1', parentElementInstanceKey: '101' },
    { processInstanceKey: '3', processDefinitionKey: '13', processDefinitionId: 'spe-ingress', state: 'ACTIVE', parentProcessInstanceKey: '1', parentElementInstanceKey: '102' },
    { processInstanceKey: '99', processDefinitionKey: '13', processDefinitionId: 'spe-ingress', state: 'ACTIVE' },
  );
  inspector.elementsOf.set('1', [
    { elementInstanceKey: '100', elementId: 'start', type: 'START_EVENT', state: 'COMPLETED', hasIncident: false },
    { elementInstanceKey: '101', elementId: 'callApplication', type: 'CALL_ACTIVITY', state: 'COMPLETED', hasIncident: false },
    { elementInstanceKey: '102', elementId: 'callIngress', type: 'CALL_ACTIVITY', state: 'ACTIVE', hasIncident: false },
  ]);
  inspector.flowsOf.set('1', ['toApplication', 'toIngress']);
  inspector.statisticsOf.set('1', [
    { elementId: 'start', active: 0, incidents: 0, completed: 1, canceled: 0 },
    { elementId: 'callApplication', active: 0, incidents: 0, completed: 1, canceled: 0 },
    { elementId: 'callIngress', active: 1, incidents: 0, completed: 0, canceled: 0 },
    { elementId: 'notify', active: 0, incidents: 1, completed: 2, canceled: 0 },
  ]);
  const permit = { id: PERMIT, processInstanceKey: '1' } as Permit;
  const access = {
    load: async (caller: Caller) => {
      if (caller.userId !== 'alice') throw new NotFoundError('not yours');
      return { permit, membership: ['RESEARCH_TEAM' as const] };
    },
  };
  return createProcessViewService({ access, inspector });
}

describe('process view', () => {
  it('marks active and completed elements of the lifecycle and names the processes it called', async () => {
    const view = await setup().view(alice, PERMIT);
    expect(view.activeElementIds).toEqual(['callIngress', 'notify']);
    expect(view.completedElementIds).toEqual(['start', 'callApplication']);
    expect(view.incidentElementIds).toEqual(['notify']);
    expect(view.calledProcesses.map((c) => [c.elementId, c.processInstanceKey])).toEqual([
      ['callApplication', '2'],
      ['callIngress', '3'],
    ]);
    expect(view.xml).toContain('11');
  });

  it('passes on the flows the instance took and the per-element counts from the engine', async () => {
    const view = await setup().view(alice, PERMIT);
    expect(view.takenSequenceFlowIds).toEqual(['toApplication', 'toIngress']);
    expect(view.elementStatistics.find((s) => s.elementId === 'notify')).toEqual({ elementId: 'notify', active: 0, incidents: 1, completed: 2, canceled: 0 });
  });

  it('opens a called process of the permit and refuses one of another permit', async () => {
    const service = setup();
    await expect(service.view(alice, PERMIT, '3')).resolves.toMatchObject({ processDefinitionId: 'spe-ingress' });
    await expect(service.view(alice, PERMIT, '99')).rejects.toBeInstanceOf(NotFoundError);
  });

  it('hides the process from someone not on the permit', async () => {
    await expect(setup().view({ userId: 'mallory', name: 'M', roles: ['researcher'] }, PERMIT)).rejects.toBeInstanceOf(NotFoundError);
  });
});
