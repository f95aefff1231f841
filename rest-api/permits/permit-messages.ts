/**
 * Messages into the permit's processes. The variables a message carries are typed from MESSAGE_CONTRACTS, so a
 * message can only be sent with exactly the variables its contract lists; the correlation key is computed from
 * the permit (and, for per-holder uploads, the data holder) the way each catch event's FEEL key computes it.
 * Messages are never correlated from inside a request's transaction: they are recorded as engine commands and
 * published by id after the commit (permit-action-runner.ts, engine-command-relay.ts, docs/adr/0006).
 */
import { MESSAGES, MESSAGE_CONTRACTS, type MessageName } from '../../shared/index.js';

/** The variable names a message carries, from its contract. */
export type MessageVariableName<M extends MessageName> = (typeof MESSAGE_CONTRACTS)[M]['variables'][number];
export type MessageVariables<M extends MessageName> = Record<MessageVariableName<M>, unknown>;

/** What the catch events evaluate as their correlation key (see MESSAGE_CONTRACTS[name].correlationKey). */
export type CorrelationInput = { permitId: string; dataHolder?: string; egressRequestId?: string };

export function correlationKeyFor(name: MessageName, input: CorrelationInput): string {
  if (name === MESSAGES.ingressUploadConfirmed) {
    if (!input.dataHolder) throw new Error(`Message ${name} needs the data holder for its correlation key.`);
    return `${input.permitId}/${input.dataHolder}`;
  }
  if (name === MESSAGES.egressRequestResubmitted) {
    if (!input.egressRequestId) throw new Error(`Message ${name} needs the egress request id for its correlation key.`);
    return input.egressRequestId;
  }
  return input.permitId;
}

/** Throws (a programming error) when the variables are not exactly the ones the message's contract lists. */
export function checkMessageVariables(name: MessageName, variables: Record<string, unknown>): void {
  const expected = MESSAGE_CONTRACTS[name].variables as readonly string[];
  const extra = Object.keys(variables).filter((variable) => !expected.includes(variable));
  if (extra.length > 0) throw new Error(`Message ${name} does not carry ${extra.join(', ')} (contract: ${expected.join(', ')}).`);
}
