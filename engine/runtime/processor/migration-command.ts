/**
 * Process instance migration as Zeebe 8.8 runs it (`POST /process-instances/{key}/migration`): a running
 * instance moves onto another process definition (another version, or another process id) with its element
 * instances, jobs, user tasks, incidents, variables and subscriptions, keeping their keys.
 *
 * One atomic command: every precondition is checked before anything changes, and a refusal names every reason
 * found (Zeebe stops at the first one; the wording of each reason is Zeebe's). The rules:
 * - every active element instance needs a mapping instruction (nothing is mapped implicitly, except the process
 *   itself, which maps to the target process); source and target ids must exist; a source id appears once;
 * - only wait-state kinds can move (tasks of every kind Zeebe lists, sub-processes, call activities,
 *   intermediate catch events, event-based gateways, multi-instance bodies); an element keeps its type (a
 *   multi-instance inner instance may map to a multi-instance target with the same inner type), its user task
 *   implementation, its multi-instance kind (sequential or parallel) and its flow scope (the mapped one);
 * - catch events (boundary events, event sub-process starts, event-based gateway targets) that are mapped stay
 *   attached to the same element, keep their event type and are not merged; unmapped ones are dropped, target
 *   catch events nothing maps to are subscribed anew (a message already subscribed to must be mapped);
 * - tokens waiting at a joining gateway need the gateway mapped to one of the same type with those incoming flows.
 * Jobs and user tasks keep their key, type, retries, assignee and headers (Zeebe does not re-read them); timers
 * keep their due date; messages their name and correlation key.
 */
import { invalidArgument, notFound } from '../../errors.js';
import { eventBehaviour, eventDefinitionOf } from '../../constructs/events/behaviours.js';
import type { MigrationPlan } from '../engine-api.js';
import type { ElementInstanceRecord } from '../records.js';
import { nameKey } from '../runtime-state.js';
import type { Processor } from './constructs/construct.js';
import type { InterpreterContext } from './interpreter-context.js';
import { catchEventIds, MigrationPreconditions, targetIdOf, type MigrationContext } from './migration-preconditions.js';

const SUBSCRIBING_KINDS: ReadonlySet<string> = new Set(['message', 'timer', 'signal']);

/** Keys are decimal strings: shorter is older. */
const byKey = (a: string, b: string): number => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);

export class MigrationCommand {
  private readonly preconditions: MigrationPreconditions;

  constructor(
    private readonly ctx: InterpreterContext,
    /** Subscribing catch events anew dispatches to the event table, which takes the whole processor. */
    private readonly it: Processor,
  ) {
    this.preconditions = new MigrationPreconditions(ctx);
  }

  migrate(processInstanceKey: string, plan: MigrationPlan): void {
    const s = this.ctx.state;
    const pi = s.instances.get(processInstanceKey);
    if (!pi) throw notFound(`Expected to migrate process instance but no process instance found with key '${processInstanceKey}'`);
    const target = s.definitions.get(plan.targetProcessDefinitionKey);
    if (!target) {
      throw notFound(`Expected to migrate process instance to process definition but no process definition found with key '${plan.targetProcessDefinitionKey}'`);
    }
    const source = s.definitions.get(pi.processDefinitionKey)!;
    const mapping = new Map(plan.mappingInstructions.map((m) => [m.sourceElementId, m.targetElementId]));
    const c: MigrationContext = { key: processInstanceKey, pi, source, target, mapping, active: this.activeTree(processInstanceKey) };
    const reasons = this.preconditions.check(c, plan);
    if (reasons.length > 0) throw invalidArgument(reasons.join('\n'));
    this.apply(c);
  }

  // ------------------------------------------------------------------ the change

  private apply(c: MigrationContext): void {
    const s = this.ctx.state;
    const { pi, target } = c;
    const def = target.record;
    const oldProcessId = pi.processDefinitionId;
    pi.processDefinitionKey = def.processDefinitionKey;
    pi.processDefinitionId = def.processDefinitionId;
    pi.processDefinitionName = def.name ?? def.processDefinitionId;
    pi.processDefinitionVersion = def.version;
    if (def.versionTag) pi.processDefinitionVersionTag = def.versionTag;
    else delete pi.processDefinitionVersionTag;
    s.touch(pi);
    const startKey = pi.runtime?.startCorrelationKey;
    if (typeof startKey === 'string' && oldProcessId !== def.processDefinitionId) {
      s.messageStarted.delete(nameKey(oldProcessId, startKey));
      s.messageStarted.add(nameKey(def.processDefinitionId, startKey));
    }
    // Element ids before the change, for the subscriptions an element holds for itself.
    const oldIds = new Map(c.active.map((ei) => [ei.elementInstanceKey, ei.elementId]));
    for (const ei of c.active) {
      const targetId = targetIdOf(c, ei)!;
      ei.processDefinitionKey = def.processDefinitionKey;
      ei.processDefinitionId = def.processDefinitionId;
      ei.elementId = targetId;
      ei.elementName = ei.type === 'PROCESS' ? pi.processDefinitionName : (target.model.elements[targetId]!.name ?? targetId);
      this.renameJoins(c, ei);
      s.touch(ei);
    }
    this.moveWaitStates(c);
    for (const ei of c.active) this.moveSubscriptions(c, ei, oldIds.get(ei.elementInstanceKey)!);
  }

  private renameJoins(c: MigrationContext, scope: ElementInstanceRecord): void {
    const rt = this.ctx.runtime(scope);
    if (!rt.joins) return;
    const renamed: Record<string, Record<string, number>> = {};
    for (const [gatewayId, tokens] of Object.entries(rt.joins)) renamed[c.mapping.get(gatewayId) ?? gatewayId] = tokens;
    rt.joins = renamed;
  }

  /** Jobs (task listener jobs included), user tasks and incidents follow their element instance. */
  private moveWaitStates(c: MigrationContext): void {
    const s = this.ctx.state;
    const def = c.target.record;
    const elementIdOf = (elementInstanceKey: string) => s.elements.get(elementInstanceKey)?.elementId;
    for (const job of s.jobs.values()) {
      if (job.processInstanceKey !== c.key) continue;
      job.processDefinitionKey = def.processDefinitionKey;
      job.processDefinitionId = def.processDefinitionId;
      job.processDefinitionVersion = def.version;
      job.elementId = elementIdOf(job.elementInstanceKey) ?? job.elementId;
      s.touch(job);
    }
    for (const task of s.userTasks.values()) {
      if (task.processInstanceKey !== c.key) continue;
      task.processDefinitionKey = def.processDefinitionKey;
      task.processDefinitionId = def.processDefinitionId;
      task.processDefinitionVersion = def.version;
      task.processName = def.name ?? def.processDefinitionId;
      task.elementId = elementIdOf(task.elementInstanceKey) ?? task.elementId;
      s.touch(task);
    }
    for (const k of s.incidentsByInstance.get(c.key)) {
      const incident = s.incidents.get(k)!;
      incident.processDefinitionKey = def.processDefinitionKey;
      incident.processDefinitionId = def.processDefinitionId;
      incident.elementId = elementIdOf(incident.elementInstanceKey) ?? incident.elementId;
      s.touch(incident);
    }
  }

  /**
   * The subscriptions an element instance holds: its own (intermediate catch event, receive task) and those of
   * mapped catch events move; the others close; target catch events nothing was mapped to are subscribed anew.
   */
  private moveSubscriptions(c: MigrationContext, owner: ElementInstanceRecord, oldElementId: string): void {
    const s = this.ctx.state;
    const def = c.target.record;
    const newIdOf = (catchElementId: string) => (catchElementId === oldElementId ? owner.elementId : c.mapping.get(catchElementId));
    const kept = new Set<string>();
    for (const k of [...s.subscriptionsByOwner.get(owner.elementInstanceKey)]) {
      const sub = s.messageSubscriptions.get(k)!;
      const newId = newIdOf(sub.catchElementId);
      if (newId === undefined) {
        sub.state = 'DELETED';
        s.removeMessageSubscription(sub);
      } else {
        Object.assign(sub, { processDefinitionKey: def.processDefinitionKey, processDefinitionId: def.processDefinitionId, elementId: newId, catchElementId: newId });
        kept.add(newId);
      }
      s.touch(sub);
    }
    for (const k of [...s.timersByOwner.get(owner.elementInstanceKey)]) {
      const timer = s.timers.get(k)!;
      const newId = newIdOf(timer.elementId);
      if (newId === undefined) {
        timer.state = 'CANCELED';
        s.removeTimer(timer);
      } else {
        Object.assign(timer, { processDefinitionKey: def.processDefinitionKey, elementId: newId });
        kept.add(newId);
      }
      s.touch(timer);
    }
    for (const k of [...s.signalSubscriptionsByOwner.get(owner.elementInstanceKey)]) {
      const sub = s.signalSubscriptions.get(k)!;
      const newId = newIdOf(sub.catchElementId);
      if (newId === undefined) {
        sub.state = 'DELETED';
        s.removeSignalSubscription(sub);
      } else {
        Object.assign(sub, { processDefinitionKey: def.processDefinitionKey, catchElementId: newId });
        kept.add(newId);
      }
      s.touch(sub);
    }
    if (owner.hasIncident && this.ctx.runtime(owner).retry?.step === 'activate') return; // resolving re-opens them
    const model = c.target.model;
    const element = model.elements[owner.elementId]!;
    const images = new Set(catchEventIds(c.source.model, c.source.model.elements[oldElementId]!, owner.type).map((id) => c.mapping.get(id)));
    const fresh = catchEventIds(model, element, owner.type).filter((id) => !kept.has(id) && !images.has(id));
    const toOpen = fresh.map((id) => model.elements[id]!).filter((el) => SUBSCRIBING_KINDS.has(eventDefinitionOf(el).kind));
    if (toOpen.length === 0) return;
    const context = this.ctx.vars.visible(owner.elementInstanceKey);
    this.it.incidents.evaluateOrRaise(owner, 'EXTRACT_VALUE_ERROR', () => {
      for (const catchElement of toOpen) {
        const interrupting = catchElement.type === 'BOUNDARY_EVENT' ? catchElement.cancelActivity !== false : catchElement.interrupting !== false;
        const eventDef = eventDefinitionOf(catchElement);
        eventBehaviour(eventDef).subscribe(owner, catchElement, eventDef, interrupting, context, this.it);
      }
    });
  }

  /** The active element instances of a process instance: the PROCESS one first, then depth first. */
  private activeTree(processInstanceKey: string): ElementInstanceRecord[] {
    const out: ElementInstanceRecord[] = [];
    const visit = (key: string): void => {
      const ei = this.ctx.state.elements.get(key);
      if (!ei || ei.state !== 'ACTIVE') return;
      out.push(ei);
      for (const child of [...this.ctx.state.children.get(key)].sort(byKey)) visit(child);
    };
    visit(processInstanceKey);
    return out;
  }
}
