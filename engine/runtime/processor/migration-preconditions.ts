/**
 * The preconditions of a process instance migration, as Zeebe 8.8 checks them (ProcessInstanceMigrationPreconditions),
 * each reason worded as Zeebe words it. Unlike Zeebe, which stops at the first, every reason is collected, so one
 * refusal names them all. The command itself (migration-command.ts) changes nothing unless this finds none.
 */
import { eventDefinitionOf } from '../../constructs/events/behaviours.js';
import type { CompiledElement, CompiledProcess } from '../../model/types.js';
import type { MigrationPlan } from '../engine-api.js';
import type { ElementInstanceRecord, ProcessInstanceRecord } from '../records.js';
import { nameKey, type DeployedProcess } from '../runtime-state.js';
import type { InterpreterContext } from './interpreter-context.js';

/** Element instance types Zeebe 8.8 migrates (ProcessInstanceMigrationPreconditions.SUPPORTED_ELEMENT_TYPES). */
const SUPPORTED_TYPES: ReadonlySet<string> = new Set([
  'PROCESS', 'SERVICE_TASK', 'USER_TASK', 'SUB_PROCESS', 'CALL_ACTIVITY', 'INTERMEDIATE_CATCH_EVENT', 'RECEIVE_TASK',
  'EVENT_SUB_PROCESS', 'EXCLUSIVE_GATEWAY', 'EVENT_BASED_GATEWAY', 'BUSINESS_RULE_TASK', 'SCRIPT_TASK', 'SEND_TASK',
  'MULTI_INSTANCE_BODY',
]);

export interface MigrationContext {
  key: string;
  pi: ProcessInstanceRecord;
  source: DeployedProcess;
  target: DeployedProcess;
  mapping: Map<string, string>;
  /** Every active element instance of the instance, the PROCESS one first, parents before children. */
  active: ElementInstanceRecord[];
}

/** The type Zeebe gives an element of the model: a multi-instance activity is its body. */
const modelType = (el: CompiledElement): string => (el.multiInstance ? 'MULTI_INSTANCE_BODY' : el.type);

/** The catch events an element instance holds subscriptions for, as ids of the model's elements. */
export function catchEventIds(model: CompiledProcess, el: CompiledElement, instanceType: string): string[] {
  const ids: string[] = [];
  const ownsBoundaries = instanceType === 'MULTI_INSTANCE_BODY' || el.multiInstance === undefined;
  if (ownsBoundaries) ids.push(...el.boundaryEvents);
  if (instanceType === 'PROCESS' || instanceType === 'SUB_PROCESS' || instanceType === 'EVENT_SUB_PROCESS') {
    for (const esp of el.eventSubProcesses ?? []) {
      const start = model.elements[esp]?.eventSubProcessStartId;
      if (start) ids.push(start);
    }
  }
  if (instanceType === 'EVENT_BASED_GATEWAY') for (const f of el.outgoing) ids.push(model.flows[f]!.targetId);
  return ids;
}

const eventType = (el: CompiledElement | undefined): string => (el ? eventDefinitionOf(el).kind.toUpperCase() : 'UNSPECIFIED');

/** The target element id an active element instance maps to (the process maps to the target process). */
export function targetIdOf(c: MigrationContext, ei: ElementInstanceRecord): string | undefined {
  return ei.type === 'PROCESS' ? c.target.model.id : c.mapping.get(ei.elementId);
}

export class MigrationPreconditions {
  constructor(private readonly ctx: InterpreterContext) {}

  /** Every reason Zeebe would refuse the migration for (empty: it may go ahead). */
  check(c: MigrationContext, plan: MigrationPlan): string[] {
    const reasons: string[] = [];
    const { key, source, target } = c;
    const counts = new Map<string, number>();
    for (const m of plan.mappingInstructions) counts.set(m.sourceElementId, (counts.get(m.sourceElementId) ?? 0) + 1);
    const duplicates = [...counts].filter(([, n]) => n > 1).map(([id]) => id);
    if (duplicates.length > 0) {
      reasons.push(`Expected to migrate process instance '${key}' but the mapping instructions contain duplicate source element ids '[${duplicates.join(', ')}]'.`);
    }
    for (const m of plan.mappingInstructions) {
      if (!source.model.elements[m.sourceElementId]) {
        reasons.push(`Expected to migrate process instance '${key}' but mapping instructions contain a non-existing source element id '${m.sourceElementId}'. Elements provided in mapping instructions must exist in the source process definition.`);
      }
      if (!target.model.elements[m.targetElementId]) {
        reasons.push(`Expected to migrate process instance '${key}' but mapping instructions contain a non-existing target element id '${m.targetElementId}'. Elements provided in mapping instructions must exist in the target process definition.`);
      }
    }
    if (reasons.length > 0) return reasons;
    this.checkMessageStart(c, reasons);
    for (const ei of c.active) this.checkElement(c, ei, reasons);
    for (const ei of c.active) this.checkJoins(c, ei, reasons);
    return reasons;
  }

  /** A message-started instance moving to another process id must not meet an instance with its correlation key there. */
  private checkMessageStart(c: MigrationContext, reasons: string[]): void {
    const startKey = c.pi.runtime?.startCorrelationKey;
    if (typeof startKey !== 'string' || c.target.model.id === c.pi.processDefinitionId) return;
    if (c.target.model.messageStartEventIds.length === 0) return;
    if (this.ctx.state.messageStarted.has(nameKey(c.target.model.id, startKey))) {
      reasons.push(`Expected to migrate process instance '${c.key}' but target process definition '${c.target.record.processDefinitionKey}' has an active instance triggered by a message start event with correlation key '${startKey}'. Only one instance per correlation key is allowed for message start events.`);
    }
  }

  private checkElement(c: MigrationContext, ei: ElementInstanceRecord, reasons: string[]): void {
    const { key, source, target } = c;
    if (!SUPPORTED_TYPES.has(ei.type)) {
      reasons.push(`Expected to migrate process instance '${key}' but active element with id '${ei.elementId}' has an unsupported type. The migration of a ${ei.type} is not supported.`);
      return;
    }
    const targetId = targetIdOf(c, ei);
    if (targetId === undefined) {
      reasons.push(`Expected to migrate process instance '${key}' but no mapping instruction defined for active element with id '${ei.elementId}'. Elements cannot be migrated without a mapping.`);
      return;
    }
    const sourceEl = source.model.elements[ei.elementId]!;
    const targetEl = target.model.elements[targetId]!;
    const inner = this.ctx.runtime(ei).loopCounter !== undefined;
    if (ei.type !== 'PROCESS') {
      let targetType = modelType(targetEl);
      if (ei.type !== targetType && inner && targetType === 'MULTI_INSTANCE_BODY') targetType = targetEl.type;
      if (ei.type !== targetType) {
        reasons.push(`Expected to migrate process instance '${key}' but active element with id '${ei.elementId}' and type '${ei.type}' is mapped to an element with id '${targetId}' and different type '${targetType}'. Elements must be mapped to elements of the same type.`);
        return;
      }
    }
    if (ei.type === 'USER_TASK') {
      const sourceImpl = this.ctx.state.userTaskByElement.has(ei.elementInstanceKey) || sourceEl.userTask ? 'zeebe user task' : 'job worker';
      const targetImpl = targetEl.userTask ? 'zeebe user task' : 'job worker';
      if (sourceImpl !== targetImpl) {
        reasons.push(`Expected to migrate process instance '${key}' but active user task with id '${ei.elementId}' and implementation '${sourceImpl}' is mapped to an user task with id '${targetId}' and different implementation '${targetImpl}'. Elements must be mapped to elements of the same implementation.`);
      }
    }
    const scope = ei.flowScopeKey === undefined ? undefined : this.ctx.state.elements.get(ei.flowScopeKey);
    const expectedScope = scope ? targetIdOf(c, scope) : undefined;
    if (expectedScope !== undefined) {
      const actualScope = inner && targetEl.multiInstance ? targetId : targetEl.scopeId;
      if (actualScope !== expectedScope) {
        reasons.push(`Expected to migrate process instance '${key}' but the flow scope of active element with id '${ei.elementId}' is changed. The flow scope of the active element is expected to be '${expectedScope}' but was '${actualScope}'. The flow scope of an element cannot be changed during migration yet.`);
      }
    }
    if (ei.type === 'MULTI_INSTANCE_BODY' && sourceEl.multiInstance && targetEl.multiInstance && sourceEl.multiInstance.sequential !== targetEl.multiInstance.sequential) {
      reasons.push(`Expected to migrate process instance '${key}' but active element with id '${ei.elementId}' has a different loop characteristics than the target element with id '${targetId}'. Both elements must have either sequential or parallel loop characteristics.`);
    }
    this.checkCatchEvents(c, ei, sourceEl, targetEl, targetId, reasons);
  }

  private checkCatchEvents(c: MigrationContext, ei: ElementInstanceRecord, sourceEl: CompiledElement, targetEl: CompiledElement, targetId: string, reasons: string[]): void {
    const { key, source, target, mapping } = c;
    const sourceCatch = catchEventIds(source.model, sourceEl, ei.type);
    const targetCatch = new Set(catchEventIds(target.model, targetEl, ei.type));
    const bySourceTarget = new Map<string, string[]>();
    for (const id of sourceCatch) {
      const mapped = mapping.get(id);
      if (mapped === undefined) continue;
      if (!targetCatch.has(mapped)) {
        reasons.push(`Expected to migrate process instance '${key}' but active element with id '${ei.elementId}' is mapped to an element with id '${targetId}' and has a catch event with id '${id}' that is mapped to a catch event with id '${mapped}'. These mappings detach the catch event from the element in the target process. Catch events must stay attached to the same element instance.`);
        continue;
      }
      const sourceType = eventType(source.model.elements[id]);
      const targetType = eventType(target.model.elements[mapped]);
      if (sourceType !== targetType) {
        reasons.push(`Expected to migrate process instance '${key}' but active element with id '${ei.elementId}' has a catch event with id '${id}' that is mapped to a catch event with id '${mapped}'. These catch events have different event types: '${sourceType}' and '${targetType}'. The event type of a catch event cannot be changed by process instance migration. Please ensure the event type of the catch event remains the same or remove the mapping instruction for these catch events.`);
      }
      bySourceTarget.set(mapped, [...(bySourceTarget.get(mapped) ?? []), id]);
    }
    for (const [mapped, ids] of bySourceTarget) {
      if (ids.length < 2) continue;
      reasons.push(`Expected to migrate process instance '${key}' but active element with id '${ei.elementId}' has a catch event attached that is mapped to a catch event with id '${mapped}'. There are multiple mapping instructions that target this catch event: '${ids.sort().join("', '")}'. Catch events cannot be merged by process instance migration. Please ensure the mapping instructions target a catch event only once.`);
    }
    // A target message catch event subscribed anew must not repeat a message the element keeps a subscription to.
    const kept = new Set<string>();
    for (const k of this.ctx.state.subscriptionsByOwner.get(ei.elementInstanceKey)) {
      const sub = this.ctx.state.messageSubscriptions.get(k);
      if (sub && (sub.catchElementId === ei.elementId || mapping.has(sub.catchElementId))) kept.add(sub.messageName);
    }
    const images = new Set(sourceCatch.map((id) => mapping.get(id)).filter((id) => id !== undefined));
    for (const id of targetCatch) {
      if (images.has(id)) continue;
      const def = target.model.elements[id] ? eventDefinitionOf(target.model.elements[id]) : undefined;
      if (def?.kind === 'message' && !def.name.startsWith('=') && kept.has(def.name)) {
        reasons.push(`Expected to migrate process instance '${key}' but active element with id '${ei.elementId}' attempts to subscribe to a message it is already subscribed to with name '${def.name}'. Migrating active elements that subscribe to a message they are already subscribed to is not possible yet. Please provide a mapping instruction to message catch event with id '${id}' to migrate the respective message subscription.`);
      }
    }
  }

  /** Tokens waiting at a joining gateway of a scope move with the gateway, which must then be mapped to a like one. */
  private checkJoins(c: MigrationContext, scope: ElementInstanceRecord, reasons: string[]): void {
    const joins = this.ctx.runtime(scope).joins;
    if (!joins) return;
    const scopeTarget = targetIdOf(c, scope);
    for (const [gatewayId, tokens] of Object.entries(joins)) {
      const taken = Object.entries(tokens).filter(([, n]) => n > 0).map(([flowId]) => flowId);
      if (taken.length === 0) continue;
      const targetId = c.mapping.get(gatewayId);
      if (targetId === undefined) {
        reasons.push(`Expected to migrate process instance '${c.key}' but no mapping instruction defined for active element with id '${gatewayId}'. Elements cannot be migrated without a mapping.`);
        continue;
      }
      const sourceGw = c.source.model.elements[gatewayId]!;
      const targetGw = c.target.model.elements[targetId]!;
      if (sourceGw.type !== targetGw.type) {
        reasons.push(`Expected to migrate process instance '${c.key}' but active element with id '${gatewayId}' and type '${sourceGw.type}' is mapped to an element with id '${targetId}' and different type '${targetGw.type}'. Elements must be mapped to elements of the same type.`);
        continue;
      }
      if (scopeTarget !== undefined && targetGw.scopeId !== scopeTarget) {
        reasons.push(`Expected to migrate process instance '${c.key}' but the flow scope of active element with id '${gatewayId}' is changed. The flow scope of the active element is expected to be '${scopeTarget}' but was '${targetGw.scopeId}'. The flow scope of an element cannot be changed during migration yet.`);
      }
      const missing = taken.filter((f) => !targetGw.incoming.includes(f));
      if (missing.length > 0) {
        reasons.push(`Expected to migrate process instance '${c.key}' but active gateway with id '${gatewayId}' has taken sequence flows '${missing.join("', '")}' that are not incoming sequence flows of the target gateway with id '${targetId}'. Taken sequence flows of a joining gateway must exist in the target process.`);
      }
    }
  }
}
