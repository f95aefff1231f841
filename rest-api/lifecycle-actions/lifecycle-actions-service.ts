/**
 * Interventions in a running permit: suspend and resume (HDAB, on an incident), revoke (HDAB), close early
 * (research team or HDAB, during analysis) and request an amendment (research team or HDAB). Each is a message
 * to the lifecycle process; the amendment, suspension and revocation process (BPMN 6) does the rest.
 */
import { MESSAGES } from '../../shared/index.js';
import type { EnginePort } from '../engine/engine-port.js';
import type { Caller } from '../identity/caller.js';
import type { PermitAccess, PermitView } from '../permits/permit-access.js';
import { createActionRunner } from '../permits/permit-action-runner.js';
import type { PermitStore } from '../permits/permit-store.js';
import type { UserDirectory } from '../team/user-directory-port.js';
import { assertAmendmentMembers } from './amendment-members.js';

/** What an amendment asks to change; `permit.apply-amendment` applies it once the HDAB approves. */
export interface AmendmentRequest {
  summary: string;
  validUntil?: string | undefined;
  addMembers?: { userId: string; teamRole: string }[] | undefined;
  removeMembers?: { userId: string; teamRole?: string | undefined }[] | undefined;
}

export interface LifecycleActionsDeps {
  access: PermitAccess;
  engine: EnginePort;
  permits: Pick<PermitStore, 'audit' | 'members' | 'runOnce'>;
  /** Who may join the permit's teams through an amendment (team rules, amendment-members.ts). */
  directory: UserDirectory;
}

export type LifecycleActionsService = ReturnType<typeof createLifecycleActionsService>;

export function createLifecycleActionsService(deps: LifecycleActionsDeps) {
  const run = createActionRunner({ access: deps.access, engine: deps.engine, store: deps.permits });
  return {
    suspend(caller: Caller, permitId: string, input: { reason: string }, expectedVersion?: number): Promise<PermitView> {
      return run({
        caller,
        permitId,
        action: 'suspend',
        expectedVersion,
        message: MESSAGES.suspensionRequested,
        variables: { suspensionReason: input.reason, suspendedBy: caller.userId },
      });
    },

    resume(caller: Caller, permitId: string, input: { reason?: string | undefined }, expectedVersion?: number): Promise<PermitView> {
      return run({
        caller,
        permitId,
        action: 'resume',
        expectedVersion,
        message: MESSAGES.resumeRequested,
        variables: { resumedBy: caller.userId, resumeReason: input.reason ?? null },
      });
    },

    revoke(caller: Caller, permitId: string, input: { reason: string }, expectedVersion?: number): Promise<PermitView> {
      return run({
        caller,
        permitId,
        action: 'revoke',
        expectedVersion,
        message: MESSAGES.revocationRequested,
        variables: { revocationReason: input.reason, revokedBy: caller.userId },
      });
    },

    close(caller: Caller, permitId: string, input: { reason?: string | undefined }, expectedVersion?: number): Promise<PermitView> {
      return run({
        caller,
        permitId,
        action: 'close',
        expectedVersion,
        message: MESSAGES.analysisCloseRequested,
        variables: { closeRequestedBy: caller.userId, closeReason: input.reason ?? null },
      });
    },

    requestAmendment(caller: Caller, permitId: string, amendment: AmendmentRequest, expectedVersion?: number): Promise<PermitView> {
      return run({
        caller,
        permitId,
        action: 'request-amendment',
        expectedVersion,
        message: MESSAGES.amendmentRequested,
        variables: { amendment: withFullValidityEnd(amendment), amendmentRequestedBy: caller.userId, amendmentRequesterName: caller.name },
        check: (context) => assertAmendmentMembers(deps, caller, context, amendment),
      });
    },
  };
}

/**
 * The processes compute timers with `date and time(validUntil)`, which needs a date-time: a calendar date (accepted
 * by the API) becomes the end of that day, UTC, as `permit.apply-amendment` reads it too.
 */
function withFullValidityEnd(amendment: AmendmentRequest): AmendmentRequest {
  const { validUntil } = amendment;
  return validUntil !== undefined && /^\d{4}-\d{2}-\d{2}$/.test(validUntil) ? { ...amendment, validUntil: `${validUntil}T23:59:59.999Z` } : amendment;
}
