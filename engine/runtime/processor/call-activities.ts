/**
 * Call activities: start the latest version of the called process with the caller's variables (all of them
 * when propagateAllParentVariables, else only the input-mapped ones), wait for it, and take its variables
 * back (all when propagateAllChildVariables, or through output mappings).
 */
import type { CompiledElement } from '../../model/types.js';
import { evaluateString } from '../../feel/index.js';
import type { ElementInstanceRecord } from '../records.js';
import type { InterpreterContext } from './interpreter-context.js';
import type { Interpreter } from './interpreter.js';
import { RAISED } from './incidents.js';
import type { Variables } from './variable-scopes.js';

export class CallActivities {
  constructor(
    private readonly ctx: InterpreterContext,
    private readonly it: Interpreter,
  ) {}

  activate(ei: ElementInstanceRecord, element: CompiledElement): void {
    const called = element.calledElement!;
    const processId = this.it.incidents.evaluateOrRaise(ei, 'EXTRACT_VALUE_ERROR', () => evaluateString(called.processId, this.ctx.vars.visible(ei.elementInstanceKey)));
    if (processId === RAISED) return;
    const deployed = this.ctx.state.latestDefinition.get(processId);
    if (!deployed) {
      this.it.incidents.raise(
        ei,
        'CALLED_ELEMENT_ERROR',
        `Expected process with BPMN process id '${processId}' to be deployed, but not found.`,
        { step: 'activate' },
      );
      return;
    }
    const variables = called.propagateAllParentVariables
      ? this.ctx.vars.visible(ei.elementInstanceKey)
      : this.ctx.vars.local(ei.elementInstanceKey);
    const child = this.it.lifecycle.createInstance(deployed.record.processDefinitionKey, variables, { parent: ei });
    this.ctx.runtime(ei).childInstanceKey = child.processInstanceKey;
    this.ctx.state.touch(ei);
  }

  childCompleted(ei: ElementInstanceRecord, childVariables: Variables): void {
    if (ei.state !== 'ACTIVE') return;
    const element = this.ctx.element(ei);
    delete this.ctx.runtime(ei).childInstanceKey;
    const propagate = element.calledElement!.propagateAllChildVariables || element.outputMappings.length > 0;
    this.it.lifecycle.complete(ei, propagate ? childVariables : undefined);
  }
}
