import { describe, expect, it } from 'vitest';
import { mapActivatedJob, mapElementInstance, mapForm, mapJob, mapProcessDefinition, mapProcessInstance, mapVariableSearchItem } from './mappers.js';
import { elementInstance, form, job, processDefinition, processInstance, variable } from './testing/sample-records.js';

describe('mappers', () => {
  it('drops internal fields of process definitions and element instances', () => {
    expect(mapProcessDefinition(processDefinition())).not.toHaveProperty('xml');
    expect(mapProcessDefinition(processDefinition())).not.toHaveProperty('checksum');
    const ei = mapElementInstance(elementInstance());
    expect(ei).not.toHaveProperty('runtime');
    expect(ei).not.toHaveProperty('flowScopeKey');
    expect(ei).not.toHaveProperty('kind');
  });

  it('fills required names Camunda derives from ids', () => {
    expect(mapProcessInstance(processInstance({ processDefinitionName: undefined as never })).processDefinitionName).toBe('order-process');
    expect(mapElementInstance(elementInstance({ elementName: undefined as never })).elementName).toBe('ship');
  });

  it('shows a job deadline as ISO date and hides recurAt', () => {
    const mapped = mapJob(job({ deadline: Date.parse('2025-01-02T03:04:05.678Z') }));
    expect(mapped.deadline).toBe('2025-01-02T03:04:05.678Z');
    expect(mapped).not.toHaveProperty('recurAt');
  });

  it('shows ordinary jobs as BPMN_ELEMENT / UNSPECIFIED and task listener jobs with their kind, event, user task and denial', () => {
    expect(mapJob(job())).toMatchObject({ kind: 'BPMN_ELEMENT', listenerEventType: 'UNSPECIFIED' });
    expect(mapJob(job())).not.toHaveProperty('isDenied');
    const userTask = { action: 'complete', candidateGroups: [], candidateUsers: [], changedAttributes: [], priority: 50, userTaskKey: '1' };
    const listener = job({ jobKind: 'TASK_LISTENER', listenerEventType: 'COMPLETING', userTask, isDenied: true, deniedReason: 'no' });
    expect(mapJob(listener)).toMatchObject({ kind: 'TASK_LISTENER', listenerEventType: 'COMPLETING', isDenied: true, deniedReason: 'no' });
    expect(mapJob(listener)).not.toHaveProperty('userTask');
    expect(mapActivatedJob({ job: listener, variables: {}, deadline: 1 })).toMatchObject({ kind: 'TASK_LISTENER', userTask });
    expect(mapActivatedJob({ job: job(), variables: {}, deadline: 1 })).not.toHaveProperty('userTask');
  });

  it('normalises dates to UTC with Z', () => {
    expect(mapProcessInstance(processInstance({ startDate: '2025-01-02T04:04:05.678+01:00' })).startDate).toBe('2025-01-02T03:04:05.678Z');
  });

  it('parses the form schema and truncates long variable values only when asked', () => {
    expect(mapForm(form()).schema).toEqual({ id: 'order-form', components: [] });
    const long = variable({ value: JSON.stringify('y'.repeat(10_000)) });
    expect(mapVariableSearchItem(long, true)).toMatchObject({ isTruncated: true });
    expect(mapVariableSearchItem(long, false)).toMatchObject({ isTruncated: false, value: long.value });
    expect(mapVariableSearchItem(variable(), true)).not.toHaveProperty('active');
  });
});
