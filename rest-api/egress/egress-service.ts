/**
 * Egress (output) requests: the research team drafts a request (files and the disclosure checks they applied),
 * submits it for review, and resubmits it after rework. Review decisions go through `POST /permits/{id}/review`
 * with stage EGRESS; the egress process (BPMN 5) moves the request through its statuses.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { EGRESS_TRANSITIONS, InvalidTransitionError, MESSAGES, NotFoundError, PreconditionFailedError, ValidationError } from '../../shared/index.js';
import type { EgressFile, EgressRequest, EngineCommand } from '../../db/index.js';
import type { EnginePort } from '../engine/engine-port.js';
import type { Caller } from '../identity/caller.js';
import type { PermitAccess } from '../permits/permit-access.js';
import { processNotWaiting } from '../permits/permit-actions.js';
import { deliverEngineCommand } from '../permits/engine-command-relay.js';
import { checkMessageVariables, correlationKeyFor } from '../permits/permit-messages.js';
import type { IdempotencyScope } from '../permits/permit-store.js';
import type { EgressStore } from './egress-store.js';
import type { AirlockStore } from '../../airlock/store/airlock-store.js';
import { checkFile, notCheckedResult } from '../../airlock/disclosure/check-file.js';
import { mediaTypeOf } from '../../airlock/release/media-type.js';
import type { EgressFileCheck, EgressFilesStore } from './egress-files-store.js';
import { checkOutputPath } from './egress-files-service.js';

export interface CreateEgressInput {
  title: string;
  files: EgressFile[];
  disclosureChecks?: unknown;
}

export interface EgressServiceDeps {
  access: PermitAccess;
  engine: EnginePort;
  store: EgressStore;
  /** The airlock's outputs zone and the egress file tables: with them, submitting checks every file (issue 16). */
  airlock?: AirlockStore;
  files?: EgressFilesStore;
  newId?: () => string;
  now?: () => Date;
  /** Where a submission whose message is left to the engine-command relay is logged; default: not logged. */
  logger?: Logger;
}

/** The id of a submission's engine command: one per request version, so a repeat at that version is the same intent. */
export function submissionMessageId(requestId: string, version: number): string {
  return `api:egress.request-submitted:${requestId}:v${version}`;
}

export type EgressService = ReturnType<typeof createEgressService>;

export function createEgressService(deps: EgressServiceDeps) {
  const newId = deps.newId ?? randomUUID;

  async function find(permitId: string, requestId: string): Promise<EgressRequest> {
    const request = await deps.store.find(permitId, requestId);
    if (!request) throw new NotFoundError(`Permit ${permitId} has no egress request ${requestId}.`, { permitId, egressRequestId: requestId });
    return request;
  }

  /**
   * Every file of the request as it is in outputs now, with the disclosure checks' result on it (tables checked
   * with the permit's thresholds, other files marked for review by eye). Refuses, changing nothing, when a file
   * is not in outputs.
   */
  async function checkRequestFiles(permitId: string, request: EgressRequest): Promise<EgressFileCheck[] | undefined> {
    const { airlock, files } = deps;
    if (!airlock || !files) return undefined;
    for (const file of request.files) checkOutputPath(file.path);
    const objects = await Promise.all(request.files.map((file) => airlock.stat({ permitId, zone: 'outputs', path: file.path })));
    const missing = request.files.filter((_, i) => !objects[i]).map((f) => f.path);
    if (missing.length > 0) {
      throw new ValidationError(`Output request ${request.id} names files that are not in the workspace's outputs: ${missing.join(', ')}. Put them there first (PUT /api/permits/${permitId}/outputs?path=...), or remove them from the request.`, {
        errors: missing.map((path) => ({ path: 'files', message: `${path} is not in outputs` })),
      });
    }
    const { thresholds } = await files.thresholds(permitId);
    const now = deps.now ?? (() => new Date());
    const checks: EgressFileCheck[] = [];
    for (const [i, file] of request.files.entries()) {
      const object = objects[i] as NonNullable<(typeof objects)[number]>;
      const context = { path: file.path, sha256: object.sha256, size: object.sizeBytes, thresholds, now };
      const result = file.path.match(/\.(csv|tsv)$/i) ? await checkFile(await airlock.open({ permitId, zone: 'outputs', path: file.path }), context) : notCheckedResult(context, 'it is not a table (the checks read .csv and .tsv files)');
      checks.push({ path: file.path, sha256: object.sha256, sizeBytes: object.sizeBytes, mediaType: mediaTypeOf(file.path), status: result.status, result, checkedAt: result.checkedAt });
    }
    return checks;
  }

  /** What the reviewer's form lists per file: the team's words, size, sha256 and the checks' summary. */
  function formFiles(request: EgressRequest, checks: EgressFileCheck[] | undefined): unknown[] {
    if (!checks) return request.files;
    return request.files.map((file) => {
      const check = checks.find((c) => c.path === file.path);
      return { ...file, ...(check ? { sizeBytes: check.sizeBytes, sha256: check.sha256, mediaType: check.mediaType, checkStatus: check.status, checkSummary: check.result.summary } : {}) };
    });
  }

  return {
    /** With an `Idempotency-Key` (held by the request), the key is bound to the new request in its transaction. */
    async create(caller: Caller, permitId: string, input: CreateEgressInput, idempotency?: IdempotencyScope): Promise<EgressRequest> {
      await deps.access.forAction(caller, permitId, 'create-egress-request');
      return deps.store.create(
        {
        id: newId(),
        permitId,
        title: input.title,
        files: input.files,
        disclosureChecks: input.disclosureChecks ?? null,
        createdBy: caller.userId,
        },
        idempotency,
      );
    },

    async list(caller: Caller, permitId: string): Promise<EgressRequest[]> {
      await deps.access.load(caller, permitId);
      return deps.store.list(permitId);
    },

    async get(caller: Caller, permitId: string, requestId: string): Promise<EgressRequest> {
      await deps.access.load(caller, permitId);
      return find(permitId, requestId);
    },

    /**
     * First submission (DRAFT) or resubmission after rework (REWORK_REQUESTED). `expectedVersion` is the request's.
     * Order of effects (docs/adr/0006-engine-commands.md): every check first, the files' disclosure checks and that
     * the egress process waits for this message now included (else 409, nothing written); then one transaction
     * moves the request, writes the checks, the audit entry and the engine command; the message is published after
     * the commit with the command's id, and a failed publication is left to the engine-command relay.
     */
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
      if (expectedVersion !== undefined && expectedVersion !== request.version) {
        throw new PreconditionFailedError(`Egress request ${requestId} has changed: its current ETag is "${request.version}". Read it again and retry.`);
      }
      const first = request.status === 'DRAFT';
      const fileChecks = await checkRequestFiles(permitId, request);
      const egressFiles = formFiles(request, fileChecks);
      const message = first ? MESSAGES.egressRequestSubmitted : MESSAGES.egressRequestResubmitted;
      const variables: Record<string, unknown> = first
        ? {
            egressRequestId: request.id,
            egressSubmittedBy: caller.userId,
            egressSubmitterName: caller.name,
            // What the reviewer's form shows: the request's title and files as the team described them.
            egressTitle: request.title,
            egressFiles,
            disclosureChecks: request.disclosureChecks,
          }
        : { egressSubmittedBy: caller.userId, egressSubmitterName: caller.name, egressTitle: request.title, egressFiles, disclosureChecks: request.disclosureChecks };
      checkMessageVariables(message, variables);
      const correlationKey = correlationKeyFor(message, { permitId, egressRequestId: requestId });
      if (!(await deps.engine.isWaitingFor(message, correlationKey))) throw processNotWaiting('submit-egress-request', context.permit, caller, context.membership);
      const command: EngineCommand = { messageId: submissionMessageId(requestId, request.version), permitId, messageName: message, correlationKey, variables };
      const { request: submitted, delivery } = await deps.store.submit(
        {
          permitId,
          requestId,
          from: request.status,
          version: request.version,
          expectedVersion,
          actor: caller.userId,
          auditDetails: { egressRequestId: requestId, resubmission: !first, ...(fileChecks ? { files: fileChecks.map((c) => ({ path: c.path, sha256: c.sha256, check: c.status })) } : {}) },
          ...(fileChecks ? { fileChecks } : {}),
          command,
        },
        async (recorded) => {
          await deliverEngineCommand(deps.engine, recorded);
        },
      );
      if (delivery.outcome === 'pending') {
        deps.logger?.warn({ err: delivery.error, permitId, messageId: command.messageId }, 'output request submitted; its message is not delivered yet, the engine-command relay delivers it');
      }
      return submitted;
    },
  };
}
