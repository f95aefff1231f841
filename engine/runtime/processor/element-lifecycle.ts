/**
 * The element instance lifecycle as Zeebe runs it: activate (input mappings, boundary subscriptions,
 * behaviour) → wait or complete (output mappings / propagation, close subscriptions) → take outgoing
 * sequence flows; termination of whole sub-trees; completion of flow scopes when their last token ends.
 */
import type { CompiledElement, CompiledProcess } from '../../model/types.js';
import { evaluateExpression, setPath } from '../../feel/index.js';
import type { ElementInstanceRecord, ProcessInstanceRecord } from '../records.js';
import type { ElementRuntime, InterpreterContext } from './interpreter-context.js';
import { RAISED } from './incidents.js';
import type { Variables } from './variable-scopes.js';
import { nameKey } from '../runtime-state.js';
import { callActivityChildCompleted } from './constructs/activities/call-activity.js';
import type { Processor } from './constructs/construct.js';
import { elementBehaviour } from './constructs/element-behaviours.js';
import { retryInclusiveJoins } from './constructs/gateways/inclusive-gateway.js';
import { waitingTokens } from './constructs/gateways/joins.js';

export class ElementLifecycle {
  constructor(
    private readonly ctx: InterpreterContext,
    /** The lifecycle dispatches to the construct tables, so it hands them the whole processor. */
    private readonly it: Processor,
  ) {}

  // ------------------------------------------------------------------ creation

  createElementInstance(element: CompiledElement, scope: ElementInstanceRecord, type = element.type): ElementInstanceRecord {
    const ei: ElementInstanceRecord = {
      kind: 'elementInstance',
      elementInstanceKey: this.ctx.keys.next(),
      processInstanceKey: scope.processInstanceKey,
      processDefinitionKey: scope.processDefinitionKey,
      processDefinitionId: scope.processDefinitionId,
      elementId: element.id,
      elementName: element.name ?? element.id,
      type,
      state: 'ACTIVE',
      startDate: this.ctx.iso(),
      hasIncident: false,
      tenantId: scope.tenantId,
      flowScopeKey: scope.elementInstanceKey,
      runtime: { phase: 'ACTIVATING' },
    };
    this.ctx.state.addElement(ei);
    this.ctx.state.touch(ei);
    return ei;
  }

  /** Creates the element's instance in `scope` and runs its activation as a follow-up step. */
  activateElement(element: CompiledElement, scope: ElementInstanceRecord, runtime?: Partial<ElementRuntime>): ElementInstanceRecord {
    const isBody = element.multiInstance !== undefined && runtime?.loopCounter === undefined;
    const ei = this.createElementInstance(element, scope, isBody ? 'MULTI_INSTANCE_BODY' : element.type);
    if (runtime) Object.assign(this.ctx.runtime(ei), runtime);
    this.ctx.later(() => this.activate(ei));
    return ei;
  }

  /** Activation: input mappings, boundary events, then the element's behaviour. Retried on incident resolution. */
  activate(ei: ElementInstanceRecord): void {
    if (ei.state !== 'ACTIVE') return;
    const element = this.ctx.element(ei);
    const rt = this.ctx.runtime(ei);
    const isBody = ei.type === 'MULTI_INSTANCE_BODY';
    const incidents = this.it.incidents;
    if (!isBody && element.inputMappings.length > 0) {
      const mapped = incidents.evaluateOrRaise(ei, 'IO_MAPPING_ERROR', () => {
        const context = this.ctx.vars.visible(ei.elementInstanceKey);
        const local: Variables = {};
        for (const m of element.inputMappings) setPath(local, m.target, evaluateExpression(m.source, { ...context, ...local }));
        this.ctx.vars.setLocal(ei.elementInstanceKey, ei.processInstanceKey, ei.tenantId, local);
      });
      if (mapped === RAISED) return;
    }
    // Boundary events belong to the multi-instance body when there is one, else to the activity.
    const ownsBoundaries = isBody || element.multiInstance === undefined;
    if (ownsBoundaries && element.boundaryEvents.length > 0) {
      const opened = incidents.evaluateOrRaise(ei, 'EXTRACT_VALUE_ERROR', () => this.it.events.openBoundaryEvents(ei, element));
      if (opened === RAISED) {
        this.it.events.closeOwnedSubscriptions(ei);
        return;
      }
    }
    rt.phase = 'ACTIVATED';
    this.ctx.state.touch(ei);
    elementBehaviour(ei.type).activate(ei, element, this.it);
  }

  // ------------------------------------------------------------------ completion

  /**
   * Completes an element with the variables its trigger delivered (job, user task, message, child
   * instance...). Output mappings apply when defined, else the variables propagate from the element's scope.
   */
  complete(ei: ElementInstanceRecord, variables?: Variables): void {
    if (ei.state !== 'ACTIVE') return;
    const element = this.ctx.element(ei);
    const rt = this.ctx.runtime(ei);
    rt.phase = 'COMPLETING';
    const isBody = ei.type === 'MULTI_INSTANCE_BODY';
    const applied = this.it.incidents.evaluateOrRaise(
      ei,
      'IO_MAPPING_ERROR',
      () => {
        if (!isBody && element.outputMappings.length > 0) {
          if (variables && Object.keys(variables).length > 0) {
            this.ctx.vars.setLocal(ei.elementInstanceKey, ei.processInstanceKey, ei.tenantId, variables);
          }
          const context = this.ctx.vars.visible(ei.elementInstanceKey);
          const out: Variables = {};
          for (const m of element.outputMappings) setPath(out, m.target, evaluateExpression(m.source, { ...context, ...out }));
          this.ctx.vars.merge(ei.flowScopeKey ?? ei.elementInstanceKey, ei.processInstanceKey, ei.tenantId, out);
        } else if (variables && Object.keys(variables).length > 0) {
          this.ctx.vars.merge(ei.elementInstanceKey, ei.processInstanceKey, ei.tenantId, variables);
        }
        if (rt.loopCounter !== undefined) this.it.multiInstance.collectOutput(ei, element);
      },
      { step: 'complete' },
    );
    if (applied === RAISED) return;
    this.finish(ei, 'COMPLETED');
    this.afterCompleted(ei, element);
  }

  /** Marks an element instance ended and releases what it holds. */
  private finish(ei: ElementInstanceRecord, state: 'COMPLETED' | 'TERMINATED'): void {
    this.it.events.closeOwnedSubscriptions(ei);
    this.it.incidents.resolveAllOf(ei);
    ei.state = state;
    ei.endDate = this.ctx.iso();
    delete this.ctx.runtime(ei).phase;
    this.ctx.state.removeElement(ei);
    this.ctx.state.touch(ei);
    if (ei.type !== 'PROCESS') this.ctx.vars.dropScope(ei.elementInstanceKey);
  }

  private afterCompleted(ei: ElementInstanceRecord, element: CompiledElement): void {
    if (ei.type === 'PROCESS') {
      this.endInstance(ei, 'COMPLETED');
      return;
    }
    const scope = this.ctx.flowScope(ei);
    if (!scope) return;
    const rt = this.ctx.runtime(ei);
    if (rt.loopCounter !== undefined) {
      this.it.multiInstance.innerCompleted(scope, ei);
      return;
    }
    elementBehaviour(ei.type).leave(ei, element, scope, this.it);
  }

  /** Takes every outgoing flow (activities, events, parallel gateways) or only `flowIds` (exclusive / inclusive). */
  takeOutgoing(ei: ElementInstanceRecord, element: CompiledElement, scope: ElementInstanceRecord, flowIds = element.outgoing): void {
    const model = this.ctx.model(ei);
    for (const flowId of flowIds) this.takeFlow(model, flowId, scope);
    this.completeScopeIfDone(scope);
  }

  private takeFlow(model: CompiledProcess, flowId: string, scope: ElementInstanceRecord): void {
    const target = model.elements[model.flows[flowId]!.targetId]!;
    this.recordTakenFlow(scope.processInstanceKey, flowId);
    elementBehaviour(target.type).enter(target, flowId, scope, this.it);
  }

  /** Notes a flow on its process instance the first time it is taken (what Operate draws as the instance's path). */
  private recordTakenFlow(processInstanceKey: string, flowId: string): void {
    const pi = this.ctx.state.instances.get(processInstanceKey);
    if (!pi) return;
    const taken = (pi.takenSequenceFlows ??= []);
    if (taken.includes(flowId)) return;
    taken.push(flowId);
    this.ctx.state.touch(pi);
  }

  /** Completes a (sub-)process scope whose last token has ended. */
  completeScopeIfDone(scope: ElementInstanceRecord): void {
    if (scope.state !== 'ACTIVE' || scope.type === 'MULTI_INSTANCE_BODY') return;
    if (this.ctx.runtime(scope).phase !== 'ACTIVATED') return;
    const children = this.ctx.activeChildren(scope.elementInstanceKey);
    if (children.length > 0) {
      // Converging inclusive gateways may now be free to fire.
      if (this.ctx.runtime(scope).joins) this.ctx.later(() => retryInclusiveJoins(scope, this.it));
      return;
    }
    if (waitingTokens(scope, this.it) > 0) {
      retryInclusiveJoins(scope, this.it);
      return;
    }
    this.ctx.later(() => {
      if (scope.state === 'ACTIVE' && this.ctx.activeChildren(scope.elementInstanceKey).length === 0 && waitingTokens(scope, this.it) === 0) {
        this.complete(scope);
      }
    });
  }

  // ------------------------------------------------------------------ gateways

  /** Completes a gateway and takes only the chosen flows. */
  completeGateway(ei: ElementInstanceRecord, element: CompiledElement, flowIds: string[]): void {
    this.finish(ei, 'COMPLETED');
    const scope = this.ctx.flowScope(ei);
    if (scope) this.takeOutgoing(ei, element, scope, flowIds);
  }

  // ------------------------------------------------------------------ termination

  /** Terminates an element instance and everything inside it, synchronously. */
  terminate(ei: ElementInstanceRecord): void {
    if (ei.state !== 'ACTIVE') return;
    for (const child of this.ctx.activeChildren(ei.elementInstanceKey)) this.terminate(child);
    // Any element may wait on a job (job-based tasks, message throw events, a user task's listener job).
    this.it.waits.cancelJobOf(ei);
    elementBehaviour(ei.type).terminate(ei, this.it);
    this.finish(ei, 'TERMINATED');
    if (ei.type === 'PROCESS') this.endInstance(ei, 'TERMINATED');
  }

  /** Terminates every active child of a scope except `keep`. */
  terminateChildren(scope: ElementInstanceRecord, keep?: ElementInstanceRecord): void {
    for (const child of this.ctx.activeChildren(scope.elementInstanceKey)) {
      if (child !== keep) this.terminate(child);
    }
    const rt = this.ctx.runtime(scope);
    if (rt.joins) {
      delete rt.joins;
      this.ctx.state.touch(scope);
    }
  }

  // ------------------------------------------------------------------ process instances

  private endInstance(processEi: ElementInstanceRecord, state: 'COMPLETED' | 'TERMINATED'): void {
    const pi = this.ctx.state.instances.get(processEi.processInstanceKey);
    if (!pi) return;
    const variables = this.ctx.vars.local(pi.processInstanceKey);
    this.ctx.vars.dropScope(pi.processInstanceKey);
    pi.state = state;
    pi.endDate = processEi.endDate;
    pi.hasIncident = false;
    this.ctx.state.instances.delete(pi.processInstanceKey);
    const startKey = pi.runtime?.startCorrelationKey;
    if (typeof startKey === 'string') this.ctx.state.messageStarted.delete(nameKey(pi.processDefinitionId, startKey));
    this.ctx.state.touch(pi);
    this.ctx.hooks.instanceEnded(pi, variables);
    if (state === 'COMPLETED' && pi.parentElementInstanceKey) {
      const callActivity = this.ctx.state.elements.get(pi.parentElementInstanceKey);
      if (callActivity) this.ctx.later(() => callActivityChildCompleted(callActivity, variables, this.it));
    }
  }

  /** Creates a process instance and starts it at `startElementIds` (default: the none start event). */
  createInstance(
    definitionKey: string,
    variables: Variables,
    options: { startElementIds?: string[]; parent?: ElementInstanceRecord; tags?: string[]; triggerVariables?: Variables } = {},
  ): ProcessInstanceRecord {
    const deployed = this.ctx.state.definitions.get(definitionKey)!;
    const { record: def, model } = deployed;
    const key = this.ctx.keys.next();
    const pi: ProcessInstanceRecord = {
      kind: 'processInstance',
      processInstanceKey: key,
      processDefinitionKey: def.processDefinitionKey,
      processDefinitionId: def.processDefinitionId,
      processDefinitionName: def.name ?? def.processDefinitionId,
      processDefinitionVersion: def.version,
      ...(def.versionTag ? { processDefinitionVersionTag: def.versionTag } : {}),
      startDate: this.ctx.iso(),
      state: 'ACTIVE',
      hasIncident: false,
      tenantId: def.tenantId,
      ...(options.parent
        ? { parentProcessInstanceKey: options.parent.processInstanceKey, parentElementInstanceKey: options.parent.elementInstanceKey }
        : {}),
      ...(options.tags && options.tags.length > 0 ? { tags: options.tags } : {}),
      runtime: { phase: 'ACTIVATED' },
    };
    this.ctx.state.instances.set(key, pi);
    const processEi: ElementInstanceRecord = {
      kind: 'elementInstance',
      elementInstanceKey: key,
      processInstanceKey: key,
      processDefinitionKey: def.processDefinitionKey,
      processDefinitionId: def.processDefinitionId,
      elementId: def.processDefinitionId,
      elementName: pi.processDefinitionName,
      type: 'PROCESS',
      state: 'ACTIVE',
      startDate: pi.startDate,
      hasIncident: false,
      tenantId: def.tenantId,
      runtime: pi.runtime!,
    };
    this.ctx.state.addElement(processEi);
    this.ctx.state.touch(pi);
    this.ctx.vars.setLocal(key, key, def.tenantId, variables);
    const processElement = model.elements[model.id]!;
    this.it.events.openEventSubProcesses(processEi, processElement);
    const starts = options.startElementIds ?? (model.noneStartEventId ? [model.noneStartEventId] : []);
    for (const id of starts) {
      const el = model.elements[id]!;
      this.activateElement(el, processEi, options.triggerVariables ? { triggerVariables: options.triggerVariables } : undefined);
    }
    return pi;
  }
}
