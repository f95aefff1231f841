import { describe, expect, it } from 'vitest';
import type { MigrationMapping } from './migration-mapping.js';
import { describePlan, planMigration, type DefinitionElement, type DefinitionVersion, type RunningInstance } from './migration-plan.js';

const version = (v: number, elements: Record<string, DefinitionElement>): DefinitionVersion => ({ processDefinitionKey: `${v}000`, version: v, elements: new Map(Object.entries(elements)) });

const V1 = version(1, {
  Task_ReviewSetup: { type: 'USER_TASK', name: 'Review workspace setup' },
  Activity_ProvisionSetup: { type: 'SERVICE_TASK', name: 'Provision setup workspace' },
  Event_SetupSubmitted: { type: 'INTERMEDIATE_CATCH_EVENT', name: 'Setup submitted' },
  Activity_RecordSetupReview: { type: 'SERVICE_TASK' },
});
const V2 = version(2, {
  Task_ReviewSetup: { type: 'USER_TASK', name: 'Review workspace setup' },
  Activity_ProvisionSetup: { type: 'USER_TASK', name: 'Provision by hand' },
  Event_SetupSubmitted: { type: 'INTERMEDIATE_CATCH_EVENT', name: 'Setup submitted' },
  Activity_RecordSetupReviewDecision: { type: 'SERVICE_TASK' },
});

const mapping = (mappingInstructions: MigrationMapping['mappingInstructions']): MigrationMapping => ({ processDefinitionId: 'spe-environment-setup', sourceVersion: 1, targetVersion: 2, mappingInstructions });
const waitingAt = (processInstanceKey: string, permitId: string | null, ...elementIds: string[]): RunningInstance => ({
  processInstanceKey,
  permitId,
  activeElements: elementIds.map((elementId, i) => ({ elementId, elementInstanceKey: `${processInstanceKey}${i}` })),
  hasIncident: false,
});

describe('the migration plan', () => {
  it('moves every instance whose active elements are all mapped to an element of the same kind that the target has', () => {
    const plan = planMigration({
      mapping: mapping([
        { sourceElementId: 'Task_ReviewSetup', targetElementId: 'Task_ReviewSetup' },
        { sourceElementId: 'Activity_RecordSetupReview', targetElementId: 'Activity_RecordSetupReviewDecision' },
      ]),
      source: V1,
      target: V2,
      instances: [waitingAt('11', 'P-1', 'Task_ReviewSetup'), waitingAt('12', 'P-2', 'Task_ReviewSetup')],
    });
    expect(plan.ready).toBe(true);
    expect(plan.mappingProblems).toEqual([]);
    expect(plan.instances).toEqual([
      { processInstanceKey: '11', permitId: 'P-1', waitsAt: [{ elementId: 'Task_ReviewSetup', type: 'USER_TASK', name: 'Review workspace setup', targetElementId: 'Task_ReviewSetup' }], problems: [], notes: [], canMove: true },
      expect.objectContaining({ processInstanceKey: '12', permitId: 'P-2', canMove: true }),
    ]);
    expect(describePlan(plan)).toEqual([
      'spe-environment-setup: version 1 (key 1000) → version 2 (key 2000), 2 running instance(s)',
      '  can move   permit P-1  instance 11',
      '      waits at Task_ReviewSetup (user task "Review workspace setup") → Task_ReviewSetup',
      '  can move   permit P-2  instance 12',
      '      waits at Task_ReviewSetup (user task "Review workspace setup") → Task_ReviewSetup',
      'All 2 instance(s) can move.',
    ]);
  });

  it('refuses the whole plan, listing each instance that cannot move and why: unmapped, another kind, a target that does not exist; an incident does not stop one', () => {
    const plan = planMigration({
      mapping: mapping([
        { sourceElementId: 'Task_ReviewSetup', targetElementId: 'Task_ReviewSetup' },
        { sourceElementId: 'Activity_ProvisionSetup', targetElementId: 'Activity_ProvisionSetup' },
        { sourceElementId: 'Activity_RecordSetupReview', targetElementId: 'Activity_RecordSetupReview' },
      ]),
      source: V1,
      target: V2,
      instances: [
        waitingAt('11', 'P-1', 'Task_ReviewSetup'),
        waitingAt('12', 'P-2', 'Event_SetupSubmitted'),
        waitingAt('13', null, 'Activity_ProvisionSetup'),
        { ...waitingAt('14', 'P-4', 'Task_ReviewSetup'), hasIncident: true },
      ],
    });
    expect(plan.ready).toBe(false);
    expect(plan.instances.map((i) => [i.processInstanceKey, i.canMove])).toEqual([['11', true], ['12', false], ['13', false], ['14', true]]);
    expect(plan.mappingProblems).toEqual(['mapping Activity_RecordSetupReview → Activity_RecordSetupReview: version 2 of spe-environment-setup has no element Activity_RecordSetupReview']);
    const lines = describePlan(plan);
    expect(lines).toContain('  CANNOT move  permit P-2  instance 12');
    expect(lines).toContain('      ✗ Event_SetupSubmitted (intermediate catch event "Setup submitted") is active but not mapped: add a mapping instruction with sourceElementId Event_SetupSubmitted');
    expect(lines).toContain('  CANNOT move  permit (none)  instance 13');
    expect(lines).toContain(
      '      ✗ Activity_ProvisionSetup (service task "Provision setup workspace") is mapped to Activity_ProvisionSetup (user task "Provision by hand"): an element can only move to one of the same kind',
    );
    expect(lines).toContain('      ! it has an open incident: it moves with the instance; resolve it on the new version');
    expect(lines.at(-1)).toBe(
      'Would not migrate: 2 of 4 instance(s) cannot move (permit P-2 / 12, permit (none) / 13); 1 problem(s) in the mapping. Fix the mapping file; nothing is migrated until every instance can move.',
    );
  });

  it('says a target element the new version lacks, and one line per element for a multi-instance body and its inner instances', () => {
    const plan = planMigration({
      mapping: mapping([{ sourceElementId: 'Task_ReviewSetup', targetElementId: 'Task_Gone' }]),
      source: V1,
      target: V2,
      instances: [waitingAt('11', 'P-1', 'Task_ReviewSetup', 'Task_ReviewSetup')],
    });
    expect(plan.instances[0]?.waitsAt).toHaveLength(1);
    expect(plan.instances[0]?.problems).toEqual(['Task_ReviewSetup (user task "Review workspace setup") is mapped to Task_Gone, which version 2 of spe-environment-setup does not have']);
    expect(plan.mappingProblems).toEqual(['mapping Task_ReviewSetup → Task_Gone: version 2 of spe-environment-setup has no element Task_Gone']);
  });

  it('has nothing to do when no instance of the source version runs', () => {
    const plan = planMigration({ mapping: mapping([{ sourceElementId: 'Task_ReviewSetup', targetElementId: 'Task_ReviewSetup' }]), source: V1, target: V2, instances: [] });
    expect(plan.ready).toBe(true);
    expect(describePlan(plan).at(-1)).toBe('Nothing to migrate: no instance of the source version is running.');
  });
});
