/**
 * Sequence flows are an instance type in the REST API (`SEQUENCE_FLOW`) but the engine takes them
 * (ElementLifecycle.takeOutgoing) without creating element instances, as Zeebe does.
 */
import type { ElementBehaviour } from './construct.js';

const takenNotInstantiated = (): never => {
  throw new Error('sequence flows are taken by ElementLifecycle.takeOutgoing, never instantiated as elements');
};

export const sequenceFlow: ElementBehaviour<unknown> = {
  activate: takenNotInstantiated,
  enter: takenNotInstantiated,
  leave: takenNotInstantiated,
  terminate: takenNotInstantiated,
  catching: undefined,
};
