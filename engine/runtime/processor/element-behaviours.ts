/**
 * What each BPMN element does once activated (after input mappings and boundary subscriptions).
 */
import type { CompiledElement } from '../../model/types.js';
import { evaluateExpression, evaluateString } from '../../feel/index.js';
import type { ElementInstanceRecord } from '../records.js';
import type { InterpreterContext } from './interpreter-context.js';
import type { Interpreter } from './interpreter.js';
import { RAISED } from './incidents.js';

export class ElementBehaviours {
  constructor(
    private readonly ctx: InterpreterContext,
    private readonly it: Interpreter,
  ) {}

  onActivated(ei: ElementInstanceRecord, element: CompiledElement): void {
    const lifecycle = this.it.lifecycle;
    const trigger = this.ctx.runtime(ei).triggerVariables;
    switch (element.type) {
      case 'START_EVENT':
      case 'BOUNDARY_EVENT':
        lifecycle.complete(ei, trigger);
        return;
      case 'MANUAL_TASK':
      case 'TASK':
        lifecycle.complete(ei);
        return;
      case 'SERVICE_TASK':
      case 'SEND_TASK':
      case 'BUSINESS_RULE_TASK':
        this.it.waits.createJob(ei, element);
        return;
      case 'SCRIPT_TASK':
        if (element.job) this.it.waits.createJob(ei, element);
        else this.runScript(ei, element);
        return;
      case 'USER_TASK':
        this.it.waits.createUserTask(ei, element);
        return;
      case 'RECEIVE_TASK':
        // Already triggered when reached through an event-based gateway.
        if (trigger !== undefined) lifecycle.complete(ei, trigger);
        else this.it.events.openCatchEvent(ei, element, ei);
        return;
      case 'INTERMEDIATE_CATCH_EVENT':
        if (trigger !== undefined) lifecycle.complete(ei, trigger);
        else if (element.eventDefinition?.kind === 'link') lifecycle.complete(ei);
        else this.it.events.openCatchEvent(ei, element, ei);
        return;
      case 'INTERMEDIATE_THROW_EVENT':
      case 'END_EVENT':
        this.throwEvent(ei, element);
        return;
      case 'EXCLUSIVE_GATEWAY':
      case 'INCLUSIVE_GATEWAY': {
        const flows = this.it.gateways.chooseFlows(ei, element);
        if (flows) lifecycle.completeGateway(ei, element, flows);
        return;
      }
      case 'PARALLEL_GATEWAY':
        lifecycle.complete(ei);
        return;
      case 'EVENT_BASED_GATEWAY':
        this.it.events.openEventBasedGateway(ei, element);
        return;
      case 'SUB_PROCESS':
      case 'EVENT_SUB_PROCESS':
        this.startSubProcess(ei, element);
        return;
      case 'CALL_ACTIVITY':
        this.it.callActivities.activate(ei, element);
        return;
      default:
        throw new Error(`no behaviour for element type ${element.type} (${element.id})`);
    }
  }

  private startSubProcess(ei: ElementInstanceRecord, element: CompiledElement): void {
    this.it.events.openEventSubProcesses(ei, element);
    const startId = element.type === 'EVENT_SUB_PROCESS' ? element.eventSubProcessStartId : element.noneStartEventId;
    const start = startId ? this.ctx.model(ei).elements[startId] : undefined;
    if (!start) {
      this.it.lifecycle.complete(ei);
      return;
    }
    const trigger = this.ctx.runtime(ei).triggerVariables;
    this.it.lifecycle.activateElement(start, ei, trigger ? { triggerVariables: trigger } : undefined);
  }

  private runScript(ei: ElementInstanceRecord, element: CompiledElement): void {
    const script = element.script!;
    const result = this.it.incidents.evaluateOrRaise(ei, 'EXTRACT_VALUE_ERROR', () => evaluateExpression(script.expression, this.ctx.vars.visible(ei.elementInstanceKey)));
    if (result === RAISED) return;
    this.it.lifecycle.complete(ei, { [script.resultVariable]: result });
  }

  /** End and intermediate throw events. */
  private throwEvent(ei: ElementInstanceRecord, element: CompiledElement): void {
    const def = element.eventDefinition;
    const lifecycle = this.it.lifecycle;
    switch (def?.kind) {
      case undefined:
      case 'none':
      case 'link':
        lifecycle.complete(ei);
        return;
      case 'message':
        // Message throw/end events are job workers in Zeebe.
        if (element.job) this.it.waits.createJob(ei, element);
        else lifecycle.complete(ei);
        return;
      case 'terminate': {
        const scope = this.ctx.flowScope(ei);
        lifecycle.complete(ei);
        if (scope && scope.state === 'ACTIVE') {
          lifecycle.terminateChildren(scope);
          lifecycle.completeScopeIfDone(scope);
        }
        return;
      }
      case 'error': {
        const code = this.it.incidents.evaluateOrRaise(ei, 'EXTRACT_VALUE_ERROR', () => evaluateString(def.errorCode ?? '', this.ctx.vars.visible(ei.elementInstanceKey)));
        if (code === RAISED) return;
        this.it.errors.throwError(ei, code, def.errorMessage ?? '', undefined);
        return;
      }
      case 'escalation':
        this.it.errors.throwEscalation(ei, def.escalationCode ?? '');
        return;
      case 'signal': {
        const name = this.it.incidents.evaluateOrRaise(ei, 'EXTRACT_VALUE_ERROR', () => evaluateString(def.name, this.ctx.vars.visible(ei.elementInstanceKey)));
        if (name === RAISED) return;
        lifecycle.complete(ei);
        this.ctx.later(() => this.it.broadcastSignal(name, {}));
        return;
      }
      default:
        lifecycle.complete(ei);
    }
  }
}
