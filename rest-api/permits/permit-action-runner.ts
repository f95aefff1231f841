/**
 * The common shape of a permit action that hands a decision to the process: check the caller, the version and
 * the status, send the message, record who did it, and return the permit as it now is. The process moves the
 * status on by itself (its `permit.set-status` worker); the response is the permit at the moment of acceptance.
 *
 * Order of effects (docs/adr/0006-engine-commands.md): everything is checked first, including that the process
 * waits for the message now (an open subscription; else 409 and nothing changed). Then one transaction writes the
 * audit entry under the intent's idempotency key and the engine command (the message owed to the process, with
 * that key as its id); only after it committed is the message published, with `messageId` = the key. A failure
 * anywhere after the commit leaves the command pending, and the engine-command relay publishes it again: the
 * engine refuses an id it already holds, so the process gets the message once and the audit log names who asked.
 *
 * One effect per intent: the key is made of the action, the correlation key and the permit's version (plus a hash
 * of the variables for actions that are not a status change, so two different amendments are two intents). Ten
 * identical concurrent requests make one audit entry and one message; the other nine answer 409 `conflict`. So
 * does an action while another of the permit's commands is still pending (the engine could not be reached).
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from '../../db/index.js';
import { ConflictError, NotFoundError, type MessageName } from '../../shared/index.js';
import type { Logger } from 'pino';
import type { EnginePort } from '../engine/engine-port.js';
import type { Caller } from '../identity/caller.js';
import type { PermitAccess, PermitContext, PermitView } from './permit-access.js';
import { processNotWaiting, type PermitAction } from './permit-actions.js';
import { checkMessageVariables, correlationKeyFor, type CorrelationInput, type MessageVariables } from './permit-messages.js';
import { deliverEngineCommand } from './engine-command-relay.js';
import type { PermitStore } from './permit-store.js';

export interface ActionRunnerDeps {
  access: PermitAccess;
  engine: EnginePort;
  store: Pick<PermitStore, 'runOnce'>;
  /** Where a delivery left to the relay is logged; default: not logged. */
  logger?: Logger;
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
    checkMessageVariables(request.message, request.variables);
    const correlationKey = correlationKeyFor(request.message, correlation);
    if (!(await deps.engine.isWaitingFor(request.message, correlationKey))) throw processNotWaiting(action, context.permit, caller, context.membership);
    const intent = intentKeyOf(action, correlationKey, request.variables);
    const result = await deps.store.runOnce(
      {
        permitId,
        intentKey: intent,
        audit: { actor: caller.userId, action: auditActionOf(action), permitId, details: { message: request.message, variables: request.variables, ...request.details } },
        command: { messageName: request.message, correlationKey, variables: request.variables },
      },
      async (command) => {
        await deliverEngineCommand(deps.engine, command);
      },
    );
    if (result.outcome === 'missing') throw new NotFoundError(`Permit ${permitId} does not exist or you are not on its team.`, { permitId });
    if (result.outcome === 'duplicate') {
      throw new ConflictError(
        `"${action}" was already requested for permit ${permitId} at this version and is being carried out; this repeat changed nothing. Reload the permit to see its status.`,
        { action, permitId },
      );
    }
    if (result.outcome === 'busy') {
      throw new ConflictError(
        `Another action on permit ${permitId} is still being handed to its process (the process engine could not be reached); this request changed nothing. Send it again in a few seconds.`,
        { action, permitId },
      );
    }
    if (result.outcome === 'pending') {
      deps.logger?.warn({ err: result.error, permitId, messageId: result.command.messageId }, 'engine command recorded but not delivered yet; the engine-command relay delivers it');
    }
    return deps.access.reload(caller, permitId);
  };
}
