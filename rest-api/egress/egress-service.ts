/**
 * Egress (output) requests: the research team drafts a request (files and the disclosure checks they applied),
 * submits it for review, and resubmits it after rework. Review decisions go through `POST /permits/{id}/review`
 * with stage EGRESS; the egress process (BPMN 5) moves the request through its statuses.
 */
import { randomUUID } from 'node:crypto';
import { EGRESS_TRANSITIONS, InvalidTransitionError, MESSAGES, NotFoundError } from '../../shared/index.js';
import type { EgressFile, EgressRequest } from '../../db/index.js';
import type { EnginePort } from '../engine/engine-port.js';
import type { Caller } from '../identity/caller.js';
import type { PermitAccess } from '../permits/permit-access.js';
import { processNotWaiting } from '../permits/permit-actions.js';
import { sendPermitMessage } from '../permits/permit-messages.js';
import type { EgressStore } from './egress-store.js';

export interface CreateEgressInput {
  title: string;
  files: EgressFile[];
  disclosureChecks?: unknown;
  requiredReviews?: 1 | 2 | undefined;
}

export interface EgressServiceDeps {
  access: PermitAccess;
  engine: EnginePort;
  store: EgressStore;
  newId?: () => string;
}

export type EgressService = ReturnType<typeof createEgressService>;

export function createEgressService(deps: EgressServiceDeps) {
  const newId = deps.newId ?? randomUUID;

  async function find(permitId: string, requestId: string): Promise<EgressRequest> {
    const request = await deps.store.find(permitId, requestId);
    if (!request) throw new NotFoundError(`Permit ${permitId} has no egress request ${requestId}.`, { permitId, egressRequestId: requestId });
    return request;
  }

  return {
    async create(caller: Caller, permitId: string, input: CreateEgressInput): Promise<EgressRequest> {
      await deps.access.forAction(caller, permitId, 'create-egress-request');
      return deps.store.create({
        id: newId(),
        permitId,
        title: input.title,
        files: input.files,
        disclosureChecks: input.disclosureChecks ?? null,
        requiredReviews: input.requiredReviews ?? 1,
        createdBy: caller.userId,
      });
    },

    async list(caller: Caller, permitId: string): Promise<EgressRequest[]> {
      await deps.access.load(caller, permitId);
      return deps.store.list(permitId);
    },

    async get(caller: Caller, permitId: string, requestId: string): Promise<EgressRequest> {
      await deps.access.load(caller, permitId);
      return find(permitId, requestId);
    },

    /** First submission (DRAFT) or resubmission after rework (REWORK_REQUESTED). `expectedVersion` is the request's. */
    async submit(caller: Caller, permitId: string, requestId: string, expectedVersion?: number): Promise<EgressRequest> {
      const context = await deps.access.forAction(caller, permitId, 'submit-egress-request');
      const request = await find(permitId, requestId);
      if (!(EGRESS_TRANSITIONS[request.status] as readonly string[]).includes('SUBMITTED')) {
        throw new InvalidTransitionError(
          `Egress request ${requestId} is ${request.status}; only a DRAFT or a request sent back for rework can be submitted.`,
          request.status,
          [],
          { permitId, egressRequestId: requestId },
        );
      }
      const first = request.status === 'DRAFT';
      const send = (): Promise<boolean> =>
        first
          ? sendPermitMessage(deps.engine, MESSAGES.egressRequestSubmitted, { permitId }, {
              egressRequestId: request.id,
              egressSubmittedBy: caller.userId,
              egressSubmitterName: caller.name,
              // What the reviewer's form shows: the request's title and files as the team described them.
              egressTitle: request.title,
              egressFiles: request.files,
              disclosureChecks: request.disclosureChecks,
              egressRequiredReviews: request.requiredReviews,
            })
          : sendPermitMessage(deps.engine, MESSAGES.egressRequestResubmitted, { permitId, egressRequestId: requestId }, {
              egressSubmittedBy: caller.userId,
              egressSubmitterName: caller.name,
              egressTitle: request.title,
              egressFiles: request.files,
              disclosureChecks: request.disclosureChecks,
            });
      return deps.store.submit(
        { permitId, requestId, from: request.status, actor: caller.userId, expectedVersion, auditDetails: { egressRequestId: requestId, resubmission: !first } },
        async () => {
          if (!(await send())) throw processNotWaiting('submit-egress-request', context.permit, caller, context.membership);
        },
      );
    },
  };
}
