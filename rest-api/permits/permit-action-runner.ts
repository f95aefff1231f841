/**
 * The common shape of a permit action that hands a decision to the process: check the caller, the version and
 * the status, send the message, record who did it, and return the permit as it now is. The process moves the
 * status on by itself (its `permit.set-status` worker); the response is the permit at the moment of acceptance.
 *
 * One effect per intent: the audit entry and the message go together through `PermitStore.runOnce`, under an
 * idempotency key made of the action, the correlation key and the permit's version (plus a hash of the
 * variables for actions that are not a status change, so two different amendments are two intents). The permit
 * row is locked while the audit entry is written and the message sent, so ten identical concurrent requests
 * make one audit entry and one message (hence one status change and one set of notifications); the other nine
 * answer 409 `conflict`. A refused message (the process is not waiting) or an unreachable engine rolls the
 * audit entry back: the request changed nothing and may be retried.
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from '../../db/index.js';
import { ConflictError, NotFoundError, type MessageName } from '../../shared/index.js';
import type { EnginePort } from '../engine/engine-port.js';
import type { Caller } from '../identity/caller.js';
import type { PermitAccess, PermitContext, PermitView } from './permit-access.js';
import { processNotWaiting, type PermitAction } from './permit-actions.js';
import { correlationKeyFor, sendPermitMessage, type CorrelationInput, type MessageVariables } from './permit-messages.js';
import type { PermitStore } from './permit-store.js';

export interface ActionRunnerDeps {
  access: PermitAccess;
  engine: EnginePort;
  store: Pick<PermitStore, 'runOnce'>;
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

/** Actions whose intent is a status change: a second one at the same version is the same intent whatever it says. */
const STATUS_INTENTS: ReadonlySet<PermitAction> = new Set<PermitAction>(['submit', 'withdraw', 'provide-info', 'initiate-ingress', 'submit-setup-for-review', 'suspend', 'resume', 'revoke', 'close']);

/** The idempotency key of an action at a permit version (see the header). */
export function intentKeyOf(action: PermitAction, correlationKey: string, variables: Record<string, unknown>): (version: number) => string {
  const what = STATUS_INTENTS.has(action) ? '' : `:${createHash('sha256').update(canonicalJson(variables)).digest('hex').slice(0, 32)}`;
  return (version) => `api:${auditActionOf(action)}:${correlationKey}:v${version}${what}`;
}

export function createActionRunner(deps: ActionRunnerDeps): ActionRunner {
  return async (request) => {
    const { caller, permitId, action } = request;
    const context = await deps.access.forAction(caller, permitId, action, request.expectedVersion);
    await request.check?.(context);
    const correlation = { ...request.correlation, permitId };
    const intent = intentKeyOf(action, correlationKeyFor(request.message, correlation), request.variables);
    const outcome = await deps.store.runOnce(
      {
        permitId,
        intentKey: intent,
        audit: { actor: caller.userId, action: auditActionOf(action), permitId, details: { message: request.message, variables: request.variables, ...request.details } },
      },
      async () => {
        const taken = await sendPermitMessage(deps.engine, request.message, correlation, request.variables);
        if (!taken) throw processNotWaiting(action, context.permit, caller, context.membership);
      },
    );
    if (outcome === 'missing') throw new NotFoundError(`Permit ${permitId} does not exist or you are not on its team.`, { permitId });
    if (outcome === 'duplicate') {
      throw new ConflictError(
        `"${action}" was already requested for permit ${permitId} at this version and is being carried out; this repeat changed nothing. Reload the permit to see its status.`,
        { action, permitId },
      );
    }
    return deps.access.reload(caller, permitId);
  };
}
