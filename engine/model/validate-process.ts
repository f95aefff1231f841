import type { CompileContext } from './compile-context.js';
import { isActivityType } from './compile-element.js';
import type { CompiledElement, CompiledProcess } from './types.js';

/**
 * Whole-process checks that Zeebe makes at deploy time and that would otherwise break at runtime:
 * gateway conditions, default flows, event placement, boundary attachment, link pairs.
 */
export function validateProcess(process: CompiledProcess, ctx: CompileContext): void {
  for (const element of Object.values(process.elements)) {
    validateFlows(element, process, ctx);
    switch (element.type) {
      case 'START_EVENT':
        if (element.incoming.length > 0) ctx.refuse(element.id, 'start event must not have incoming sequence flows');
        break;
      case 'END_EVENT':
        if (element.outgoing.length > 0) ctx.refuse(element.id, 'end event must not have outgoing sequence flows');
        break;
      case 'BOUNDARY_EVENT':
        validateBoundaryEvent(element, process, ctx);
        break;
      case 'EVENT_SUB_PROCESS':
        if (element.incoming.length > 0 || element.outgoing.length > 0) {
          ctx.refuse(element.id, 'event sub-process must not have incoming or outgoing sequence flows');
        }
        break;
      case 'EVENT_BASED_GATEWAY':
        validateEventBasedGateway(element, process, ctx);
        break;
      default:
        break;
    }
  }
  validateLinks(process, ctx);
}

function validateFlows(element: CompiledElement, process: CompiledProcess, ctx: CompileContext): void {
  const outgoing = element.outgoing.map((id) => process.flows[id]!);
  if (element.defaultFlow !== undefined && !element.outgoing.includes(element.defaultFlow)) {
    ctx.refuse(element.id, `default flow '${element.defaultFlow}' is not an outgoing sequence flow of the element`);
  }
  const conditional = outgoing.filter((flow) => flow.condition !== undefined);
  switch (element.type) {
    case 'EXCLUSIVE_GATEWAY':
    case 'INCLUSIVE_GATEWAY': {
      if (outgoing.length <= 1) return;
      for (const flow of outgoing) {
        if (flow.condition === undefined && flow.id !== element.defaultFlow) {
          ctx.refuse(flow.id, `sequence flow leaving gateway '${element.id}' needs a condition expression or must be the gateway's default flow`);
        }
      }
      if (element.defaultFlow !== undefined && process.flows[element.defaultFlow]?.condition !== undefined) {
        ctx.refuse(element.defaultFlow, 'a default flow must not have a condition expression');
      }
      return;
    }
    default:
      for (const flow of conditional) {
        const where = element.type === 'PARALLEL_GATEWAY' ? 'a parallel gateway' : `a ${element.type.toLowerCase().replace(/_/g, ' ')}`;
        ctx.refuse(flow.id, `conditional sequence flows leaving ${where} are not supported; conditions belong on exclusive or inclusive gateways`);
      }
  }
}

function validateBoundaryEvent(event: CompiledElement, process: CompiledProcess, ctx: CompileContext): void {
  const activity = event.attachedTo === undefined ? undefined : process.elements[event.attachedTo];
  if (!activity || !isActivityType(activity.type)) {
    ctx.refuse(event.id, `boundary event must be attached to an activity (attachedToRef '${event.attachedTo ?? ''}')`);
  } else {
    activity.boundaryEvents.push(event.id);
  }
  if (event.incoming.length > 0) ctx.refuse(event.id, 'boundary event must not have incoming sequence flows');
  if (event.outgoing.length === 0) ctx.refuse(event.id, 'boundary event needs at least one outgoing sequence flow');
}

function validateEventBasedGateway(gateway: CompiledElement, process: CompiledProcess, ctx: CompileContext): void {
  if (gateway.outgoing.length < 2) ctx.refuse(gateway.id, 'event-based gateway needs at least two outgoing sequence flows');
  for (const flowId of gateway.outgoing) {
    const target = process.elements[process.flows[flowId]!.targetId];
    if (!target) continue;
    const kind = target.eventDefinition?.kind;
    const ok =
      target.type === 'RECEIVE_TASK' ||
      (target.type === 'INTERMEDIATE_CATCH_EVENT' && (kind === 'message' || kind === 'timer' || kind === 'signal'));
    if (!ok) ctx.refuse(target.id, 'event-based gateway target must be a message/timer/signal catch event or receive task');
    else if (target.incoming.length > 1) ctx.refuse(target.id, 'event-based gateway target must not have other incoming sequence flows');
  }
}

function validateLinks(process: CompiledProcess, ctx: CompileContext): void {
  const catches = new Map<string, CompiledElement>();
  const throws: CompiledElement[] = [];
  for (const element of Object.values(process.elements)) {
    if (element.eventDefinition?.kind !== 'link') continue;
    const key = `${element.scopeId}\u0000${element.eventDefinition.name}`;
    if (element.type === 'INTERMEDIATE_CATCH_EVENT') {
      if (catches.has(key)) ctx.refuse(element.id, `link catch event name '${element.eventDefinition.name}' is used twice in the same scope`);
      catches.set(key, element);
    } else {
      throws.push(element);
    }
  }
  const thrown = new Set<string>();
  for (const element of throws) {
    const key = `${element.scopeId}\u0000${(element.eventDefinition as { name: string }).name}`;
    thrown.add(key);
    if (!catches.has(key)) ctx.refuse(element.id, 'link throw without matching catch in the same scope');
  }
  for (const [key, element] of catches) {
    if (!thrown.has(key)) ctx.refuse(element.id, 'link catch without matching throw in the same scope');
  }
}
