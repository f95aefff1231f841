/**
 * The element table: one behaviour per element instance type (model/types.ts `ElementType`, less sequence
 * flows). A type added to `ElementType` without an entry here does not compile.
 */
import type { ElementBehaviour, InstanceType, Processor } from './construct.js';
import { businessRuleTask } from './activities/business-rule-task.js';
import { callActivity } from './activities/call-activity.js';
import { manualTask, undefinedTask } from './activities/manual-task.js';
import { receiveTask } from './activities/receive-task.js';
import { scriptTask } from './activities/script-task.js';
import { sendTask } from './activities/send-task.js';
import { serviceTask } from './activities/service-task.js';
import { eventSubProcess, subProcess } from './activities/sub-process.js';
import { userTask } from './activities/user-task.js';
import { boundaryEvent } from './events/boundary-event.js';
import { endEvent } from './events/end-event.js';
import { intermediateCatchEvent } from './events/intermediate-catch-event.js';
import { intermediateThrowEvent } from './events/intermediate-throw-event.js';
import { startEvent } from './events/start-event.js';
import { eventBasedGateway } from './gateways/event-based-gateway.js';
import { exclusiveGateway } from './gateways/exclusive-gateway.js';
import { inclusiveGateway } from './gateways/inclusive-gateway.js';
import { parallelGateway } from './gateways/parallel-gateway.js';
import { multiInstanceBody } from './multi-instance.js';
import { processElement } from './process.js';
import { sequenceFlow } from './sequence-flow.js';

export type ElementTable = { readonly [T in InstanceType]: ElementBehaviour<Processor> };

const ELEMENT_BEHAVIOURS = {
  PROCESS: processElement,
  SUB_PROCESS: subProcess,
  EVENT_SUB_PROCESS: eventSubProcess,
  START_EVENT: startEvent,
  INTERMEDIATE_CATCH_EVENT: intermediateCatchEvent,
  INTERMEDIATE_THROW_EVENT: intermediateThrowEvent,
  BOUNDARY_EVENT: boundaryEvent,
  END_EVENT: endEvent,
  SERVICE_TASK: serviceTask,
  RECEIVE_TASK: receiveTask,
  USER_TASK: userTask,
  MANUAL_TASK: manualTask,
  TASK: undefinedTask,
  EXCLUSIVE_GATEWAY: exclusiveGateway,
  INCLUSIVE_GATEWAY: inclusiveGateway,
  PARALLEL_GATEWAY: parallelGateway,
  EVENT_BASED_GATEWAY: eventBasedGateway,
  SEQUENCE_FLOW: sequenceFlow,
  MULTI_INSTANCE_BODY: multiInstanceBody,
  CALL_ACTIVITY: callActivity,
  BUSINESS_RULE_TASK: businessRuleTask,
  SCRIPT_TASK: scriptTask,
  SEND_TASK: sendTask,
} as const satisfies ElementTable;

/** The behaviour of an element instance type. */
export function elementBehaviour(type: InstanceType): ElementBehaviour<Processor> {
  return (ELEMENT_BEHAVIOURS as ElementTable)[type];
}

/** The catch behaviour of a catch element; a programming error for an element that never waits for an event. */
export function catchBehaviour(type: InstanceType): NonNullable<ElementBehaviour<Processor>['catching']> {
  const catching = elementBehaviour(type).catching;
  if (!catching) throw new Error(`element type ${type} does not catch events, but an event was delivered to it`);
  return catching;
}
