/**
 * The common shape of a permit action that hands a decision to the process: check the caller, the version and
 * the status, send the message, record who did it, and return the permit as it now is. The process moves the
 * status on by itself (its `permit.set-status` worker); the response is the permit at the moment of acceptance.
 */
import type { MessageName } from '../../shared/index.js';
import type { EnginePort } from '../engine/engine-port.js';
import type { Caller } from '../identity/caller.js';
import type { PermitAccess, PermitContext, PermitView } from './permit-access.js';
import { processNotWaiting, type PermitAction } from './permit-actions.js';
import { sendPermitMessage, type CorrelationInput, type MessageVariables } from './permit-messages.js';
import type { PermitStore } from './permit-store.js';

export interface ActionRunnerDeps {
  access: PermitAccess;
  engine: EnginePort;
  store: Pick<PermitStore, 'audit'>;
}

export interface MessageActionRequest<M extends MessageName> {
  caller: Caller;
  permitId: string;
  action: PermitAction;
  expectedVersion?: number | undefined;
  message: M;
  /** Extra correlation input (data holder, egress request id); `permitId` is always set. */
  correlation?: Omit<CorrelationInput, 'permitId'>;
  variables: MessageVariables<M>;
  /** Extra audit details besides the message name and variables. */
  details?: Record<string, unknown>;
  /** Checks of its own after the common ones (e.g. the data holder is on the ingress list). */
  check?: (context: PermitContext) => void | Promise<void>;
}

export type ActionRunner = <M extends MessageName>(request: MessageActionRequest<M>) => Promise<PermitView>;

/** Audit action recorded for a permit action, e.g. `permit.submit`. */
export function auditActionOf(action: PermitAction): string {
  return `permit.${action}`;
}

export function createActionRunner(deps: ActionRunnerDeps): ActionRunner {
  return async (request) => {
    const { caller, permitId, action } = request;
    const context = await deps.access.forAction(caller, permitId, action, request.expectedVersion);
    await request.check?.(context);
    const taken = await sendPermitMessage(deps.engine, request.message, { ...request.correlation, permitId }, request.variables);
    if (!taken) throw processNotWaiting(action, context.permit, caller, context.membership);
    await deps.store.audit({
      actor: caller.userId,
      action: auditActionOf(action),
      permitId,
      details: { message: request.message, variables: request.variables, ...request.details },
    });
    return deps.access.reload(caller, permitId);
  };
}
