/**
 * The process itself (instance type PROCESS): created, with its event sub-processes opened and its start
 * events activated, by ElementLifecycle.createInstance; it ends through endInstance, never through a flow.
 */
import { refusedAtDeploy, type ElementBehaviour } from './construct.js';

const createdByCreateInstance = (): never => {
  throw new Error('a process instance is created by ElementLifecycle.createInstance, never activated as an element');
};

export const processElement: ElementBehaviour<unknown> = {
  activate: createdByCreateInstance,
  enter: () => refusedAtDeploy('a sequence flow into a process'),
  leave: createdByCreateInstance,
  terminate: () => {},
  catching: undefined,
};
