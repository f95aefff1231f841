/** Egress (output) requests: knex, plain objects out. */
import type { Knex } from 'knex';
import { ConflictError, PreconditionFailedError, type EgressStatus } from '../../shared/index.js';
import { writeFileChecks, type EgressFileCheck } from './egress-files-store.js';
import { TABLES, appendAudit, toEgressRequest, type EgressFile, type EgressRequest, type EgressRequestRow } from '../../db/index.js';

export interface NewEgressRequest {
  id: string;
  permitId: string;
  title: string;
  files: EgressFile[];
  disclosureChecks: unknown;
  requiredReviews: 1 | 2;
  createdBy: string;
}

export interface EgressSubmission {
  permitId: string;
  requestId: string;
  /** The status the request must still be in. */
  from: EgressStatus;
  actor: string;
  expectedVersion?: number | undefined;
  auditDetails: Record<string, unknown>;
  /** The files as checked at this submission; replaces earlier checks in the same transaction. */
  fileChecks?: readonly EgressFileCheck[] | undefined;
}

export interface EgressStore {
  create(request: NewEgressRequest): Promise<EgressRequest>;
  list(permitId: string): Promise<EgressRequest[]>;
  find(permitId: string, requestId: string): Promise<EgressRequest | undefined>;
  /** Moves the request to SUBMITTED and records the submitter; `confirm` (the message) runs before commit. */
  submit(submission: EgressSubmission, confirm: () => Promise<void>): Promise<EgressRequest>;
}

export function createEgressStore(knex: Knex): EgressStore {
  return {
    async create(request) {
      return knex.transaction(async (trx) => {
        const [row] = (await trx<EgressRequestRow>(TABLES.egressRequests)
          .insert({
            id: request.id,
            permit_id: request.permitId,
            status: 'DRAFT',
            title: request.title,
            files: JSON.stringify(request.files) as never,
            disclosure_checks: request.disclosureChecks === undefined ? null : (JSON.stringify(request.disclosureChecks) as never),
            required_reviews: request.requiredReviews,
            created_by: request.createdBy,
          })
          .returning('*')) as EgressRequestRow[];
        await appendAudit(trx, {
          actor: request.createdBy,
          action: 'egress.request-created',
          permitId: request.permitId,
          details: { egressRequestId: request.id, title: request.title, files: request.files.map((f) => f.path) },
        });
        return toEgressRequest(row as EgressRequestRow);
      });
    },

    async list(permitId) {
      const rows = await knex<EgressRequestRow>(TABLES.egressRequests).where({ permit_id: permitId }).orderBy([{ column: 'created_at' }, { column: 'id' }]);
      return rows.map(toEgressRequest);
    },

    async find(permitId, requestId) {
      const row = await knex<EgressRequestRow>(TABLES.egressRequests).where({ permit_id: permitId, id: requestId }).first();
      return row ? toEgressRequest(row) : undefined;
    },

    async submit(submission, confirm) {
      return knex.transaction(async (trx) => {
        const query = trx<EgressRequestRow>(TABLES.egressRequests).where({ id: submission.requestId, permit_id: submission.permitId, status: submission.from });
        if (submission.expectedVersion !== undefined) query.andWhere({ version: submission.expectedVersion });
        const [row] = (await query
          .update({ status: 'SUBMITTED', submitted_by: submission.actor, version: trx.raw('version + 1'), updated_at: trx.fn.now() } as never)
          .returning('*')) as EgressRequestRow[];
        if (!row) {
          const current = await trx<EgressRequestRow>(TABLES.egressRequests).where({ id: submission.requestId }).first();
          if (current && submission.expectedVersion !== undefined && current.version !== submission.expectedVersion) {
            throw new PreconditionFailedError(`Egress request ${submission.requestId} has changed: its current ETag is "${current.version}". Read it again and retry.`);
          }
          throw new ConflictError(`Egress request ${submission.requestId} was changed by someone else (it is ${current?.status ?? 'gone'} now).`);
        }
        // Local writes first, the message last: a failed audit write sends nothing; a refused message rolls both back.
        if (submission.fileChecks) await writeFileChecks(trx, submission.permitId, submission.requestId, submission.fileChecks);
        await appendAudit(trx, { actor: submission.actor, action: 'egress.request-submitted', permitId: submission.permitId, details: submission.auditDetails });
        await confirm();
        return toEgressRequest(row);
      });
    },
  };
}
