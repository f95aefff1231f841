/**
 * Process instance modification as Zeebe 8.8 runs it (`POST /process-instances/{key}/modification`): activate
 * elements (with variables) and terminate element instances of a running instance, in one atomic command.
 *
 * Everything is checked first, and a refusal names every reason found, worded as Zeebe's
 * ProcessInstanceModificationModifyProcessor words them: unknown element ids; elements that cannot be activated
 * (start and boundary events, events after an event-based gateway, the process itself); variable scopes that
 * are neither the element nor one of its flow scopes; an ancestor that is not active, not in this instance or
 * not an ancestor; a flow scope with several active instances and no ancestor to choose one; a multi-instance
 * element that would have to be created around the element; an activation whose flow scope instance is being
 * terminated; terminate instructions for element instances that are not active in this instance; and
 * terminations that would end an instance called by a call activity (modify the parent instead).
 *
 * Then: every terminate instruction (the process instance's own key ends the whole instance), then every
 * activation. A flow scope left with nothing active by the terminations (and not used by an activation) is
 * terminated too, up to the process instance. An activation runs in the named ancestor, else in the one active
 * instance of the element's flow scope; flow scopes that have no instance there are created (input mappings,
 * boundary and event sub-process subscriptions, but not their start event). Variables are set on their scope
 * before the element activates.
 */
import { invalidArgument, notFound } from '../../errors.js';
import { evaluateExpression, setPath } from '../../feel/index.js';
import type { CompiledElement, CompiledProcess } from '../../model/types.js';
import type { ModificationInstructions } from '../engine-api.js';
import type { ElementInstanceRecord, ProcessInstanceRecord } from '../records.js';
import type { Processor } from './constructs/construct.js';
import { waitingTokens } from './constructs/gateways/joins.js';
import { RAISED } from './incidents.js';
import type { InterpreterContext } from './interpreter-context.js';
import type { Variables } from './variable-scopes.js';

/** Element types Zeebe cannot activate by modification (the process itself: terminate or create instances instead). */
const NOT_ACTIVATABLE: ReadonlySet<string> = new Set(['PROCESS', 'START_EVENT', 'BOUNDARY_EVENT', 'SEQUENCE_FLOW']);
const ACTIVATABLE = [
  'SUB_PROCESS', 'EVENT_SUB_PROCESS', 'INTERMEDIATE_CATCH_EVENT', 'INTERMEDIATE_THROW_EVENT', 'END_EVENT', 'SERVICE_TASK', 'RECEIVE_TASK',
  'USER_TASK', 'MANUAL_TASK', 'TASK', 'EXCLUSIVE_GATEWAY', 'INCLUSIVE_GATEWAY', 'PARALLEL_GATEWAY', 'EVENT_BASED_GATEWAY', 'MULTI_INSTANCE_BODY',
  'CALL_ACTIVITY', 'BUSINESS_RULE_TASK', 'SCRIPT_TASK', 'SEND_TASK',
];

type Activation = ModificationInstructions['activateInstructions'][number];

/** Where an activation goes: an existing instance, and the flow scopes to create below it (outermost first). */
interface Placement {
  instruction: Activation;
  element: CompiledElement;
  ancestor: ElementInstanceRecord;
  create: CompiledElement[];
}

export class ModificationCommand {
  constructor(
    private readonly ctx: InterpreterContext,
    private readonly it: Pick<Processor, 'lifecycle' | 'events' | 'incidents'>,
  ) {}

  modify(processInstanceKey: string, instructions: ModificationInstructions): void {
    const s = this.ctx.state;
    const pi = s.instances.get(processInstanceKey);
    if (!pi) throw notFound(`Expected to modify process instance but no process instance found with key '${processInstanceKey}'`);
    const model = this.ctx.model(pi);
    const reasons: string[] = [];
    const terminating = this.checkTerminations(pi, instructions, reasons);
    const placements = this.place(pi, model, instructions.activateInstructions, terminating, reasons);
    // Flow scope instances an activation runs in are not ended by the terminations.
    const keep = new Set<string>();
    for (const p of placements) for (let ei: ElementInstanceRecord | undefined = p.ancestor; ei; ei = this.ctx.flowScope(ei)) keep.add(ei.elementInstanceKey);
    this.checkChildNotTerminated(pi, terminating, keep, reasons);
    if (reasons.length > 0) throw invalidArgument(reasons.join('\n'));

    for (const { elementInstanceKey } of instructions.terminateInstructions) {
      const ei = s.elements.get(elementInstanceKey);
      if (!ei || ei.state !== 'ACTIVE') continue;
      const scope = this.ctx.flowScope(ei);
      this.it.lifecycle.terminate(ei);
      if (scope?.type === 'MULTI_INSTANCE_BODY') {
        // The body completes once its other inner instances have (numberOfTerminatedInstances counts this one).
        const rt = this.ctx.runtime(scope);
        rt.terminated = (rt.terminated ?? 0) + 1;
        this.ctx.state.touch(scope);
      }
      this.terminateEmptyScopes(scope, keep);
    }
    for (const p of placements) this.activate(pi, model, p);
  }

  // ------------------------------------------------------------------ checks

  /** Terminate instructions name active element instances of this process instance (the instance itself included). */
  private checkTerminations(pi: ProcessInstanceRecord, instructions: ModificationInstructions, reasons: string[]): Set<string> {
    const terminating = new Set<string>();
    const unknown: string[] = [];
    for (const { elementInstanceKey } of instructions.terminateInstructions) {
      const ei = this.ctx.state.elements.get(elementInstanceKey);
      if (!ei || ei.state !== 'ACTIVE' || ei.processInstanceKey !== pi.processInstanceKey) {
        if (!unknown.includes(elementInstanceKey)) unknown.push(elementInstanceKey);
      } else terminating.add(elementInstanceKey);
    }
    if (unknown.length > 0) {
      reasons.push(`Expected to modify instance of process '${pi.processDefinitionId}' but it contains one or more terminate instructions with an element instance that could not be found: '${unknown.join("', '")}'`);
    }
    return terminating;
  }

  /** The flow scope ids of an element, nearest first, ending with the process id. */
  private scopeChain(model: CompiledProcess, element: CompiledElement): string[] {
    const chain: string[] = [];
    for (let id = element.scopeId; ; id = model.elements[id]!.scopeId) {
      chain.push(id);
      if (id === model.id) return chain;
    }
  }

  /** Active instances of a flow scope element (inner instances of a multi-instance sub-process, not its body). */
  private instancesOf(pi: ProcessInstanceRecord, elementId: string): ElementInstanceRecord[] {
    const out: ElementInstanceRecord[] = [];
    for (const ei of this.ctx.state.elements.values()) {
      if (ei.processInstanceKey !== pi.processInstanceKey || ei.elementId !== elementId || ei.state !== 'ACTIVE') continue;
      if (ei.type !== 'MULTI_INSTANCE_BODY') out.push(ei);
    }
    return out;
  }

  /** Whether an element is a catch event after an event-based gateway. */
  private afterEventBasedGateway(model: CompiledProcess, element: CompiledElement): boolean {
    return element.incoming.some((f) => model.elements[model.flows[f]!.sourceId]?.type === 'EVENT_BASED_GATEWAY');
  }

  private place(pi: ProcessInstanceRecord, model: CompiledProcess, activations: Activation[], terminating: Set<string>, reasons: string[]): Placement[] {
    const pid = pi.processDefinitionId;
    const prefix = `Expected to modify instance of process '${pid}' but it contains one or more`;
    const list = (ids: Iterable<string>) => `'${[...new Set(ids)].join("', '")}'`;
    const found = activations.filter((a) => model.elements[a.elementId] !== undefined);
    const missing = activations.filter((a) => !model.elements[a.elementId]).map((a) => a.elementId);
    if (missing.length > 0) reasons.push(`${prefix} activate instructions with an element that could not be found: ${list(missing)}`);

    const gatewayEvents = found.filter((a) => this.afterEventBasedGateway(model, model.elements[a.elementId]!)).map((a) => a.elementId);
    if (gatewayEvents.length > 0) {
      reasons.push(`${prefix} activate instructions for elements that are unsupported: ${list(gatewayEvents)}. The activation of events belonging to an event-based gateway is not supported.`);
    }
    const unsupported = found.map((a) => model.elements[a.elementId]!).filter((el) => NOT_ACTIVATABLE.has(el.type));
    if (unsupported.length > 0) {
      reasons.push(
        `${prefix} activate instructions for elements that are unsupported: ${list(unsupported.map((el) => el.id))}. The activation of elements with type ${list(unsupported.map((el) => el.type))} is not supported. Supported element types are: [${ACTIVATABLE.join(', ')}].`,
      );
    }
    const unknownScopes: string[] = [];
    let foreignScope = false;
    for (const a of found) {
      const chain = this.scopeChain(model, model.elements[a.elementId]!);
      for (const v of a.variableInstructions) {
        const scopeId = v.scopeId ?? '';
        if (scopeId === '' || scopeId === a.elementId || chain.includes(scopeId)) continue;
        if (!model.elements[scopeId]) unknownScopes.push(scopeId);
        else foreignScope = true;
      }
    }
    if (unknownScopes.length > 0) reasons.push(`${prefix} variable instructions with a scope element id that could not be found: ${list(unknownScopes)}`);
    if (foreignScope) {
      reasons.push(`${prefix} variable instructions with a scope element that doesn't belong to the activating element's flow scope. These variables should be set before or after the modification.`);
    }

    const placements: Placement[] = [];
    const badAncestor: string[] = [];
    const otherInstance: string[] = [];
    const notAncestor: string[] = [];
    const ambiguous: string[] = [];
    const multiInstance: string[] = [];
    const conflicts: string[] = [];
    for (const a of found) {
      const element = model.elements[a.elementId]!;
      if (NOT_ACTIVATABLE.has(element.type) || gatewayEvents.includes(a.elementId)) continue;
      const chain = this.scopeChain(model, element);
      const ancestorKey = a.ancestorElementInstanceKey;
      let placement: Placement | undefined;
      if (ancestorKey !== undefined && ancestorKey !== '-1') {
        const ancestor = this.ctx.state.elements.get(ancestorKey);
        if (!ancestor || ancestor.state !== 'ACTIVE') {
          badAncestor.push(ancestorKey);
          continue;
        }
        if (ancestor.processInstanceKey !== pi.processInstanceKey) {
          otherInstance.push(ancestorKey);
          continue;
        }
        const ancestorId = ancestor.type === 'PROCESS' ? model.id : ancestor.elementId;
        const at = chain.indexOf(ancestorId);
        if (at < 0) {
          notAncestor.push(`\n- instance '${ancestorKey}' of element '${ancestorId}' is not an ancestor of element '${a.elementId}'`);
          continue;
        }
        // A multi-instance body as ancestor: its inner instance would have to be created.
        const create = chain.slice(0, ancestor.type === 'MULTI_INSTANCE_BODY' ? at + 1 : at).reverse().map((id) => model.elements[id]!);
        placement = { instruction: a, element, ancestor, create };
      } else {
        for (let i = 0; i < chain.length && !placement; i++) {
          const scopeId = chain[i]!;
          const candidates = scopeId === model.id ? [this.ctx.state.elements.get(pi.processInstanceKey)!] : this.instancesOf(pi, scopeId);
          if (candidates.length > 1) {
            ambiguous.push(scopeId);
            break;
          }
          if (candidates.length === 1) placement = { instruction: a, element, ancestor: candidates[0]!, create: chain.slice(0, i).reverse().map((id) => model.elements[id]!) };
        }
        if (!placement) continue;
      }
      const created = placement.create.find((el) => el.multiInstance);
      if (created) {
        multiInstance.push(created.id);
        continue;
      }
      for (let ei: ElementInstanceRecord | undefined = placement.ancestor; ei; ei = this.ctx.flowScope(ei)) {
        if (terminating.has(ei.elementInstanceKey)) {
          conflicts.push(`element '${a.elementId}' requires flow scope instance '${placement.ancestor.elementInstanceKey}' which is being terminated`);
          break;
        }
      }
      placements.push(placement);
    }
    if (badAncestor.length > 0) reasons.push(`${prefix} activate instructions with an ancestor scope key that does not exist, or is not in an active state: ${list(badAncestor)}`);
    if (otherInstance.length > 0) reasons.push(`${prefix} activate instructions with an ancestor scope key that does not belong to the modified process instance: ${list(otherInstance)}`);
    if (notAncestor.length > 0) reasons.push(`${prefix} activate instructions with an ancestor scope key that is not an ancestor of the element to activate:${notAncestor.join('')}`);
    for (const scopeId of new Set(ambiguous)) {
      reasons.push(`${prefix} activate instructions for an element that has a flow scope with more than one active instance: '${scopeId}'. Can't decide in which instance of the flow scope the element should be activated. Please specify an ancestor element instance key for this activate instruction.`);
    }
    for (const id of new Set(multiInstance)) {
      reasons.push(`${prefix} activate instructions that would result in the activation of multi-instance element '${id}', which is currently unsupported.`);
    }
    if (conflicts.length > 0) {
      reasons.push(`${prefix} activate instructions for elements whose required flow scope instance is also being terminated: ${conflicts.join(', ')}. Please provide a valid ancestor scope key for the activation or avoid terminating the required flow scope.`);
    }
    return placements;
  }

  /**
   * A process instance called by a call activity must not be ended by a modification (Zeebe: it is unclear what
   * its parent should then do); modify the parent instead. Simulates the terminations and the scopes they empty.
   */
  private checkChildNotTerminated(pi: ProcessInstanceRecord, terminating: Set<string>, keep: Set<string>, reasons: string[]): void {
    if (!pi.parentProcessInstanceKey || terminating.size === 0) return;
    const ended = new Set<string>();
    const endTree = (ei: ElementInstanceRecord): void => {
      ended.add(ei.elementInstanceKey);
      for (const child of this.ctx.activeChildren(ei.elementInstanceKey)) endTree(child);
    };
    for (const key of terminating) {
      const ei = this.ctx.state.elements.get(key)!;
      endTree(ei);
      for (let scope = this.ctx.flowScope(ei); scope && !keep.has(scope.elementInstanceKey) && !ended.has(scope.elementInstanceKey); scope = this.ctx.flowScope(scope)) {
        const alive = this.ctx.activeChildren(scope.elementInstanceKey).some((c) => !ended.has(c.elementInstanceKey));
        if (alive || waitingTokens(scope, { ctx: this.ctx }) > 0) break;
        ended.add(scope.elementInstanceKey);
      }
    }
    if (ended.has(pi.processInstanceKey)) {
      reasons.push(`Expected to modify instance of process '${pi.processDefinitionId}' but the given instructions would terminate the instance. The instance was created by a call activity in the parent process. To terminate this instance please modify the parent process instead.`);
    }
  }

  // ------------------------------------------------------------------ the change

  /** After a termination: flow scopes left with nothing active end too (terminated), up to the process instance. */
  private terminateEmptyScopes(scope: ElementInstanceRecord | undefined, keep: Set<string>): void {
    let cur = scope;
    while (cur && cur.state === 'ACTIVE' && !keep.has(cur.elementInstanceKey)) {
      if (this.ctx.activeChildren(cur.elementInstanceKey).length > 0 || waitingTokens(cur, { ctx: this.ctx }) > 0) return;
      const parent = this.ctx.flowScope(cur);
      this.it.lifecycle.terminate(cur);
      cur = parent;
    }
  }

  private activate(pi: ProcessInstanceRecord, model: CompiledProcess, p: Placement): void {
    const { instruction, element } = p;
    const byScope = new Map<string, Variables>();
    for (const v of instruction.variableInstructions) {
      const scopeId = v.scopeId && v.scopeId !== '' ? v.scopeId : model.id;
      byScope.set(scopeId, { ...byScope.get(scopeId), ...v.variables });
    }
    // Variables for existing scopes (the ancestor and above) are set before anything activates.
    for (let ei: ElementInstanceRecord | undefined = p.ancestor; ei; ei = this.ctx.flowScope(ei)) {
      const scopeId = ei.type === 'PROCESS' ? model.id : ei.elementId;
      const vars = byScope.get(scopeId);
      if (vars) this.ctx.vars.setLocal(ei.elementInstanceKey, pi.processInstanceKey, pi.tenantId, vars);
    }
    let scope = p.ancestor;
    for (const scopeElement of p.create) {
      const created = this.createScope(scopeElement, scope, byScope.get(scopeElement.id));
      if (!created) return;
      scope = created;
    }
    const ei = this.it.lifecycle.activateElement(element, scope);
    const own = byScope.get(element.id);
    if (own) this.ctx.vars.setLocal(ei.elementInstanceKey, pi.processInstanceKey, pi.tenantId, own);
  }

  /**
   * A flow scope instance (sub-process or event sub-process) created for an activation: variables, input
   * mappings, boundary events and its event sub-processes, as an activation does, but not its start event.
   * Undefined when an input mapping failed (an incident on the new scope; the activation stops there).
   */
  private createScope(element: CompiledElement, parent: ElementInstanceRecord, variables: Variables | undefined): ElementInstanceRecord | undefined {
    const ei = this.it.lifecycle.createElementInstance(element, parent);
    if (variables) this.ctx.vars.setLocal(ei.elementInstanceKey, ei.processInstanceKey, ei.tenantId, variables);
    const incidents = this.it.incidents;
    if (element.inputMappings.length > 0) {
      const mapped = incidents.evaluateOrRaise(ei, 'IO_MAPPING_ERROR', () => {
        const context = this.ctx.vars.visible(ei.elementInstanceKey);
        const local: Variables = {};
        for (const m of element.inputMappings) setPath(local, m.target, evaluateExpression(m.source, { ...context, ...local }));
        this.ctx.vars.setLocal(ei.elementInstanceKey, ei.processInstanceKey, ei.tenantId, local);
      });
      if (mapped === RAISED) return undefined;
    }
    if (element.boundaryEvents.length > 0) {
      const opened = incidents.evaluateOrRaise(ei, 'EXTRACT_VALUE_ERROR', () => this.it.events.openBoundaryEvents(ei, element));
      if (opened === RAISED) return undefined;
    }
    this.it.events.openEventSubProcesses(ei, element);
    this.ctx.runtime(ei).phase = 'ACTIVATED';
    this.ctx.state.touch(ei);
    return ei;
  }
}
