/**
 * Gateways as Zeebe routes tokens: exclusive and inclusive gateways choose their outgoing flows by FEEL
 * conditions (else the default flow, else a CONDITION_ERROR incident); joining parallel gateways wait for a
 * token on every incoming flow; joining inclusive gateways wait until no token can still reach an incoming
 * flow that was not taken. Waiting tokens are kept per flow scope in its runtime (`joins`).
 */
import type { CompiledElement, CompiledProcess } from '../../model/types.js';
import { evaluateCondition } from '../../feel/index.js';
import type { ElementInstanceRecord } from '../records.js';
import { RAISED } from './incidents.js';
import type { InterpreterContext } from './interpreter-context.js';
import type { Interpreter } from './interpreter.js';

export class GatewayRouting {
  constructor(
    private readonly ctx: InterpreterContext,
    private readonly it: Interpreter,
  ) {}

  /** A token arrives at a joining gateway over `flowId`. */
  arrive(gateway: CompiledElement, flowId: string, scope: ElementInstanceRecord): void {
    const rt = this.ctx.runtime(scope);
    rt.joins ??= {};
    const tokens = (rt.joins[gateway.id] ??= {});
    tokens[flowId] = (tokens[flowId] ?? 0) + 1;
    this.ctx.state.touch(scope);
    if (gateway.type === 'PARALLEL_GATEWAY') this.tryParallelJoin(gateway, scope);
    else this.ctx.later(() => this.tryInclusiveJoin(gateway, scope));
  }


  private tryParallelJoin(gateway: CompiledElement, scope: ElementInstanceRecord): void {
    const tokens = this.ctx.runtime(scope).joins?.[gateway.id];
    if (!tokens || !gateway.incoming.every((f) => (tokens[f] ?? 0) > 0)) return;
    this.consumeJoin(gateway, scope);
    this.it.lifecycle.activateElement(gateway, scope);
  }

  /** A converging inclusive gateway fires once no token can still reach one of its untaken incoming flows. */
  tryInclusiveJoin(gateway: CompiledElement, scope: ElementInstanceRecord): void {
    if (scope.state !== 'ACTIVE') return;
    const tokens = this.ctx.runtime(scope).joins?.[gateway.id];
    if (!tokens || Object.values(tokens).every((n) => n <= 0)) return;
    const untaken = gateway.incoming.filter((f) => (tokens[f] ?? 0) <= 0);
    if (untaken.length > 0) {
      const model = this.ctx.model(scope);
      const sources = new Set(untaken.map((f) => model.flows[f]!.sourceId));
      const stillComing = this.ctx
        .activeChildren(scope.elementInstanceKey)
        .some((child) => this.canReach(model, child.elementId, sources, gateway.id));
      const otherJoinsWaiting = Object.entries(this.ctx.runtime(scope).joins ?? {}).some(
        ([gid, t]) => gid !== gateway.id && Object.values(t).some((n) => n > 0) && this.canReach(model, gid, sources, gateway.id),
      );
      if (stillComing || otherJoinsWaiting) return;
    }
    this.consumeJoin(gateway, scope);
    this.it.lifecycle.activateElement(gateway, scope);
  }

  private consumeJoin(gateway: CompiledElement, scope: ElementInstanceRecord): void {
    const tokens = this.ctx.runtime(scope).joins![gateway.id]!;
    for (const f of gateway.incoming) if ((tokens[f] ?? 0) > 0) tokens[f] = tokens[f]! - 1;
    if (Object.values(tokens).every((n) => n <= 0)) delete this.ctx.runtime(scope).joins![gateway.id];
    this.ctx.state.touch(scope);
  }

  /** Whether a token at `fromId` can reach any of `targets` without passing `stopAt`. */
  private canReach(model: CompiledProcess, fromId: string, targets: Set<string>, stopAt: string): boolean {
    const seen = new Set<string>();
    const stack = [fromId];
    while (stack.length > 0) {
      const id = stack.pop()!;
      if (targets.has(id)) return true;
      if (seen.has(id) || id === stopAt) continue;
      seen.add(id);
      const el = model.elements[id];
      if (!el) continue;
      for (const f of el.outgoing) stack.push(model.flows[f]!.targetId);
      for (const b of el.boundaryEvents) stack.push(b);
    }
    return false;
  }

  /** Pending tokens at joins of a scope (they keep the scope from completing, as in Zeebe). */
  waitingTokens(scope: ElementInstanceRecord): number {
    let n = 0;
    for (const t of Object.values(this.ctx.runtime(scope).joins ?? {})) for (const c of Object.values(t)) n += c;
    return n;
  }

  /** Converging inclusive gateways may be free to fire after a token ended elsewhere in the scope. */
  retryInclusiveJoins(scope: ElementInstanceRecord): void {
    const model = this.ctx.model(scope);
    for (const gid of Object.keys(this.ctx.runtime(scope).joins ?? {})) {
      const g = model.elements[gid];
      if (g?.type === 'INCLUSIVE_GATEWAY') this.tryInclusiveJoin(g, scope);
    }
  }

  /** Chooses the outgoing flows of an exclusive or inclusive gateway; raises CONDITION_ERROR when none applies. */
  chooseFlows(ei: ElementInstanceRecord, element: CompiledElement): string[] | undefined {
    const model = this.ctx.model(ei);
    if (element.outgoing.length === 1 && !model.flows[element.outgoing[0]!]!.condition) return element.outgoing;
    const context = this.ctx.vars.visible(ei.elementInstanceKey);
    const chosen: string[] = [];
    const evaluated = this.it.incidents.evaluateOrRaise(ei, 'CONDITION_ERROR', () => {
      for (const flowId of element.outgoing) {
        if (flowId === element.defaultFlow) continue;
        const flow = model.flows[flowId]!;
        if (flow.condition === undefined || evaluateCondition(flow.condition, context)) {
          chosen.push(flowId);
          if (element.type === 'EXCLUSIVE_GATEWAY') break;
        }
      }
    });
    if (evaluated === RAISED) return undefined;
    if (chosen.length === 0 && element.defaultFlow) chosen.push(element.defaultFlow);
    if (chosen.length === 0) {
      this.it.incidents.raise(
        ei,
        'CONDITION_ERROR',
        `Expected at least one condition to evaluate to true, or to have a default flow`,
        { step: 'activate' },
      );
      return undefined;
    }
    return chosen;
  }
}
