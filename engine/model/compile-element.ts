import type { CompileContext } from './compile-context.js';
import { readCatchMessage } from '../constructs/events/message/definition.js';
import { isInterrupting, readEventDefinition, type EventPosition } from './compile-event.js';
import { bool, child, extension, idOf, str, type El } from './moddle-element.js';
import type { CompiledElement, ElementType } from './types.js';
import {
  readCalledDecision,
  readCalledElement,
  readIoMappings,
  readJobWorkerUserTask,
  readMultiInstance,
  readTaskDefinition,
  readUserTask,
  refuseListeners,
} from './zeebe-extensions.js';

/** What kind of flow scope an element sits in. */
export type ScopeKind = 'process' | 'sub-process' | 'event sub-process';

const TYPES: Record<string, ElementType> = {
  'bpmn:StartEvent': 'START_EVENT',
  'bpmn:EndEvent': 'END_EVENT',
  'bpmn:IntermediateCatchEvent': 'INTERMEDIATE_CATCH_EVENT',
  'bpmn:IntermediateThrowEvent': 'INTERMEDIATE_THROW_EVENT',
  'bpmn:BoundaryEvent': 'BOUNDARY_EVENT',
  'bpmn:ServiceTask': 'SERVICE_TASK',
  'bpmn:SendTask': 'SEND_TASK',
  'bpmn:BusinessRuleTask': 'BUSINESS_RULE_TASK',
  'bpmn:ScriptTask': 'SCRIPT_TASK',
  'bpmn:UserTask': 'USER_TASK',
  'bpmn:ReceiveTask': 'RECEIVE_TASK',
  'bpmn:ManualTask': 'MANUAL_TASK',
  'bpmn:Task': 'TASK',
  'bpmn:ExclusiveGateway': 'EXCLUSIVE_GATEWAY',
  'bpmn:InclusiveGateway': 'INCLUSIVE_GATEWAY',
  'bpmn:ParallelGateway': 'PARALLEL_GATEWAY',
  'bpmn:EventBasedGateway': 'EVENT_BASED_GATEWAY',
  'bpmn:SubProcess': 'SUB_PROCESS',
  'bpmn:CallActivity': 'CALL_ACTIVITY',
};

/** Element types the engine refuses at deploy time, with why (the refusal test is derived from this list). */
export const REFUSED_TYPES: Readonly<Record<string, string>> = {
  'bpmn:ComplexGateway': 'bpmn:complexGateway is not supported',
  'bpmn:Transaction': 'transaction/cancel not supported',
  'bpmn:AdHocSubProcess': 'ad-hoc sub-process not supported',
};

const ACTIVITY_TYPES = new Set<ElementType>([
  'SERVICE_TASK', 'SEND_TASK', 'BUSINESS_RULE_TASK', 'SCRIPT_TASK', 'USER_TASK', 'RECEIVE_TASK', 'MANUAL_TASK',
  'TASK', 'SUB_PROCESS', 'CALL_ACTIVITY',
]);

export function isActivityType(type: ElementType): boolean {
  return ACTIVITY_TYPES.has(type);
}

/**
 * Compiles one flow node (not its children, not its flows). Returns undefined for element types the
 * engine refuses; other refusals are recorded in `ctx` and a best-effort element is still returned.
 */
export function compileFlowNode(el: El, scopeId: string, scopeKind: ScopeKind, ctx: CompileContext): CompiledElement | undefined {
  const id = idOf(el);
  const refused = REFUSED_TYPES[el.$type];
  let type = TYPES[el.$type];
  if (refused || type === undefined) {
    ctx.refuse(id, refused ?? `${xmlName(el.$type)} is not supported`);
    return undefined;
  }
  if (type === 'SUB_PROCESS' && bool(el, 'triggeredByEvent')) type = 'EVENT_SUB_PROCESS';
  refuseListeners(el, ctx);
  const element: CompiledElement = {
    id,
    type,
    scopeId,
    incoming: [],
    outgoing: [],
    ...readIoMappings(el, ctx),
    boundaryEvents: [],
  };
  const name = str(el, 'name');
  if (name) element.name = name;
  const defaultFlow = idOf(child(el, 'default'));
  if (defaultFlow) element.defaultFlow = defaultFlow;

  if (isActivityType(type)) {
    if (bool(el, 'isForCompensation')) ctx.refuse(id, 'compensation is not supported');
    const multiInstance = readMultiInstance(el, ctx);
    if (multiInstance) element.multiInstance = multiInstance;
  }
  compileByType(el, element, scopeKind, ctx);
  return element;
}

function compileByType(el: El, element: CompiledElement, scopeKind: ScopeKind, ctx: CompileContext): void {
  const id = element.id;
  switch (element.type) {
    case 'START_EVENT': {
      const position: EventPosition =
        scopeKind === 'process' ? 'process start' : scopeKind === 'sub-process' ? 'sub-process start' : 'event sub-process start';
      setEvent(element, readEventDefinition(el, position, ctx, isInterrupting(el)));
      if (scopeKind === 'event sub-process') element.interrupting = isInterrupting(el);
      return;
    }
    case 'END_EVENT':
    case 'INTERMEDIATE_THROW_EVENT': {
      const event = readEventDefinition(el, element.type === 'END_EVENT' ? 'end' : 'intermediate throw', ctx);
      setEvent(element, event);
      if (event?.kind === 'message') {
        const job = readTaskDefinition(el, ctx, 'message throw event');
        if (job) element.job = job;
        else ctx.refuse(id, 'message throw event needs zeebe:taskDefinition (it is executed as a job)');
      }
      return;
    }
    case 'INTERMEDIATE_CATCH_EVENT':
      setEvent(element, readEventDefinition(el, 'intermediate catch', ctx));
      if (!element.eventDefinition) ctx.refuse(id, 'intermediate catch event needs a message, timer, signal or link event definition');
      return;
    case 'BOUNDARY_EVENT': {
      element.cancelActivity = isInterrupting(el);
      element.attachedTo = idOf(child(el, 'attachedToRef'));
      setEvent(element, readEventDefinition(el, 'boundary', ctx, element.cancelActivity));
      if (!element.eventDefinition) ctx.refuse(id, 'boundary event needs an error, timer, message, signal or escalation event definition');
      return;
    }
    case 'SERVICE_TASK':
    case 'SEND_TASK':
    case 'BUSINESS_RULE_TASK': {
      const what = element.type === 'SERVICE_TASK' ? 'service task' : element.type === 'SEND_TASK' ? 'send task' : 'business rule task';
      const calledDecision = element.type === 'BUSINESS_RULE_TASK' ? readCalledDecision(el, ctx) : undefined;
      if (calledDecision) {
        element.calledDecision = calledDecision;
        return;
      }
      if (element.type === 'BUSINESS_RULE_TASK' && extension(el, 'zeebe:CalledDecision')) return;
      const job = readTaskDefinition(el, ctx, what);
      if (job) element.job = job;
      else ctx.refuse(id, `${what} has no zeebe:taskDefinition type`);
      return;
    }
    case 'SCRIPT_TASK': {
      const script = extension(el, 'zeebe:Script');
      const job = readTaskDefinition(el, ctx, 'script task');
      if (script) {
        const expression = str(script, 'expression')?.trim() ?? '';
        const resultVariable = str(script, 'resultVariable')?.trim() ?? '';
        if (expression === '') ctx.refuse(id, 'script task needs zeebe:script expression');
        else ctx.expression(id, 'zeebe:script expression', expression, true);
        if (resultVariable === '') ctx.refuse(id, 'script task needs zeebe:script resultVariable');
        element.script = { expression, resultVariable };
      } else if (job) {
        element.job = job;
      } else {
        ctx.refuse(id, 'script task needs zeebe:script (FEEL) or zeebe:taskDefinition (job)');
      }
      return;
    }
    case 'USER_TASK': {
      const userTask = readUserTask(el, ctx);
      if (userTask) element.userTask = userTask;
      else element.job = readJobWorkerUserTask(el, ctx);
      return;
    }
    case 'RECEIVE_TASK': {
      const event = readCatchMessage(id, child(el, 'messageRef'), false, ctx, 'receive task');
      element.eventDefinition = event;
      return;
    }
    case 'CALL_ACTIVITY': {
      const calledElement = readCalledElement(el, ctx);
      if (calledElement) element.calledElement = calledElement;
      return;
    }
    case 'EVENT_BASED_GATEWAY':
      if (bool(el, 'instantiate')) ctx.refuse(id, 'instantiating event-based gateway is not supported');
      return;
    default:
      return;
  }
}

/** `bpmn:ComplexGateway` → `bpmn:complexGateway`, as the element is written in XML. */
function xmlName(type: string): string {
  const [prefix, local] = type.includes(':') ? type.split(':') as [string, string] : ['', type];
  return `${prefix ? `${prefix}:` : ''}${local.charAt(0).toLowerCase()}${local.slice(1)}`;
}

function setEvent(element: CompiledElement, event: CompiledElement['eventDefinition']): void {
  if (event) element.eventDefinition = event;
}
