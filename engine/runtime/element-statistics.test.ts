import { describe, expect, it } from 'vitest';
import { countElementInstances, takenSequenceFlows } from './element-statistics.js';
import type { ElementInstanceRecord, ProcessInstanceRecord } from './records.js';

const ei = (elementId: string, state: ElementInstanceRecord['state'], extra: Partial<ElementInstanceRecord> = {}): ElementInstanceRecord => ({
  kind: 'elementInstance',
  elementInstanceKey: `${elementId}-${Math.random()}`,
  processInstanceKey: '1',
  processDefinitionKey: '2',
  processDefinitionId: 'p',
  elementId,
  elementName: elementId,
  type: 'SERVICE_TASK',
  state,
  startDate: '2026-12-06T00:00:00.000Z',
  hasIncident: false,
  tenantId: '<default>',
  ...extra,
});

describe('element statistics', () => {
  it('counts as Operate does: active without incident, incidents, completed, canceled; multi-instance bodies left out', () => {
    const counts = countElementInstances([
      ei('a', 'ACTIVE'),
      ei('a', 'ACTIVE', { hasIncident: true }),
      ei('a', 'COMPLETED'),
      ei('b', 'TERMINATED'),
      ei('m', 'ACTIVE', { type: 'MULTI_INSTANCE_BODY' }),
      ei('m', 'COMPLETED'),
    ]);
    expect(counts).toEqual([
      { elementId: 'a', active: 1, incidents: 1, completed: 1, canceled: 0 },
      { elementId: 'b', active: 0, incidents: 0, completed: 0, canceled: 1 },
      { elementId: 'm', active: 0, incidents: 0, completed: 1, canceled: 0 },
    ]);
  });

  it('names each taken flow <processInstanceKey>_<flow id>', () => {
    const pi = { processInstanceKey: '7', processDefinitionKey: '8', processDefinitionId: 'p', tenantId: '<default>', takenSequenceFlows: ['f1', 'f2'] } as ProcessInstanceRecord;
    expect(takenSequenceFlows(pi).map((f) => [f.sequenceFlowId, f.elementId])).toEqual([
      ['7_f1', 'f1'],
      ['7_f2', 'f2'],
    ]);
    expect(takenSequenceFlows({ ...pi, takenSequenceFlows: undefined })).toEqual([]);
  });
});
