/**
 * What `npm run migrate` would do, decided before anything changes: for every running instance of the source
 * version, where it waits and whether it can move to the target version under the mapping. The checks are the ones
 * Camunda 8.8 applies to a migration that a mapping file can get wrong: every active element is mapped, its target
 * exists in the target version, and it is of the same kind (a user task stays a user task); an open incident does
 * not stop it (8.8 migrates instances in an incident). The engine checks again
 * when the migration is applied (and more: flow scopes, events), so a plan can still meet a refusal there.
 */
import type { MappingInstruction, MigrationMapping } from './migration-mapping.js';

/** One element of a process definition: its BPMN kind in Camunda's element instance words (USER_TASK, …) and name. */
export interface DefinitionElement {
  type: string;
  name?: string | undefined;
}

/** A deployed version of the process, with every element in it (at any depth), by id. */
export interface DefinitionVersion {
  processDefinitionKey: string;
  version: number;
  elements: ReadonlyMap<string, DefinitionElement>;
}

/** A running instance of the source version as the engine shows it. */
export interface RunningInstance {
  processInstanceKey: string;
  /** From the instance's `permit:<id>` tag, else its `permitId` variable; null when it has neither. */
  permitId: string | null;
  /** The active element instances (not the process itself), in the engine's order. */
  activeElements: ReadonlyArray<{ elementId: string; elementInstanceKey: string }>;
  hasIncident: boolean;
}

export interface WaitingElement {
  elementId: string;
  type: string;
  name?: string | undefined;
  /** Where the element goes in the target version, when mapped. */
  targetElementId?: string | undefined;
}

export interface InstancePlan {
  processInstanceKey: string;
  permitId: string | null;
  waitsAt: WaitingElement[];
  /** Why the instance cannot move; empty when it can. */
  problems: string[];
  /** What to know that does not stop it (an open incident moves with it, as in Camunda 8.8). */
  notes: string[];
  canMove: boolean;
}

export interface MigrationPlan {
  mapping: MigrationMapping;
  source: DefinitionVersion;
  target: DefinitionVersion;
  /** Problems of the mapping itself (an element neither version has): they stop every instance. */
  mappingProblems: string[];
  instances: InstancePlan[];
  /** True when there is something to migrate and nothing stops it. */
  ready: boolean;
}

const kindOf = (type: string): string => type.toLowerCase().replaceAll('_', ' ');

function describe(elementId: string, element: DefinitionElement | undefined): string {
  return `${elementId} (${element ? `${kindOf(element.type)}${element.name ? ` "${element.name}"` : ''}` : 'not in the source version'})`;
}

function checkMapping(mapping: MigrationMapping, source: DefinitionVersion, target: DefinitionVersion): string[] {
  const problems: string[] = [];
  for (const instruction of mapping.mappingInstructions) {
    if (!source.elements.has(instruction.sourceElementId)) {
      problems.push(`mapping ${instruction.sourceElementId} → ${instruction.targetElementId}: version ${source.version} of ${mapping.processDefinitionId} has no element ${instruction.sourceElementId}`);
    }
    if (!target.elements.has(instruction.targetElementId)) {
      problems.push(`mapping ${instruction.sourceElementId} → ${instruction.targetElementId}: version ${target.version} of ${mapping.processDefinitionId} has no element ${instruction.targetElementId}`);
    }
  }
  return problems;
}

function planInstance(instance: RunningInstance, byElement: ReadonlyMap<string, MappingInstruction>, mapping: MigrationMapping, source: DefinitionVersion, target: DefinitionVersion): InstancePlan {
  const problems: string[] = [];
  const waitsAt: WaitingElement[] = [];
  const seen = new Set<string>();
  for (const { elementId } of instance.activeElements) {
    // A multi-instance body and its inner instances share the element id: one line for the element.
    if (seen.has(elementId)) continue;
    seen.add(elementId);
    const element = source.elements.get(elementId);
    const instruction = byElement.get(elementId);
    waitsAt.push({ elementId, type: element?.type ?? 'UNKNOWN', name: element?.name, ...(instruction ? { targetElementId: instruction.targetElementId } : {}) });
    if (!instruction) {
      problems.push(`${describe(elementId, element)} is active but not mapped: add a mapping instruction with sourceElementId ${elementId}`);
      continue;
    }
    const targetElement = target.elements.get(instruction.targetElementId);
    if (!targetElement) {
      problems.push(`${describe(elementId, element)} is mapped to ${instruction.targetElementId}, which version ${target.version} of ${mapping.processDefinitionId} does not have`);
    } else if (element && element.type !== targetElement.type) {
      problems.push(
        `${describe(elementId, element)} is mapped to ${describe(instruction.targetElementId, targetElement)}: an element can only move to one of the same kind`,
      );
    }
  }
  // Camunda 8.8 migrates instances in an incident too: the incident moves with its element.
  const notes = instance.hasIncident ? ['it has an open incident: it moves with the instance; resolve it on the new version'] : [];
  return { processInstanceKey: instance.processInstanceKey, permitId: instance.permitId, waitsAt, problems, notes, canMove: problems.length === 0 };
}

export function planMigration(input: { mapping: MigrationMapping; source: DefinitionVersion; target: DefinitionVersion; instances: readonly RunningInstance[] }): MigrationPlan {
  const { mapping, source, target } = input;
  const mappingProblems = checkMapping(mapping, source, target);
  const byElement = new Map(mapping.mappingInstructions.map((instruction) => [instruction.sourceElementId, instruction]));
  const instances = input.instances.map((instance) => planInstance(instance, byElement, mapping, source, target));
  return { mapping, source, target, mappingProblems, instances, ready: mappingProblems.length === 0 && instances.every((i) => i.canMove) };
}

/** The plan in lines a person reads: one block per instance, then what would stop the migration. */
export function describePlan(plan: MigrationPlan): string[] {
  const { mapping, source, target } = plan;
  const lines = [
    `${mapping.processDefinitionId}: version ${source.version} (key ${source.processDefinitionKey}) → version ${target.version} (key ${target.processDefinitionKey}), ${plan.instances.length} running instance(s)`,
  ];
  for (const instance of plan.instances) {
    lines.push(`  ${instance.canMove ? 'can move ' : 'CANNOT move'}  permit ${instance.permitId ?? '(none)'}  instance ${instance.processInstanceKey}`);
    for (const waiting of instance.waitsAt) {
      lines.push(`      waits at ${describe(waiting.elementId, waiting)}${waiting.targetElementId ? ` → ${waiting.targetElementId}` : ''}`);
    }
    for (const problem of instance.problems) lines.push(`      ✗ ${problem}`);
    for (const note of instance.notes) lines.push(`      ! ${note}`);
  }
  for (const problem of plan.mappingProblems) lines.push(`  ✗ ${problem}`);
  const blocked = plan.instances.filter((i) => !i.canMove);
  if (plan.instances.length === 0) lines.push('Nothing to migrate: no instance of the source version is running.');
  else if (plan.ready) lines.push(`All ${plan.instances.length} instance(s) can move.`);
  else {
    lines.push(
      `Would not migrate: ${blocked.length > 0 ? `${blocked.length} of ${plan.instances.length} instance(s) cannot move (${blocked.map((i) => `permit ${i.permitId ?? '(none)'} / ${i.processInstanceKey}`).join(', ')})` : ''}${blocked.length > 0 && plan.mappingProblems.length > 0 ? '; ' : ''}${plan.mappingProblems.length > 0 ? `${plan.mappingProblems.length} problem(s) in the mapping` : ''}. Fix the mapping file; nothing is migrated until every instance can move.`,
    );
  }
  return lines;
}
