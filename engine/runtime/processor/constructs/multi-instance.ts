/**
 * Multi-instance activities: a body (type MULTI_INSTANCE_BODY) holds the input collection and the output
 * collection; each inner instance gets `inputElement` and `loopCounter` as local variables. Parallel bodies
 * start all inner instances at once, sequential ones one after another. `completionCondition` ends the body
 * early, terminating the inner instances still running.
 */
import type { CompiledElement } from '../../../model/types.js';
import { evaluateCondition, evaluateExpression, evaluateList } from '../../../feel/index.js';
import type { ElementInstanceRecord } from '../../records.js';
import { RAISED } from '../incidents.js';
import { activateOnArrival, holdsNothing, takeOutgoing } from './common-hooks.js';
import type { ElementBehaviour, Processor } from './construct.js';

type Needs = Pick<Processor, 'ctx' | 'incidents' | 'lifecycle'>;

/**
 * The body (instance type MULTI_INSTANCE_BODY) of a multi-instance activity: activated in place of the
 * activity, it starts the inner instances; its boundary events are the activity's.
 */
export const multiInstanceBody: ElementBehaviour<Pick<Processor, 'multiInstance' | 'lifecycle'>> = {
  activate: (body, element, c) => c.multiInstance.activateBody(body, element),
  // Never reached: a flow enters the activity, whose instance is created as its body (ElementLifecycle.activateElement).
  enter: activateOnArrival,
  leave: takeOutgoing,
  terminate: holdsNothing,
  catching: undefined,
};

export class MultiInstance {
  private readonly ctx: Needs['ctx'];

  constructor(private readonly it: Needs) {
    this.ctx = it.ctx;
  }

  activateBody(body: ElementInstanceRecord, element: CompiledElement): void {
    const mi = element.multiInstance!;
    const items = this.it.incidents.evaluateOrRaise(body, 'EXTRACT_VALUE_ERROR', () => evaluateList(mi.inputCollection, this.ctx.vars.visible(body.elementInstanceKey)));
    if (items === RAISED) return;
    const rt = this.ctx.runtime(body);
    rt.items = items;
    rt.completed = 0;
    rt.terminated = 0;
    rt.started = 0;
    if (mi.outputCollection) {
      this.ctx.vars.setLocal(body.elementInstanceKey, body.processInstanceKey, body.tenantId, {
        [mi.outputCollection]: items.map(() => null),
      });
    }
    this.ctx.state.touch(body);
    if (items.length === 0) {
      this.completeBody(body, mi.outputCollection);
      return;
    }
    const count = mi.sequential ? 1 : items.length;
    for (let i = 0; i < count; i++) this.startInner(body, element);
  }

  private startInner(body: ElementInstanceRecord, element: CompiledElement): void {
    const rt = this.ctx.runtime(body);
    const index = rt.started!;
    rt.started = index + 1;
    this.ctx.state.touch(body);
    const inner = this.it.lifecycle.activateElement(element, body, { loopCounter: index + 1 });
    const mi = element.multiInstance!;
    const local: Record<string, unknown> = { loopCounter: index + 1 };
    if (mi.inputElement) local[mi.inputElement] = rt.items![index] ?? null;
    this.ctx.vars.setLocal(inner.elementInstanceKey, inner.processInstanceKey, inner.tenantId, local);
  }

  /** Before an inner instance ends: its `outputElement` goes into the body's output collection. */
  collectOutput(inner: ElementInstanceRecord, element: CompiledElement): void {
    const mi = element.multiInstance;
    if (!mi?.outputCollection || !inner.flowScopeKey) return;
    const value = mi.outputElement ? evaluateExpression(mi.outputElement, this.ctx.vars.visible(inner.elementInstanceKey)) : null;
    const current = this.ctx.vars.local(inner.flowScopeKey)[mi.outputCollection];
    const list = Array.isArray(current) ? [...current] : [];
    list[this.ctx.runtime(inner).loopCounter! - 1] = value;
    this.ctx.vars.setLocal(inner.flowScopeKey, inner.processInstanceKey, inner.tenantId, { [mi.outputCollection]: list });
  }

  innerCompleted(body: ElementInstanceRecord, inner: ElementInstanceRecord): void {
    if (body.state !== 'ACTIVE') return;
    const element = this.ctx.element(body);
    const mi = element.multiInstance!;
    const rt = this.ctx.runtime(body);
    rt.completed = (rt.completed ?? 0) + 1;
    this.ctx.state.touch(body);
    const total = rt.items!.length;
    const active = this.ctx.activeChildren(body.elementInstanceKey).length;
    const condition = mi.completionCondition;
    if (condition) {
      const context = {
        ...this.ctx.vars.visible(body.elementInstanceKey),
        loopCounter: rt.loopCounter ?? this.ctx.runtime(inner).loopCounter,
        numberOfInstances: total,
        numberOfActiveInstances: active,
        numberOfCompletedInstances: rt.completed,
        numberOfTerminatedInstances: rt.terminated ?? 0,
      };
      const done = this.it.incidents.evaluateOrRaise(body, 'EXTRACT_VALUE_ERROR', () => evaluateCondition(condition, context), { step: 'complete' });
      if (done === RAISED) return;
      if (done) {
        for (const child of this.ctx.activeChildren(body.elementInstanceKey)) {
          this.it.lifecycle.terminate(child);
          rt.terminated = (rt.terminated ?? 0) + 1;
        }
        this.completeBody(body, mi.outputCollection);
        return;
      }
    }
    if (mi.sequential && rt.started! < total) {
      this.startInner(body, element);
      return;
    }
    if (active === 0 && rt.completed + (rt.terminated ?? 0) >= total) this.completeBody(body, mi.outputCollection);
  }

  private completeBody(body: ElementInstanceRecord, outputCollection: string | undefined): void {
    // The output collection is local to the body; it propagates to the flow scope as the body completes.
    const output = outputCollection ? { [outputCollection]: this.ctx.vars.local(body.elementInstanceKey)[outputCollection] } : undefined;
    if (output && body.flowScopeKey) this.ctx.vars.merge(body.flowScopeKey, body.processInstanceKey, body.tenantId, output);
    this.it.lifecycle.complete(body, undefined);
  }
}
