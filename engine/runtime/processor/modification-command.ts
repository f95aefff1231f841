/**
 * Process instance modification as Zeebe 8.8 runs it (`POST /process-instances/{key}/modification`): activate
 * elements (with variables) and terminate element instances of a running instance, in one atomic command.
 *
 * Everything is checked first, and a refusal names every reason found: unknown element ids, elements that
 * cannot be activated (start events, boundary events, the process itself), elements inside a multi-instance
 * sub-process, an ancestor that is not active or not an ancestor, a flow scope with several active instances and
 * no ancestor to choose one, variable scopes that are neither the element nor one of its flow scopes, and
 * terminate instructions for element instances that are not active in this process instance.
 *
 * Then, as Zeebe: every terminate instruction, then every activation. A flow scope left with nothing active by
 * the terminations (and not used by an activation) is terminated too, up to the process instance itself.
 * An activation runs in the named ancestor, else in the one active instance of the element's flow scope; flow
 * scopes that have no instance there are created (input mappings, boundary and event sub-process subscriptions,
 * but not their start event). Variables are set on their scope before the element activates.
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

/** Element types Zeebe cannot activate by modification. */
const NOT_ACTIVATABLE: ReadonlySet<string> = new Set(['PROCESS', 'START_EVENT', 'BOUNDARY_EVENT', 'SEQUENCE_FLOW']);

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
    if (reasons.length > 0) throw invalidArgument(reasons.join('\n'));

    const keep = new Set<string>();
    for (const p of placements) for (let ei: ElementInstanceRecord | undefined = p.ancestor; ei; ei = this.ctx.flowScope(ei)) keep.add(ei.elementInstanceKey);
    for (const { elementInstanceKey } of instructions.terminateInstructions) {
      const ei = s.elements.get(elementInstanceKey);
      if (!ei || ei.state !== 'ACTIVE') continue;
      const scope = this.ctx.flowScope(ei);
      this.it.lifecycle.terminate(ei);
      this.terminateEmptyScopes(scope, keep);
    }
    for (const p of placements) this.activate(pi, model, p);
  }

  // ------------------------------------------------------------------ checks

  /** Terminate instructions name active element instances of this process instance (not the instance itself). */
  private checkTerminations(pi: ProcessInstanceRecord, instructions: ModificationInstructions, reasons: string[]): Set<string> {
    const terminating = new Set<string>();
    const unknown: string[] = [];
    for (const { elementInstanceKey } of instructions.terminateInstructions) {
      const ei = this.ctx.state.elements.get(elementInstanceKey);
      if (!ei || ei.state !== 'ACTIVE' || ei.processInstanceKey !== pi.processInstanceKey || ei.type === 'PROCESS') unknown.push(elementInstanceKey);
      else terminating.add(elementInstanceKey);
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

  /** Whether an element instance ends with the terminations (it or one of its flow scopes is terminated). */
  private endsWith(ei: ElementInstanceRecord, terminating: Set<string>): boolean {
    for (let cur: ElementInstanceRecord | undefined = ei; cur; cur = this.ctx.flowScope(cur)) if (terminating.has(cur.elementInstanceKey)) return true;
    return false;
  }

  private instancesOf(pi: ProcessInstanceRecord, elementId: string, terminating: Set<string>): ElementInstanceRecord[] {
    const out: ElementInstanceRecord[] = [];
    for (const ei of this.ctx.state.elements.values()) {
      if (ei.processInstanceKey !== pi.processInstanceKey || ei.elementId !== elementId || ei.state !== 'ACTIVE') continue;
      if (ei.type === 'MULTI_INSTANCE_BODY' || this.endsWith(ei, terminating)) continue;
      out.push(ei);
    }
    return out;
  }

  private place(pi: ProcessInstanceRecord, model: CompiledProcess, activations: Activation[], terminating: Set<string>, reasons: string[]): Placement[] {
    const pid = pi.processDefinitionId;
    const missing = activations.filter((a) => !model.elements[a.elementId]).map((a) => a.elementId);
    if (missing.length > 0) {
      reasons.push(`Expected to modify instance of process '${pid}' but it contains one or more activate instructions with an element that could not be found: '${missing.join("', '")}'`);
    }
    const placements: Placement[] = [];
    const unsupported: string[] = [];
    const inMultiInstance: string[] = [];
    const badAncestor: string[] = [];
    const notAncestor: string[] = [];
    const ambiguous: string[] = [];
    const unknownScopes: string[] = [];
    const foreignScopes: string[] = [];
    for (const a of activations) {
      const element = model.elements[a.elementId];
      if (!element) continue;
      if (NOT_ACTIVATABLE.has(element.type)) {
        unsupported.push(`${a.elementId}' of type '${element.type}`);
        continue;
      }
      const chain = this.scopeChain(model, element);
      if (chain.some((id) => id !== model.id && model.elements[id]!.multiInstance)) {
        inMultiInstance.push(a.elementId);
        continue;
      }
      for (const v of a.variableInstructions) {
        const scopeId = v.scopeId ?? '';
        if (scopeId === '' || scopeId === a.elementId || chain.includes(scopeId)) continue;
        if (!model.elements[scopeId]) unknownScopes.push(scopeId);
        else foreignScopes.push(scopeId);
      }
      const ancestorKey = a.ancestorElementInstanceKey;
      if (ancestorKey !== undefined && ancestorKey !== '-1') {
        const ancestor = this.ctx.state.elements.get(ancestorKey);
        if (!ancestor || ancestor.state !== 'ACTIVE' || ancestor.processInstanceKey !== pi.processInstanceKey || terminating.has(ancestorKey)) {
          badAncestor.push(ancestorKey);
          continue;
        }
        const at = chain.indexOf(ancestor.elementId);
        if (at < 0 || ancestor.type === 'MULTI_INSTANCE_BODY') {
          notAncestor.push(ancestorKey);
          continue;
        }
        placements.push({ instruction: a, element, ancestor, create: chain.slice(0, at).reverse().map((id) => model.elements[id]!) });
        continue;
      }
      let placed = false;
      for (let i = 0; i < chain.length && !placed; i++) {
        const scopeId = chain[i]!;
        const candidates = scopeId === model.id ? [this.ctx.state.elements.get(pi.processInstanceKey)!] : this.instancesOf(pi, scopeId, terminating);
        if (candidates.length > 1) {
          ambiguous.push(`${a.elementId}' in '${scopeId}`);
          placed = true;
        } else if (candidates.length === 1) {
          placements.push({ instruction: a, element, ancestor: candidates[0]!, create: chain.slice(0, i).reverse().map((id) => model.elements[id]!) });
          placed = true;
        }
      }
    }
    const list = (ids: string[]) => `'${ids.join("', '")}'`;
    if (unsupported.length > 0) {
      reasons.push(`Expected to modify instance of process '${pid}' but it contains one or more activate instructions for elements that are unsupported: ${list(unsupported)}. The activation of elements of type 'START_EVENT', 'BOUNDARY_EVENT' or 'PROCESS' is not supported.`);
    }
    if (inMultiInstance.length > 0) {
      reasons.push(`Expected to modify instance of process '${pid}' but it contains one or more activate instructions for elements that are nested in a multi-instance element: ${list(inMultiInstance)}. The activation of elements inside a multi-instance element is not supported.`);
    }
    if (badAncestor.length > 0) {
      reasons.push(`Expected to modify instance of process '${pid}' but it contains one or more activate instructions with an ancestor scope key that does not exist, or is not in an active state: ${list(badAncestor)}`);
    }
    if (notAncestor.length > 0) {
      reasons.push(`Expected to modify instance of process '${pid}' but it contains one or more activate instructions with an ancestor scope key that is not an ancestor of the element to activate: ${list(notAncestor)}`);
    }
    if (ambiguous.length > 0) {
      reasons.push(`Expected to modify instance of process '${pid}' but it contains one or more activate instructions for an element that has a flow scope with more than one active element instance: ${list(ambiguous)}. The flow scope instance is ambiguous; set ancestorElementInstanceKey to choose one.`);
    }
    if (unknownScopes.length > 0) {
      reasons.push(`Expected to modify instance of process '${pid}' but it contains one or more variable instructions with a scope element id that could not be found: ${list(unknownScopes)}`);
    }
    if (foreignScopes.length > 0) {
      reasons.push(`Expected to modify instance of process '${pid}' but it contains one or more variable instructions with a scope element that doesn't belong to the activating element's flow scope: ${list(foreignScopes)}. These variables should be set before or after the modification.`);
    }
    return placements;
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
